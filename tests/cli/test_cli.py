"""The `patron` command as an operator uses it: import with its report,
reject file, JSON output, dry run, progress lines and Ctrl-C with resume;
identify and show; --help; and the documented exit code of each failure."""

from __future__ import annotations

import json
import os
import pathlib
import signal
import subprocess
import time

import pytest

CLI = os.environ.get("PATRON_CLI", "patron")

GUESTS = (
    "Guest No,First Name,Surname,E-mail,Mobile,Fax\n"
    "G-1001,Ana,Silva,ana@example.com,07400 123456,1\n"
    "G-1002,Ben,Okafor,ben@@example.com,,2\n"
    "G-1003,Cara,Lee,cara@example.com,,3\n"
)


def patron(*args: str, cwd: pathlib.Path) -> subprocess.CompletedProcess:
    return subprocess.run([CLI, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture
def work(tmp_path: pathlib.Path) -> pathlib.Path:
    (tmp_path / "guests.csv").write_text(GUESTS, encoding="utf-8")
    (tmp_path / "map.json").write_text('{"columns": {"Guest No": "number"}}', encoding="utf-8")
    return tmp_path


def test_help_lists_the_commands_and_exit_codes(work):
    done = patron("--help", cwd=work)
    assert done.returncode == 0
    for word in ("import", "export", "duplicates", "merge", "erase", "backup", "check", "identify", "show", "Exit codes: 0 done; 1 done, but rows were rejected"):
        assert word in done.stdout
    done = patron("import", "customers", "--help", cwd=work)
    assert done.returncode == 0 and "--dry-run" in done.stdout and "--rejects" in done.stdout


def test_import_reports_and_writes_rejects(work):
    done = patron("import", "customers", "guests.csv", "--db", "crm.db", "--mapping", "map.json",
                  "--rejects", "rejects.csv", cwd=work)
    assert done.returncode == 1, done.stderr  # done, with a rejected row
    assert "created 2, updated 0, unchanged 0, rejected 1, same as an earlier line 0" in done.stdout
    assert 'columns not imported (map them with --mapping): "Fax"' in done.stdout
    assert "line 3: E-mail: not a valid email address" in done.stdout
    assert (work / "rejects.csv").read_text(encoding="utf-8").startswith('"reject_line","reject_field"')
    again = patron("import", "customers", "guests.csv", "--db", "crm.db", "--mapping", "map.json", "--json",
                   cwd=work)
    report = json.loads(again.stdout)
    assert (report["unchanged"], report["rejected"], report["completed"]) == (2, 1, True)
    shown = patron("show", "G-1001", "--db", "crm.db", cwd=work)
    assert shown.returncode == 0
    assert shown.stdout.splitlines()[0] == "G-1001  Ana Silva"
    assert "  phone +447400123456 (mobile)" in shown.stdout
    found = patron("identify", "ANA@example.com", "--db", "crm.db", "--json", cwd=work)
    assert found.returncode == 0 and json.loads(found.stdout)[0]["customer"]["number"] == "G-1001"
    assert patron("identify", "nobody@example.com", "--db", "crm.db", cwd=work).returncode == 4


def test_a_dry_run_writes_nothing(work):
    done = patron("import", "customers", "guests.csv", "--db", "crm.db", "--dry-run", "--json", cwd=work)
    assert done.returncode == 1
    assert json.loads(done.stdout)["created"] == 2
    missing = patron("show", "G-1001", "--db", "crm.db", cwd=work)
    assert missing.returncode == 4 and missing.stderr.startswith("patron: ref: no customer")


def test_the_other_files_of_a_migration(work):
    assert patron("import", "customers", "guests.csv", "--db", "crm.db", "--mapping", "map.json", cwd=work).returncode == 1
    (work / "purses.csv").write_text("Guest Number,Currency,Balance\nG-1001,EUR,125.50\nG-1003,EUR,-1\n", encoding="utf-8")
    done = patron("import", "purse_balances", "purses.csv", "--db", "crm.db", cwd=work)
    assert done.returncode == 1, done.stderr
    assert "created 1, updated 0, unchanged 0, rejected 1" in done.stdout
    assert "line 3: Balance: an opening balance must not be negative" in done.stdout
    again = patron("import", "purse_balances", "purses.csv", "--db", "crm.db", "--json", cwd=work)
    assert (json.loads(again.stdout)["unchanged"], json.loads(again.stdout)["created"]) == (1, 0)
    (work / "orders.csv").write_text("Order Number,Customer,Date,Currency,Total\nR-1,G-1001,2025-02-01,EUR,40\n",
                                     encoding="utf-8")
    done = patron("import", "orders", "orders.csv", "--db", "crm.db", "--json", cwd=work)
    assert done.returncode == 0 and json.loads(done.stdout)["created"] == 1
    stats = json.loads(patron("stats", "--db", "crm.db", "--json", cwd=work).stdout)
    assert stats["orders"] == 1 and stats["purses"][0]["currency"] == "EUR"
    assert patron("import", "orders", "--help", cwd=work).stdout.count("--duplicates") == 0
    assert patron("import", "memberships", "none.csv", "--db", "crm.db", cwd=work).returncode == 4


def test_failures_have_their_exit_codes(work):
    assert patron("import", "customers", "guests.csv", cwd=work).returncode == 2  # --db missing
    assert patron("import", "customers", "guests.csv", "--db", "crm.db", "--mode", "merge", cwd=work).returncode == 2
    missing = patron("import", "customers", "none.csv", "--db", "crm.db", cwd=work)
    assert missing.returncode == 4 and "file: cannot open" in missing.stderr
    (work / "latin.csv").write_bytes("first_name,last_name\nJosé,Muñoz\n".encode("cp1252"))
    bad = patron("import", "customers", "latin.csv", "--db", "crm.db", cwd=work)
    assert bad.returncode == 3 and "not valid UTF-8" in bad.stderr
    good = patron("import", "customers", "latin.csv", "--db", "crm.db", "--encoding", "windows-1252", cwd=work)
    assert good.returncode == 0
    assert patron("show", "x", "--db", "crm.db", cwd=work).returncode == 3  # not an id or a number


def test_progress_lines_and_ctrl_c_resumes(work):
    rows = "".join(f"Guest{i},Person,g{i}@example.com\n" for i in range(20000))
    (work / "many.csv").write_text("first_name,last_name,email\n" + rows, encoding="utf-8")
    args = [CLI, "import", "customers", "many.csv", "--db", "crm.db", "--batch-size", "50", "--duplicates", "off"]
    run = subprocess.Popen(args, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    run.send_signal(signal.SIGINT)
    out, err = run.communicate(timeout=120)
    assert run.returncode == 130, (out, err)
    assert "run the same command again to resume" in err
    done = subprocess.run(args + ["--json"], cwd=work, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["resumed_after"] > 0 and report["created"] == 20000
    # Not a terminal: plain progress lines.
    assert "rows/s" in err


def test_backup_and_check(work):
    assert patron("import", "customers", "guests.csv", "--db", "crm.db", "--quiet", cwd=work).returncode == 1
    done = patron("backup", "copy.db", "--db", "crm.db", cwd=work)
    assert done.returncode == 0 and done.stdout.startswith("backed up to copy.db (")
    assert patron("backup", "copy.db", "--db", "crm.db", cwd=work).returncode == 5  # never overwrites
    check = patron("check", "--db", "copy.db", cwd=work)
    assert check.returncode == 0
    assert check.stdout == "ok: 2 customers, 0 purse and 0 points accounts checked\n"
    report = json.loads(patron("check", "--db", "copy.db", "--quick", "--json", cwd=work).stdout)
    assert report["ok"] and report["quick"]
    import sqlite3

    with sqlite3.connect(work / "host.db") as conn:
        conn.execute("CREATE TABLE bookings (id INTEGER)")
    refused = patron("check", "--db", "host.db", cwd=work)
    assert refused.returncode == 6 and "not a patron database" in refused.stderr


def test_export_and_the_migration_round_trip(work):
    assert patron("import", "customers", "guests.csv", "--db", "crm.db", "--mapping", "map.json", "-q",
                  cwd=work).returncode == 1
    done = patron("export", "customers", "all.csv", "--db", "crm.db", "-q", cwd=work)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "all.csv: 2 customers, " + f"{(work / 'all.csv').stat().st_size:,}" + " bytes (csv)\n"
    # Into an empty database and out again: the same bytes.
    assert patron("import", "customers", "all.csv", "--db", "copy.db", "-q", cwd=work).returncode == 0
    assert patron("export", "customers", "again.csv", "--db", "copy.db", "-q", cwd=work).returncode == 0
    assert (work / "again.csv").read_bytes() == (work / "all.csv").read_bytes()
    done = patron("export", "customers", "one.jsonl", "--db", "crm.db", "--customers", "G-1001",
                  "--fields", "number,first_name", "--json", cwd=work)
    assert json.loads(done.stdout)["customers"] == 1
    assert (work / "one.jsonl").read_text(encoding="utf-8") == '{"number":"G-1001","first_name":"Ana"}\n'
    refused = patron("export", "customers", "one.jsonl", "--db", "crm.db", cwd=work)
    assert refused.returncode == 5 and "exists" in refused.stderr
    refused = patron("export", "customers", "x.jsonl", "--db", "crm.db", "--customers", "G-9999", cwd=work)
    assert refused.returncode == 4
    refused = patron("export", "customers", "x.jsonl", "--db", "crm.db", "--fields", "fax", cwd=work)
    assert refused.returncode == 3 and "fields[0]" in refused.stderr


def test_duplicates_and_merge(work):
    (work / "twins.csv").write_text(
        "Guest No,First Name,Surname,E-mail,Mobile\n"
        "G-2001,Jonathan,Smithers,jon@example.com,07400 111222\n"
        "G-2002,Jonathon,Smithers,jon.smithers@work.example,07400 111222\n"
        "G-2003,Cara,Lee,cara@example.com,\n", encoding="utf-8")
    assert patron("import", "customers", "twins.csv", "--db", "crm.db", "--mapping", "map.json", "-q",
                  "--duplicates", "off", cwd=work).returncode == 0
    found = patron("duplicates", "--db", "crm.db", "--min-probability", "0.5", cwd=work)
    assert found.returncode == 0, found.stderr
    lines = found.stdout.splitlines()
    assert lines[0].startswith("1 pairs from probability 0.5 among 3 customers, in 1 groups"), found.stdout
    assert sorted(lines[1].split()[:2]) == ["G-2001", "G-2002"]
    as_json = json.loads(patron("duplicates", "--db", "crm.db", "--min-probability", "0.5", "--json",
                                cwd=work).stdout)
    assert as_json["total_pairs"] == 1
    dry = patron("merge", "G-2001", "G-2002", "--db", "crm.db", "--by", "front desk", "--dry-run", cwd=work)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines()[0] == "would merge G-2002 into G-2001"
    done = patron("merge", "G-2001", "G-2002", "--db", "crm.db", "--by", "front desk", "--json", cwd=work)
    result = json.loads(done.stdout)
    assert result["absorbed_number"] == "G-2002"
    shown = patron("show", "G-2002", "--db", "crm.db", cwd=work)  # the old number leads to the survivor
    assert shown.stdout.startswith("G-2001  Jonathan Smithers")
    same = patron("merge", "G-2001", "G-2002", "--db", "crm.db", "--by", "front desk", cwd=work)
    assert same.returncode == 6, same.stderr  # not allowed in the current state
    assert same.stderr == "patron: absorbed: customer G-2002 is already merged into customer G-2001\n"
    assert patron("merge", "G-2001", "G-2003", "--db", "crm.db", cwd=work).returncode == 2  # --by is required


def test_erase(work):
    (work / "pair.csv").write_text(
        "Guest No,First Name,Surname,E-mail\n"
        "G-3001,Zebedee,Quill,zq@example.com\n"
        "G-3002,Zeb,Quill,zeb.q@example.com\n", encoding="utf-8")
    assert patron("import", "customers", "pair.csv", "--db", "crm.db", "--mapping", "map.json", "-q",
                  "--duplicates", "off", cwd=work).returncode == 0
    assert patron("merge", "G-3001", "G-3002", "--db", "crm.db", "--by", "desk", cwd=work).returncode == 0
    assert patron("erase", "G-3001", "--db", "crm.db", "--by", "the guest", cwd=work).returncode == 2  # --reason
    done = patron("erase", "G-3001", "--db", "crm.db", "--by", "the guest", "--reason", "Art. 17", cwd=work)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("erased G-3001 (now erased-") and lines[0].endswith(
        ") and 1 customers merged into it"), done.stdout
    assert "  removed 2 emails" in lines
    assert "  suppressed 8 address hashes" in lines  # two emails, four purposes
    again = patron("erase", "G-3001", "--db", "crm.db", "--by", "the guest", "--reason", "Art. 17", "--json",
                   cwd=work)
    assert again.returncode == 4 and again.stderr.startswith("patron: ref: "), again.stderr
    assert patron("identify", "zq@example.com", "--db", "crm.db", cwd=work).returncode == 4
    stats = patron("stats", "--db", "crm.db", cwd=work).stdout.splitlines()
    assert stats[1] == "  customers 0 (with an email 0, with a phone 0, banned 0; merged away 0, erased 2)"


def test_retention(work):
    import datetime as dt
    import json

    import patron as lib

    # Guests last seen in 2020, one with money in a purse; the command runs now.
    with lib.open(work / "crm.db", default_region="GB",
                  clock=lambda: dt.datetime(2020, 3, 1, tzinfo=dt.timezone.utc)) as db:
        db.customers.create(number="G-4001", first_name="Old", last_name="Guest")
        kept = db.customers.create(number="G-4002", first_name="Owed", last_name="Guest")
        db.purses.top_up(kept, "EUR", 500, idempotency_key="t-1")
    made = patron("retention", "set", "inactive-3y", "inactive_customers", "1095", "--db", "crm.db",
                  "--description", "three years after the last stay", cwd=work)
    assert made.returncode == 0, made.stderr
    assert made.stdout == "inactive-3y  inactive_customers, 1095 days  (three years after the last stay)\n"
    no_kind = patron("retention", "set", "scans", "documents", "90", "--db", "crm.db", cwd=work)
    assert no_kind.returncode == 3 and no_kind.stderr.startswith("patron: document_kind: "), no_kind.stderr
    assert patron("retention", "set", "x", "timeline_details", "0", "--db", "crm.db", cwd=work).returncode == 2
    assert patron("retention", "remove", "nope", "--db", "crm.db", cwd=work).returncode == 4
    listed = patron("retention", "policies", "--db", "crm.db", "--json", cwd=work)
    assert [p["name"] for p in json.loads(listed.stdout)] == ["inactive-3y"]

    preview = patron("retention", "preview", "--db", "crm.db", cwd=work).stdout.splitlines()
    assert preview[0] == "dry run: nothing written, 1 policies"
    assert preview[1].startswith("  inactive-3y (before ") and preview[1].endswith(
        "): would erase 1 customers; kept for purses: 1"), preview
    assert patron("show", "G-4001", "--db", "crm.db", cwd=work).returncode == 0
    run = patron("retention", "run", "--db", "crm.db", "--by", "cron", "--json", cwd=work)
    assert run.returncode == 0, run.stderr
    record = json.loads(run.stdout)
    assert (record["id"], record["actor"], record["dry_run"]) == (1, "cron", False)
    assert len(record["outcomes"][0]["customers"]) == 1
    assert patron("show", "G-4001", "--db", "crm.db", cwd=work).returncode == 4
    assert patron("show", "G-4002", "--db", "crm.db", cwd=work).returncode == 0
    again = patron("retention", "run", "--db", "crm.db", cwd=work).stdout.splitlines()
    assert again[0] == "retention run 2, 1 policies"
    assert again[1].endswith("): erased 0 customers; kept for purses: 1"), again


def test_fit_and_predict(work):
    import datetime as dt
    import random

    import patron as lib

    # As the README's taste makes them: 300 guests of 2025, each ordering at
    # their own rate until they stop.
    rng = random.Random(2025)
    start = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    with lib.open(work / "crm.db", default_region="GB") as db:
        for i in range(300):
            guest = db.customers.create(number=f"G-{3000 + i}", first_name="Guest", last_name=f"No {i}")
            day, rate = rng.uniform(0, 60), rng.gammavariate(0.6, 1 / 25)
            for n in range(100):
                db.orders.record(customer=guest, source="till", external_ref=f"T-{i}-{n}", currency="EUR",
                                 total=rng.randint(900, 9000), placed_at=start + dt.timedelta(days=day))
                day += rng.expovariate(rate)
                if day >= 365 or rng.random() < 0.15:
                    break
    done = patron("fit", "EUR", "--db", "crm.db", "--cutoff", "2026-01-01T00:00:00Z", cwd=work)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("fitted on 300 customers' EUR orders up to 2026-01-01T00:00:00.000000Z")
    assert "BG/NBD r=" in done.stdout and "Gamma-Gamma p=" in done.stdout
    fit = json.loads(patron("fit", "EUR", "--db", "crm.db", "--cutoff", "2026-01-01T00:00:00Z", "--json",
                            cwd=work).stdout)
    assert fit["customers"] == 300
    guess = json.loads(patron("predict", "G-3000", "--db", "crm.db", "--currency", "EUR", "--at",
                              "2026-01-01T00:00:00Z", "--json", cwd=work).stdout)
    assert 0 <= guess["probability_alive"] <= 1
    shown = patron("predict", "G-3000", "--db", "crm.db", "--currency", "EUR", "--at", "2026-01-01T00:00:00Z",
                   cwd=work)
    assert shown.returncode == 0 and shown.stdout.startswith("probability alive ")
    assert patron("fit", "GBP", "--db", "crm.db", cwd=work).returncode == 6  # no GBP orders to fit
    assert patron("predict", "G-9999", "--db", "crm.db", "--currency", "EUR", cwd=work).returncode == 4


def test_stats(work):
    assert patron("import", "customers", "guests.csv", "--db", "crm.db", "--mapping", "map.json", "-q",
                  cwd=work).returncode == 1
    done = patron("stats", "--db", "crm.db", cwd=work)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("crm.db: schema ")
    assert lines[1] == "  customers 2 (with an email 2, with a phone 1, banned 0; merged away 0, erased 0)"
    as_json = json.loads(patron("stats", "--db", "crm.db", "--json", cwd=work).stdout)
    assert (as_json["customers"], as_json["with_phone"]) == (2, 1)
