"""Visits from Python (db.visits) on a file database: a presented credential
records its holder's visit (any other verdict records nothing), visits of
known customers with or without their credential, counts and lists filtered
by place and time, the place's visits, the timeline event, and each refusal
with its exception class and field. Mirrors tests/cpp/test_visits.cpp."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import patron
from helpers import H1, H2, T0, T1, UTC, raises, ts


@pytest.fixture
def db(clocked_db):
    return clocked_db


def visit(v):
    """A Visit as a tuple of Python values."""
    return (v.id, v.customer, v.place, v.credential, v.at)


def test_presented_credentials_on_a_file(db, db_path, clock, ana, bo):
    visits = db.visits
    card = db.credentials.issue("smart_card", "04A1B2C3", customer=ana)
    fob = db.credentials.issue("key_fob", "FOB-9", customer=bo)
    assert visits.count(ana) == 0
    assert visits.list(ana) == []

    v = visits.record_presented("04A1B2C3", "spa")
    assert isinstance(v, patron.Visit)
    assert visit(v) == (1, ana.id, "spa", card.id, T0)
    assert v.at.tzinfo is UTC
    assert v.to_dict() == {"id": 1, "customer": ana.id, "place": "spa", "credential": card.id, "at": ts(T0)}
    assert json.loads(v.to_json()) == v.to_dict()
    assert "patron.Visit" in repr(v) and "'spa'" in repr(v)
    with pytest.raises(AttributeError):
        v.place = "gym"
    # A time given is kept (a door controller reporting late).
    late = visits.record_presented("FOB-9", "front-gate", at=T0 - dt.timedelta(hours=1))
    assert visit(late) == (2, bo.id, "front-gate", fob.id, T0 - dt.timedelta(hours=1))

    # Any verdict but accepted records nothing.
    e = raises(patron.PreconditionError, "token", visits.record_presented, "NO-SUCH-CARD", "spa")
    assert "unknown" in str(e)
    db.credentials.set_status(fob, "blocked")
    e = raises(patron.PreconditionError, "token", visits.record_presented, "FOB-9", "spa")
    assert "blocked" in str(e)
    db.credentials.set_status(fob, "active")
    db.credentials.set_validity(fob, valid_from=H1, valid_until=H2)
    e = raises(patron.PreconditionError, "token", visits.record_presented, "FOB-9", "spa")
    assert "not_yet_valid" in str(e)
    assert visit(visits.record_presented("FOB-9", "spa", at=H1)) == (3, bo.id, "spa", fob.id, H1)
    raises(patron.ValidationError, "token", visits.record_presented, "", "spa")
    raises(patron.ValidationError, "place", visits.record_presented, "04A1B2C3", "the spa")
    raises(patron.ValidationError, "place", visits.record_presented, "04A1B2C3", "")
    with pytest.raises(TypeError):
        visits.record_presented("04A1B2C3", "spa", at="now")

    db.close()
    with patron.open(db_path, default_region="GB", clock=clock) as again:
        assert again.visits.list("ANA-01") == [v]
        assert again.visits.count(bo) == 2
        # Each visit is on the customer's timeline.
        events = [e for e in again.activity.timeline(ana).events if e.action == "visit.recorded"]
        assert [(e.category, e.type, e.source) for e in events] == [("customers", "visit", "physical")]


def test_visits_of_known_customers(db, clock, ana, bo):
    visits = db.visits
    card = db.credentials.issue("barcode", "BC-1", customer=ana)
    other = db.credentials.issue("barcode", "BC-2", customer=bo)
    walked_in = visits.record(ana, "front-gate")
    assert visit(walked_in) == (1, ana.id, "front-gate", None, T0)
    clock.advance(minutes=1)
    with_card = visits.record("ANA-01", "spa", credential=card)
    assert visit(with_card) == (2, ana.id, "spa", card.id, T1)
    assert visit(visits.record(ana.id, "spa", card.id, T0 - dt.timedelta(days=1))) == (
        3, ana.id, "spa", card.id, T0 - dt.timedelta(days=1))
    # The credential must be the customer's.
    raises(patron.NotFoundError, "credential", visits.record, ana, "spa", credential=other)
    raises(patron.NotFoundError, "credential", visits.record, ana, "spa", credential=999)
    raises(patron.NotFoundError, "customer", visits.record, "NOBODY", "spa")
    raises(patron.ValidationError, "customer", visits.record, "", "spa")
    raises(patron.ValidationError, "place", visits.record, ana, "x" * 65)
    with pytest.raises(TypeError):
        visits.record(ana, "spa", credential="BC-1")
    assert visits.count(ana) == 3
    assert visits.count(bo) == 0


def test_counts_and_lists_filter_by_place_and_time(db, clock, ana, bo):
    visits = db.visits
    days = [T0 + dt.timedelta(days=d) for d in range(5)]
    for i, at in enumerate(days):
        visits.record(ana, "spa" if i % 2 == 0 else "gym", at=at)
    visits.record(bo, "spa", at=days[1])
    assert visits.count(ana) == 5
    assert visits.count(ana, place="spa") == 3
    assert visits.count(ana, from_=days[1]) == 4  # from_ inclusive
    assert visits.count(ana, to=days[1]) == 1  # to exclusive
    assert visits.count(ana, place="spa", from_=days[1], to=days[4]) == 1
    assert [v.at for v in visits.list(ana)] == list(reversed(days))  # newest first
    assert [v.at for v in visits.list(ana, place="gym")] == [days[3], days[1]]
    assert [v.at for v in visits.list(ana, from_=days[1], to=days[3])] == [days[2], days[1]]
    assert [v.at for v in visits.list(ana, limit=2, offset=1)] == [days[3], days[2]]
    assert visits.list(ana, place="pool") == []
    assert [(v.customer, v.at) for v in visits.at_place("spa")] == [(ana.id, days[4]), (ana.id, days[2]),
                                                                     (bo.id, days[1]), (ana.id, days[0])]
    assert [v.customer for v in visits.at_place("spa", from_=days[1], to=days[2])] == [bo.id]
    assert len(visits.at_place("spa", limit=1)) == 1
    assert visits.at_place("pool") == []

    raises(patron.ValidationError, "to", visits.count, ana, from_=days[2], to=days[1])
    raises(patron.ValidationError, "to", visits.list, ana, from_=days[2], to=days[1])
    raises(patron.ValidationError, "to", visits.at_place, "spa", from_=days[2], to=days[1])
    raises(patron.ValidationError, "place", visits.count, ana, place="the spa")
    raises(patron.ValidationError, "place", visits.at_place, "")
    raises(patron.ValidationError, "limit", visits.list, ana, limit=0)
    raises(patron.ValidationError, "limit", visits.at_place, "spa", limit=1001)
    raises(patron.NotFoundError, "customer", visits.count, "NOBODY")
    raises(patron.NotFoundError, "customer", visits.list, "NOBODY")
    with pytest.raises(TypeError):
        visits.count(ana, "spa")  # the filters are keyword-only
    with pytest.raises(TypeError):
        visits.list(ana, from_="monday")


def test_classes_are_exported(db):
    for name in ("Visits", "Visit"):
        assert name in patron.__all__
        assert getattr(patron, name).__module__ == "patron"
    assert isinstance(db.visits, patron.Visits)
    assert db.visits is db.visits
    assert repr(db.visits).startswith("<patron.Visits of ")
