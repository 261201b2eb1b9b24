"""Documents from Python (db.documents) on a file database: bytes in and
out (every byte value, empty documents), files by str or os.PathLike path,
the size limit of patron.open(max_document_bytes=...), the timeline events,
and each refusal with its exception class and field. Mirrors
tests/capi/test_capi_documents.cpp."""

from __future__ import annotations

import hashlib
import json

import pytest

import patron
from helpers import T0, T1, raises, ts

ALL_BYTES = bytes(range(256))
WAIVER = b"%PDF-1.7 waiver\n"


@pytest.fixture
def db(clocked_db):
    return clocked_db


def fields(d):
    return dict(id=d.id, customer=d.customer, name=d.name, media_type=d.media_type, kind=d.kind, size=d.size,
                sha256=d.sha256, created_at=d.created_at)


def document(id, customer, name, media_type, kind, data, created=T0):
    return dict(id=id, customer=customer, name=name, media_type=media_type, kind=kind, size=len(data),
                sha256=hashlib.sha256(data).hexdigest(), created_at=created)


def test_bytes_in_and_out_on_a_file(db, db_path, clock, ana, bo):
    docs = db.documents
    assert docs.of_customer(ana) == []
    scan = docs.attach("ana-01", "scan.bin", ALL_BYTES)
    assert isinstance(scan, patron.Document)
    assert fields(scan) == document(1, ana.id, "scan.bin", "application/octet-stream", "other", ALL_BYTES)
    assert scan.to_dict() == {"id": 1, "customer": ana.id, "name": "scan.bin",
                              "media_type": "application/octet-stream", "kind": "other", "size": 256,
                              "sha256": hashlib.sha256(ALL_BYTES).hexdigest(), "created_at": ts(T0)}
    assert json.loads(scan.to_json()) == scan.to_dict()
    assert "patron.Document" in repr(scan)
    with pytest.raises(AttributeError):
        scan.name = "x"

    clock.advance(minutes=1)
    empty = docs.attach(ana, "empty.txt", bytearray(), media_type="Text/Plain; charset=utf-8", kind="consent_form")
    assert fields(empty) == document(2, ana.id, "empty.txt", "text/plain; charset=utf-8", "consent_form", b"", T1)
    view = docs.attach(bo, "view.bin", memoryview(b"xyz"))
    assert docs.read(view) == b"xyz"

    db.close()
    with patron.open(db_path, clock=clock) as again:
        docs = again.documents
        assert docs.get(1) == scan
        data = docs.read(1)
        assert isinstance(data, bytes) and data == ALL_BYTES
        assert docs.read(empty) == b""
        assert docs.of_customer(ana.id) == [empty, scan]
        docs.remove(scan)
        raises(patron.NotFoundError, "id", docs.get, 1)
        assert docs.of_customer(ana) == [empty]
        events = again.activity.timeline(ana, text="document.").events
        assert [e.action for e in events] == ["document.removed", "document.attached", "document.attached"]
        assert events[0].details["sha256"] == hashlib.sha256(ALL_BYTES).hexdigest()


def test_files_by_path(db, tmp_path, ana):
    source = tmp_path / "waiver.pdf"
    source.write_bytes(WAIVER)
    waiver = db.documents.attach_file(ana, source, media_type="application/pdf", kind="waiver")  # os.PathLike
    assert fields(waiver) == document(1, ana.id, "waiver.pdf", "application/pdf", "waiver", WAIVER)
    named = db.documents.attach_file(ana, str(source), name="signed.pdf")  # str
    assert (named.name, named.size) == ("signed.pdf", len(WAIVER))
    target = tmp_path / "copy.pdf"
    target.write_bytes(b"old content that is longer than the waiver")
    assert db.documents.read_to_file(waiver, target) == len(WAIVER)
    assert target.read_bytes() == WAIVER
    assert db.documents.read_to_file(1, str(tmp_path / "copy2.pdf")) == len(WAIVER)


def test_size_limit(db_path, clock, tmp_path):
    with patron.open(db_path, clock=clock, max_document_bytes=16) as small:
        ana = small.customers.create(first_name="Ana", last_name="Silva", number="ANA-01")
        assert small.documents.attach(ana, "a.bin", b"x" * 16).size == 16
        error = raises(patron.ValidationError, "bytes", small.documents.attach, ana, "a.bin", b"x" * 17)
        assert "16" in str(error)
        big = tmp_path / "big.bin"
        big.write_bytes(b"x" * 17)
        raises(patron.ValidationError, "path", small.documents.attach_file, ana, big)
    with patron.open(db_path, clock=clock) as default:
        assert default.documents.attach("ANA-01", "a.bin", b"x" * 17).size == 17
    raises(patron.ValidationError, "max_document_bytes", patron.open, db_path, max_document_bytes=0)
    with pytest.raises(TypeError):
        patron.open(db_path, max_document_bytes=1.5)


def test_refusals(db, tmp_path, ana):
    attach = db.documents.attach
    raises(patron.ValidationError, "name", attach, ana, "", b"abc")
    raises(patron.ValidationError, "name", attach, ana, "../etc/passwd", b"abc")
    raises(patron.ValidationError, "name", attach, ana, "a\\b.txt", b"abc")
    raises(patron.ValidationError, "name", attach, ana, "a\x07.txt", b"abc")
    raises(patron.ValidationError, "name", attach, ana, "x" * 256, b"abc")
    raises(patron.ValidationError, "media_type", attach, ana, "a.pdf", b"abc", media_type="pdf")
    raises(patron.ValidationError, "kind", attach, ana, "a.pdf", b"abc", kind="passport")
    raises(patron.NotFoundError, "ref", attach, "NOBODY-1", "a.pdf", b"abc")
    with pytest.raises(TypeError):
        attach(ana, "a.txt", "text is not bytes")
    with pytest.raises(TypeError):
        attach(ana, "a.txt", None)
    error = raises(patron.ValidationError, "path", db.documents.attach_file, ana, tmp_path / "missing")
    assert "missing" in str(error)
    with pytest.raises(TypeError):
        db.documents.attach_file(ana, 42)
    assert db.documents.of_customer(ana) == []

    raises(patron.NotFoundError, "id", db.documents.read, 1)
    raises(patron.NotFoundError, "id", db.documents.remove, 1)
    attach(ana, "a", b"abc")
    raises(patron.ValidationError, "path", db.documents.read_to_file, 1, tmp_path / "no" / "such" / "a")
    raises(patron.NotFoundError, "id", db.documents.read_to_file, 9, tmp_path / "a")
    raises(patron.NotFoundError, "ref", db.documents.of_customer, "NOBODY-1")


def test_classes_are_exported(db):
    for name in ("Documents", "Document"):
        assert name in patron.__all__
        assert getattr(patron, name).__module__ == "patron"
    assert db.documents is db.documents
    assert repr(db.documents).startswith("<patron.Documents of ")
