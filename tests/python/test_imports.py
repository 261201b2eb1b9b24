"""Imports from Python (db.imports): the report and its lists, mappings as a
dict or a file, modes and fill_blanks, a legacy encoding, the reject file
fed back in, a dry run, a run stopped by progress and resumed, an exception
in progress raised after the batch, and each refusal with its exception
class and field. Mirrors tests/cpp/test_imports.cpp and
tests/capi/test_capi_imports.cpp."""

from __future__ import annotations

import datetime as dt
import pathlib

import pytest

import patron
from helpers import raises

GUESTS = (
    "First Name,Surname,E-mail,Mobile,DOB,Fax\n"
    "Ana,Silva,ana@example.com,07400 123456,14/03/1985,1\n"
    "Ben,Okafor,ben@@example.com,,,2\n"
    "Ana,,ANA@example.com,,,3\n"
)


@pytest.fixture
def guests(tmp_path: pathlib.Path) -> pathlib.Path:
    path = tmp_path / "guests.csv"
    path.write_text(GUESTS, encoding="utf-8")
    return path


def test_the_report_counts_every_row_once(db, guests, tmp_path):
    rejects = tmp_path / "rejects.csv"
    report = db.imports.customers(guests, rejects=rejects)
    assert isinstance(report, patron.ImportReport)
    assert (report.rows, report.created, report.updated, report.unchanged, report.rejected,
            report.same_as_earlier_line) == (3, 1, 0, 0, 1, 1)
    assert report.completed and not report.dry_run
    assert (report.format, report.encoding, report.delimiter) == ("csv", "UTF-8", ",")
    assert report.unknown_columns == ["Fax"]
    assert report.columns == {"First Name": "first_name", "Surname": "last_name", "E-mail": "email",
                              "Mobile": "phone.mobile", "DOB": "date_of_birth"}
    [bad] = report.rejected_rows
    assert (bad.line, bad.field, bad.code) == (3, "E-mail", "invalid_argument")
    assert bad.message.startswith("E-mail: not a valid email address")
    ana = db.customers.find_by_email("ana@example.com")
    [same] = report.same_as_rows
    assert (same.line, same.earlier_line, same.customer) == (4, 2, ana.id)
    assert ana.date_of_birth == dt.date(1985, 3, 14)
    assert ana.phones[0].number == "+447400123456"
    lines = rejects.read_text(encoding="utf-8").splitlines()
    assert lines[0] == '"reject_line","reject_field","reject_code","reject_message","First Name","Surname",' \
                       '"E-mail","Mobile","DOB","Fax"'
    assert lines[1].startswith('"3","E-mail","invalid_argument","E-mail: not a valid email address')
    # Corrected and fed back as it is.
    rejects.write_text(rejects.read_text(encoding="utf-8").replace("ben@@", "ben@"), encoding="utf-8")
    again = db.imports.customers(rejects)
    assert (again.created, again.rejected) == (1, 0)
    assert db.customers.find_by_email("ben@example.com").last_name == "Okafor"


def test_mapping_dict_or_file_fill_blanks_and_modes(db, tmp_path):
    path = tmp_path / "de.csv"
    path.write_text("Vorname;Nachname;Mail;Anrede\nJörg;Schmidt;j@example.com;Herr\n", encoding="utf-8")
    mapping = {"Vorname": "first_name", "Nachname": "last_name", "Mail": "email", "Anrede": "title"}
    report = db.imports.customers(path, mapping=mapping, mode="create")
    assert report.created == 1 and report.delimiter == ";"
    path.write_text("Vorname;Nachname;Mail;Anrede\nJorg;Schmidt;j@example.com;Dr\n", encoding="utf-8")
    map_file = tmp_path / "map.toml"
    map_file.write_text('[columns]\nVorname = "first_name"\nNachname = "last_name"\nMail = "email"\n'
                        'Anrede = "title"\n', encoding="utf-8")
    report = db.imports.customers(path, mapping=map_file, fill_blanks=["first_name"], mode="update")
    assert report.updated == 1
    j = db.customers.find_by_email("j@example.com")
    assert (j.first_name, j.title) == ("Jörg", "Dr")
    report = db.imports.customers(path, mapping=str(map_file), mode="create")
    assert report.rejected_rows[0].code == "already_exists"


