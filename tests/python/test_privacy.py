"""Erasure from Python (db.privacy) on a file database: the report and the
tombstone, what the old values find afterwards, customers merged in, the
raw bytes of the file and its WAL, and each refusal with its exception class
and field, leaving the file as it was. Mirrors tests/cpp/test_privacy.cpp."""

from __future__ import annotations

import pytest

import patron
from helpers import count_rows, T1, raises, ts


@pytest.fixture
def db(clocked_db):
    return clocked_db


def test_erase_reports_and_leaves_a_tombstone(db, db_path, clock, ana, bo):
    note = db.notes.add(ana, "Zebedee likes the xylophonic corner", author="jane")
    db.purses.top_up(ana, "GBP", 300, idempotency_key="t-1")
    db.purses.charge(ana, "GBP", 300, idempotency_key="c-1")
    clock.now = T1
    with patron.acting_as("dpo:marta"):
        r = db.privacy.erase(ana, by="the guest, by email", reason="Art. 17 request")
    assert isinstance(r, patron.ErasureReport)
    t = r.tombstone
    assert isinstance(t, patron.Tombstone)
    assert t.number.startswith("erased-") and len(t.number) == 32
    assert t.to_dict() == {
        "customer": ana.id, "number": t.number, "erased_at": ts(T1), "erased_by": "dpo:marta",
        "requested_by": "the guest, by email", "reason": "Art. 17 request", "merged_into": None,
    }
    assert (t.customer, t.erased_at, t.merged_into) == (ana.id, T1, None)
    assert r.customers == [ana.id]
    assert r.removed["emails"] == 1 and r.removed["notes"] == 1 and r.removed["data_keys"] == 1
    assert r.kept["purse_entries"] == 2
    assert r.suppressed == 4
    assert r.to_dict()["tombstone"] == t.to_dict()

    raises(patron.NotFoundError, "ref", db.customers.get, ana.id)
    raises(patron.NotFoundError, "ref", db.customers.get, "ANA-01")
    raises(patron.NotFoundError, "id", db.notes.get, note.id)
    assert db.identify("ana@example.com") == []
    assert db.customers.search("Silva") == []
    assert db.notes.search("xylophonic") == []
    assert db.privacy.tombstone(ana.id) == t
    assert db.privacy.tombstone(bo.id) is None
    assert db.privacy.erasures() == [t]
    assert db.stats().erased == 1 and db.stats().customers == 1
    assert db.consent.is_suppressed("email", "ana@example.com", "marketing") is True
    assert db.check().ok
    # Erased twice: there is nobody left to erase.
    raises(patron.NotFoundError, "customer", db.privacy.erase, ana.id, by="x", reason="y")


def test_no_erased_byte_is_left_in_the_file(db, db_path, ana):
    db.notes.add(ana, "Zebedee likes the xylophonic corner", author="jane")

    def file_bytes():
        out = b""
        for p in (db_path, db_path.with_name(db_path.name + "-wal")):
            if p.exists():
                out += p.read_bytes()
        return out

    assert b"ana@example.com" in file_bytes() and b"xylophonic" in file_bytes()
    db.privacy.erase(ana, by="guest", reason="request")
    after = file_bytes()
    for secret in (b"ana@example.com", b"xylophonic", b"Zebedee", b"Silva"):
        assert secret not in after, secret


def test_customers_merged_in_are_erased_too(db, ana, bo):
    db.customers.merge(ana, bo, by="desk")
    r = db.privacy.erase(ana, by="guest", reason="request")
    assert r.customers == [ana.id, bo.id]
    assert db.privacy.tombstone(bo.id).merged_into == ana.id
    raises(patron.NotFoundError, "ref", db.customers.get, "BO-01")
    assert db.identify("bo@example.org") == []


def test_refusals_name_the_field_and_write_nothing(db, db_path, ana):
    db.purses.top_up(ana, "EUR", 700, idempotency_key="t-1")
    before = (count_rows(db_path, "events"), count_rows(db_path, "erasures"))
    e = raises(patron.PreconditionError, "purses", db.privacy.erase, ana, by="guest", reason="request")
    assert "700 EUR" in str(e)
    raises(patron.ValidationError, "by", db.privacy.erase, ana, by="", reason="request")
    raises(patron.ValidationError, "by", db.privacy.erase, ana, by="x" * 201, reason="request")
    raises(patron.ValidationError, "reason", db.privacy.erase, ana, by="guest", reason=" ")
    with pytest.raises(TypeError, match="by must be str"):
        db.privacy.erase(ana, by=5, reason="request")
    raises(patron.NotFoundError, "customer", db.privacy.erase, "NOBODY-1", by="guest", reason="request")
    raises(patron.ValidationError, "customer_id", db.privacy.tombstone, "ANA-01")
    raises(patron.ValidationError, "limit", db.privacy.erasures, limit=0)
    with pytest.raises(TypeError):
        db.privacy.erase(ana, "guest", "request")  # by and reason are keywords
    assert (count_rows(db_path, "events"), count_rows(db_path, "erasures")) == before
    assert db.customers.get(ana.id).emails[0].address == "ana@example.com"


def test_access_export_is_one_zip(db, db_path, ana, bo, tmp_path):
    import json as jsonlib
    import zipfile

    db.notes.add(ana, "Likes the corner table", author="jane")
    doc = db.documents.attach(ana, "waiver.pdf", b"%PDF-1.4 signed waiver", media_type="application/pdf",
                              kind="waiver")
    db.customers.merge(ana, bo, by="desk")
    target = tmp_path / "ana.zip"
    r = db.privacy.export(ana, target)
    assert isinstance(r, patron.AccessExport)
    assert (r.path, r.customer, r.merged, r.documents, r.version) == (str(target), ana.id, [bo.id], 1, 1)
    assert r.bytes == target.stat().st_size
    assert r.to_dict()["merged"] == [bo.id]
    with zipfile.ZipFile(target) as z:
        assert z.namelist() == ["customer.json", "README.txt", f"documents/{doc.id}-waiver.pdf"]
        assert z.read(f"documents/{doc.id}-waiver.pdf") == b"%PDF-1.4 signed waiver"
        d = jsonlib.loads(z.read("customer.json"))
    assert d["format"] == "patron-subject-access" and d["version"] == 1
    assert d["subject"]["id"] == ana.id
    assert d["notes"][0]["body"] == "Likes the corner table"
    assert d["merged_customers"][0]["id"] == bo.id
    assert len(d["timeline"]) == r.events and d["timeline"][0]["action"] == "customer.created"
    assert {p["purpose"] for p in d["information"]["purposes"]} >= {"marketing", "service", "accounts"}

    raises(patron.AlreadyExistsError, "path", db.privacy.export, ana, target)
    raises(patron.ValidationError, "path", db.privacy.export, ana, tmp_path / "missing" / "x.zip")
    raises(patron.NotFoundError, "customer", db.privacy.export, "NOBODY-1", tmp_path / "y.zip")
    with pytest.raises(TypeError):
        db.privacy.export(ana, 5)
    assert not (tmp_path / "y.zip").exists()
