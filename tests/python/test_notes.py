"""Notes from Python (db.notes) on a file database: exact values, mentions,
revisions, pinning and order, full-text search, the timeline events, and
each refusal with its exception class and field. Mirrors
tests/capi/test_capi_notes.cpp."""

from __future__ import annotations

import json

import pytest

import patron
from helpers import T0, T1, raises, ts


@pytest.fixture
def db(clocked_db):
    return clocked_db


def fields(n):
    return dict(id=n.id, customer=n.customer, body=n.body, author=n.author, pinned=n.pinned, mentions=n.mentions,
                created_at=n.created_at, edited_at=n.edited_at, revisions=n.revisions)


def note(id, customer, body, author, mentions=(), pinned=False, created=T0, edited=None, revisions=0):
    return dict(id=id, customer=customer, body=body, author=author, pinned=pinned, mentions=list(mentions),
                created_at=created, edited_at=edited, revisions=revisions)


def test_add_edit_and_read_back_on_a_file(db, db_path, clock, ana, bo):
    notes = db.notes
    assert notes.of_customer(ana) == []
    body = "Prefers the window table. Ask @Jane or @front-desk; mail ana@example.com. @jane again"
    first = notes.add("ana-01", body, author="bo")
    assert isinstance(first, patron.Note)
    assert fields(first) == note(1, ana.id, body, "bo", ["jane", "front-desk"])
    assert first.to_dict() == {"id": 1, "customer": ana.id, "body": body, "author": "bo", "pinned": False,
                               "mentions": ["jane", "front-desk"], "created_at": ts(T0), "edited_at": None,
                               "revisions": 0}
    assert json.loads(first.to_json()) == first.to_dict()
    assert "patron.Note" in repr(first)
    with pytest.raises(AttributeError):
        first.body = "x"

    clock.advance(minutes=1)
    edited = notes.edit(first, "Prefers the **corner** table", editor="cy")
    assert fields(edited) == note(1, ana.id, "Prefers the **corner** table", "cy", edited=T1, revisions=1)
    clock.advance(minutes=1)
    assert notes.edit(1, "Prefers the **corner** table", editor="di") == edited  # unchanged: nothing
    [revision] = notes.revisions(edited)
    assert isinstance(revision, patron.NoteRevision)
    assert (revision.note, revision.number, revision.body, revision.author, revision.written_at,
            revision.replaced_at) == (1, 1, body, "bo", T0, T1)
    assert revision.to_dict() == {"note": 1, "number": 1, "body": body, "author": "bo", "written_at": ts(T0),
                                  "replaced_at": ts(T1)}

    second = notes.add(ana, "Allergic to nuts", author="jane")
    pinned = notes.add(ana, "VIP: greet by name", author="jane", pinned=True)
    assert pinned.pinned is True
    notes.add(bo, "Bo's note", author="jane")

    db.close()
    with patron.open(db_path, clock=clock) as again:
        notes = again.notes
        assert notes.get(1) == edited
        assert [n.id for n in notes.of_customer(ana)] == [3, 2, 1]
        assert [n.id for n in notes.of_customer(ana, limit=2, offset=1)] == [2, 1]
        assert notes.set_pinned(3, False).pinned is False
        assert notes.set_pinned(1, True).pinned is True
        assert [n.id for n in notes.of_customer(ana.id)] == [1, 3, 2]
        assert notes.revisions(second) == []
        assert notes.remove(2) is None
        raises(patron.NotFoundError, "id", notes.get, 2)
        actions = [e.action for e in again.activity.timeline(ana, text="note.").events]
        assert actions == ["note.removed", "note.pinned", "note.unpinned", "note.added", "note.added",
                           "note.edited", "note.added"]


def test_full_text_search(db, ana, bo):
    notes = db.notes
    notes.add(ana, "Booked the conference room for the Café launch", author="jane")
    notes.add(ana, "Prefers the window table", author="jane")
    notes.add(bo, "Conference call about the Cafe menu", author="jane")
    hits = notes.search("cafe")
    assert sorted(h.note.id for h in hits) == [1, 3]
    assert all(isinstance(h, patron.NoteHit) and "[" in h.snippet and isinstance(h.rank, float) for h in hits)
    assert hits[0].rank <= hits[1].rank
    [hit] = notes.search("CONF", customer=ana)
    assert hit.note == notes.get(1)
    assert "[conference]" in hit.snippet
    assert hit.to_dict() == {"note": notes.get(1).to_dict(), "snippet": hit.snippet, "rank": hit.rank}
    assert notes.search("window", customer=bo) == []
    assert len(notes.search('"window*')) == 1  # search syntax is plain words
    assert notes.search("window OR nothing") == []  # every word must match
    assert notes.search("nothing") == []


def test_refusals(db, ana):
    notes = db.notes
    raises(patron.ValidationError, "body", notes.add, ana, "", author="jane")
    raises(patron.ValidationError, "body", notes.add, ana, "x" * 100001, author="jane")
    raises(patron.ValidationError, "author", notes.add, ana, "Hello", author="")
    raises(patron.ValidationError, "author", notes.add, ana, "Hello", author="x" * 201)
    raises(patron.NotFoundError, "ref", notes.add, "NOBODY-1", "Hello", author="jane")
    with pytest.raises(TypeError):
        notes.add(ana, b"Hello", author="jane")
    with pytest.raises(TypeError):
        notes.add(ana, "Hello", author="jane", pinned=1)
    with pytest.raises(TypeError):
        notes.add(ana, "Hello")  # author is required
    assert notes.of_customer(ana) == []
    notes.add(ana, "Hello", author="jane")
    raises(patron.NotFoundError, "id", notes.edit, 9, "Hi", editor="jane")
    raises(patron.ValidationError, "body", notes.edit, 1, "", editor="jane")
    raises(patron.ValidationError, "editor", notes.edit, 1, "Hi", editor="")
    raises(patron.NotFoundError, "id", notes.set_pinned, 9, True)
    raises(patron.NotFoundError, "id", notes.revisions, 9)
    raises(patron.NotFoundError, "id", notes.remove, 9)
    raises(patron.ValidationError, "query", notes.search, "  ?! ")
    raises(patron.NotFoundError, "customer", notes.search, "hello", customer="NOBODY-1")
    raises(patron.ValidationError, "limit", notes.of_customer, ana, limit=0)
    raises(patron.ValidationError, "limit", notes.search, "hello", limit=1001)
    assert notes.get(1).body == "Hello"


def test_classes_are_exported(db):
    for name in ("Notes", "Note", "NoteRevision", "NoteHit"):
        assert name in patron.__all__
        assert getattr(patron, name).__module__ == "patron"
    assert db.notes is db.notes
    assert repr(db.notes).startswith("<patron.Notes of ")