def test_windows_1252_and_json_lines(db, tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes("first_name,last_name\nJosé,Muñoz\n".encode("cp1252"))
    with pytest.raises(patron.ValidationError, match="not valid UTF-8"):
        db.imports.customers(latin)
    assert db.imports.customers(latin, encoding="windows-1252").created == 1
    assert db.customers.search("jose")[0].last_name == "Muñoz"
    lines = tmp_path / "guests.jsonl"
    lines.write_text('{"first_name": "Zoe", "last_name": "Quinn", "email": ["z@example.com", "zq@example.org"]}\n'
                     "[]\n", encoding="utf-8")
    report = db.imports.customers(lines)
    assert (report.format, report.created, report.rejected) == ("jsonl", 1, 1)
    assert report.rejected_rows[0].message == "line: not a JSON object"
    assert [e.address for e in db.customers.find_by_email("zq@example.org").emails] == ["z@example.com",
                                                                                       "zq@example.org"]


def test_dry_run_writes_nothing(db, guests):
    dry = db.imports.customers(guests, dry_run=True)
    assert dry.dry_run and (dry.created, dry.rejected, dry.same_as_earlier_line) == (1, 1, 1)
    assert db.customers.search("") == []


def test_progress_stops_and_the_same_call_resumes(db, tmp_path):
    path = tmp_path / "many.csv"
    path.write_text("first_name,last_name\n" + "".join(f"G{i},Person\n" for i in range(10)), encoding="utf-8")
    seen = []
    report = db.imports.customers(path, batch_size=4, progress=lambda done, total: seen.append((done, total)) or False)
    assert not report.completed and report.created == 4 and seen == [(4, 10)]
    report = db.imports.customers(path, batch_size=4)
    assert report.completed and report.resumed_after == 4 and report.created == 10

    def boom(done, total):
        raise RuntimeError("stop here")

    other = tmp_path / "other.csv"
    other.write_text("first_name,last_name\n" + "".join(f"H{i},Person\n" for i in range(10)), encoding="utf-8")
    with pytest.raises(RuntimeError, match="stop here"):
        db.imports.customers(other, batch_size=4, progress=boom)
    assert len(db.customers.search("h")) == 4
    assert db.imports.customers(other, batch_size=4).resumed_after == 4


def test_refusals(db, guests, tmp_path):
    raises(patron.NotFoundError, "file", db.imports.customers, tmp_path / "none.csv")
    raises(patron.ValidationError, "mode", db.imports.customers, guests, mode="merge")
    raises(patron.ValidationError, "mapping.columns.Surname", db.imports.customers, guests,
           mapping={"Surname": "surname"})
    raises(patron.ValidationError, "delimiter", db.imports.customers, guests, delimiter="::")
    raises(patron.ValidationError, "batch_size", db.imports.customers, guests, batch_size=0)
    raises(patron.ValidationError, "fill_blanks", db.imports.customers, guests, fill_blanks="title")
    raises(patron.ValidationError, "progress", db.imports.customers, guests, progress=3)
    raises(patron.ValidationError, "encoding", db.imports.customers, guests, encoding="klingon-8")
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    raises(patron.ValidationError, "file", db.imports.customers, binary)
    assert db.customers.search("") == []


# ---- The other files of a migration (tests/cpp/test_import_records.cpp) ----


@pytest.fixture
def numbered(db, tmp_path):
    """Three guests, G-1001 to G-1003."""
    path = tmp_path / "numbered.csv"
    path.write_text(
        "number,first_name,last_name,email\n"
        "G-1001,Ana,Silva,ana@example.com\n"
        "G-1002,Ben,Okafor,ben@example.com\n"
        "G-1003,Cara,Lind,cara@example.com\n",
        encoding="utf-8",
    )
    assert db.imports.customers(path).created == 3
    return db


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_credentials_are_issued_and_a_rerun_changes_nothing(numbered, tmp_path):
    db = numbered
    cards = write(tmp_path, "cards.csv", "Customer Number,Card Type,Card Number,Status\n"
                                         "G-1001,smart_card,S-1,\nG-1002,key_fob,F-1,lost\nG-1009,barcode,B-1,\n")
    report = db.imports.credentials(cards)
    assert (report.created, report.unchanged, report.rejected) == (2, 0, 1)
    assert report.columns == {"Customer Number": "customer", "Card Type": "kind", "Card Number": "value",
                              "Status": "status"}
    assert [(r.line, r.field, r.code) for r in report.rejected_rows] == [(4, "Customer Number", "not_found")]
    assert [c.value for c in db.credentials.of_customer("G-1001")] == ["S-1"]
    assert db.credentials.of_customer("G-1002")[0].status == "lost"
    again = db.imports.credentials(cards)
    assert (again.created, again.unchanged, again.rejected) == (0, 2, 1)
    created = db.imports.credentials(cards, mode="create")
    assert [r.code for r in created.rejected_rows] == ["already_exists", "already_exists", "not_found"]


def test_opening_balances_are_written_once(numbered, tmp_path):
    db = numbered
    db.loyalty.create_program("stars", "Stars", "EUR")
    purses = write(tmp_path, "purses.csv", "email,currency,balance\nana@example.com,EUR,125.50\n"
                                           "ben@example.com,JPY,10.5\n")
    report = db.imports.purse_balances(purses)
    assert (report.created, report.rejected) == (1, 1)
    assert report.rejected_rows[0].message == "balance: JPY has 0 decimals at most"
    assert db.purses.account("G-1001", "EUR").balance == 12550
    assert db.imports.purse_balances(purses).unchanged == 1
    assert db.purses.account("G-1001", "EUR").balance == 12550

    points = write(tmp_path, "points.jsonl", '{"customer": "G-1002", "program": "stars", "points": 700}\n')
    assert db.imports.points_balances(points).created == 1
    assert db.imports.points_balances(points).unchanged == 1
    assert db.loyalty.account("G-1002", "stars").balance == 700


def test_memberships_and_orders(numbered, tmp_path):
    db = numbered
    db.memberships.create_plan("Gold")
    members = write(tmp_path, "members.csv", "customer,plan,starts_at,status\nG-1003,Gold,2024-01-01,paused\n")
    assert db.imports.memberships(members).created == 1
    assert db.memberships.effective("G-1003")[0].membership.status == "paused"

    orders = write(tmp_path, "orders.csv", "order,customer,date,currency,total,items.1.name,items.1.unit_price\n"
                                           "R-1,G-1001,2025-03-04T12:00:00Z,EUR,30,Lunch,30\n")
    dry = db.imports.orders(orders, dry_run=True)
    assert dry.dry_run and dry.created == 1
    assert db.orders.find("import", "R-1") is None
    seen = []
    report = db.imports.orders(orders, progress=lambda done, total: seen.append((done, total)))
    assert report.created == 1 and seen == [(1, 1)]
    order = db.orders.find("import", "R-1")
    assert (order.total, order.paid, order.status) == (3000, 3000, "completed")
    assert [i.name for i in order.items] == ["Lunch"]
    assert order.placed_at == dt.datetime(2025, 3, 4, 12, tzinfo=dt.timezone.utc)


def test_refusals_of_the_other_files(numbered, tmp_path):
    db = numbered
    path = write(tmp_path, "cards.csv", "customer,kind,value\nG-1001,barcode,1\n")
    raises(patron.ValidationError, "mapping.columns.value", db.imports.credentials, path,
           mapping={"value": "email"})
    raises(patron.ValidationError, "mode", db.imports.orders, path, mode="merge")
    raises(patron.NotFoundError, "file", db.imports.memberships, tmp_path / "none.csv")
    raises(patron.ValidationError, "batch_size", db.imports.points_balances, path, batch_size=0)
    with pytest.raises(TypeError):
        db.imports.credentials(path, duplicates="off")
    assert db.credentials.of_customer("G-1001") == []


def test_consent_columns(db, tmp_path):
    path = tmp_path / "consent.csv"
    path.write_text("Email,First Name,Last Name,Accepts Email Marketing,consent.sms.marketing\n"
                    "ana@example.com,Ana,Silva,yes,no\n"
                    "bo@example.com,Bo,Berg,unsubscribed,\n", encoding="utf-8")
    report = db.imports.customers(path)
    assert (report.created, report.rejected) == (2, 0)
    assert report.columns["Accepts Email Marketing"] == "consent.email.marketing"
    ana = db.customers.find_by_email("ana@example.com")
    assert db.consent.can_contact(ana, "email", "marketing") is True
    assert db.consent.can_contact(ana, "sms", "marketing") is False
    assert [(e.channel, e.status, e.source) for e in db.consent.history(ana)] == [
        ("sms", "withdrawn", "import"), ("email", "granted", "import")]
    assert db.consent.is_suppressed("email", "bo@example.com") is True
    assert db.imports.customers(path).unchanged == 2  # nothing differs: nothing written
    path.write_text("email,newsletter\nbo@example.com,yes\n", encoding="utf-8")
    [row] = db.imports.customers(path).rejected_rows
    assert (row.field, row.code) == ("newsletter", "failed_precondition")
