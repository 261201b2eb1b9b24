"""The activity timeline from Python (db.activity, patron.acting_as) on a
file database: exact events and pages, the feed, filters and cursors, the
edit history, the thread's actor, and each refusal with its exception class
and field. Mirrors tests/capi/test_capi_activity.cpp."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest

import patron
from helpers import T0, T1, UTC, raises, ts


@pytest.fixture
def db(clocked_db):
    return clocked_db


@pytest.fixture
def base(db, ana, bo):
    """The id of the last of patron's own events for creating Ana and Bo."""
    return db.activity.last_event_id()


def fields(e):
    return dict(id=e.id, customer=e.customer, at=e.at, category=e.category, type=e.type, source=e.source,
                actor=e.actor, action=e.action, summary=e.summary, details=e.details,
                details_erased=e.details_erased)


def event(id, customer, action, summary, details=None, at=T0, category="customers", type="data", source="api",
          actor=""):
    return dict(id=id, customer=customer, at=at, category=category, type=type, source=source, actor=actor,
                action=action, summary=summary, details={} if details is None else details, details_erased=False)


def test_record_and_read_back_on_a_file(db, db_path, clock, ana, bo, base):
    activity = db.activity
    assert base >= 2
    assert activity.feed(base) == []
    sent = activity.record(customer="ana-01", category="customers", type="communication", source="integration",
                           actor="mailer", action="email.sent", summary="Welcome email sent",
                           details={"campaign": "welcome", "step": 2})
    assert isinstance(sent, patron.Event)
    assert fields(sent) == event(base + 1, ana.id, "email.sent", "Welcome email sent",
                                 {"campaign": "welcome", "step": 2}, T0, "customers", "communication", "integration",
                                 "mailer")
    assert sent.at.tzinfo is UTC
    assert sent.to_dict() == {"id": base + 1, "customer": ana.id, "at": ts(T0), "category": "customers",
                              "type": "communication", "source": "integration", "actor": "mailer",
                              "action": "email.sent", "summary": "Welcome email sent",
                              "details": {"campaign": "welcome", "step": 2}, "details_erased": False}
    assert json.loads(sent.to_json()) == sent.to_dict()
    assert "patron.Event" in repr(sent) and "email.sent" in repr(sent)
    with pytest.raises(AttributeError):
        sent.summary = "x"

    clock.advance(minutes=1)
    org = activity.record(action="report.exported", summary="Monthly report", details=None, actor=None)
    assert fields(org) == event(base + 2, None, "report.exported", "Monthly report", at=T1)
    past = activity.record(customer=bo, action="visit", summary="Visited", type="visit", category="bookings",
                           source="physical", at=T0 - dt.timedelta(days=1))
    assert fields(past) == event(base + 3, bo.id, "visit", "Visited", at=T0 - dt.timedelta(days=1),
                                 category="bookings", type="visit", source="physical")

    db.close()
    with patron.open(db_path, clock=clock) as again:
        assert again.activity.last_event_id() == base + 3
        assert again.activity.feed(base) == [sent, org, past]
        assert again.activity.feed(base, limit=2) == [sent, org]
        assert again.activity.feed(after=base + 1) == [org, past]
        assert len(again.activity.feed(0, 1000)) == base + 3


def test_record_many_is_all_or_none(db, ana, bo, base):
    both = db.activity.record_many([
        dict(customer="ANA-01", action="sms.sent", summary="SMS sent", type="communication"),
        {"customer": bo, "action": "scan", "summary": "Card scanned", "type": "scan"},
    ])
    assert [fields(e) for e in both] == [
        event(base + 1, ana.id, "sms.sent", "SMS sent", type="communication"),
        event(base + 2, bo.id, "scan", "Card scanned", type="scan")]
    assert db.activity.record_many([]) == []
    raises(patron.ValidationError, "[1].action", db.activity.record_many,
           [dict(action="a", summary="A"), dict(action="Not An Action!", summary="B")])
    raises(patron.ValidationError, "[0].colour", db.activity.record_many, [dict(action="a", summary="A", colour=1)])
    raises(patron.ValidationError, "[1].type", db.activity.record_many,
           [dict(action="a", summary="A"), dict(action="b", summary="B", type="x")])
    raises(patron.NotFoundError, "[1].customer", db.activity.record_many,
           [dict(action="a", summary="A"), dict(customer="NOBODY-1", action="b", summary="B")])
    with pytest.raises(TypeError):
        db.activity.record_many(dict(action="a", summary="A"))
    assert db.activity.last_event_id() == base + 2


def test_timeline_pages_and_filters(db, clock, ana, bo, base):
    for i in range(1, 6):
        clock.advance(minutes=1)
        db.activity.record(customer=ana, source="staff", type="visit" if i % 2 == 0 else "communication",
                           actor="jane" if i <= 2 else "bo", action=f"step.{i}", summary=f"Step {i}")
    page = db.activity.timeline(ana, sources=["staff"], limit=2)
    assert isinstance(page, patron.EventPage)
    assert [e.action for e in page.events] == ["step.5", "step.4"]
    assert [e.action for e in page] == ["step.5", "step.4"] and len(page) == 2
    assert isinstance(page.next, str)
    page2 = db.activity.timeline(ana, sources=["staff"], limit=2, before=page.next)
    assert [e.action for e in page2.events] == ["step.3", "step.2"]
    page3 = db.activity.timeline(ana, sources=["staff"], limit=2, before=page2.next)
    assert [e.action for e in page3.events] == ["step.1"]
    assert page3.next is None
    assert json.loads(page3.to_json()) == {"events": [page3.events[0].to_dict()], "next": None}

    everything = db.activity.timeline("ANA-01")
    assert len(everything.events) > 5 and everything.next is None
    assert all(e.customer == ana.id for e in everything.events)

    def actions(**filters):
        return [e.action for e in db.activity.timeline(ana, **filters).events]

    assert actions(types=["visit"]) == ["step.4", "step.2"]
    assert actions(actor="jane") == ["step.2", "step.1"]
    assert actions(text="STEP 3") == ["step.3"]
    assert actions(text="step.4") == ["step.4"]
    assert actions(sources=("staff",), from_=T0 + dt.timedelta(minutes=2), until=T0 + dt.timedelta(minutes=4)) == \
        ["step.3", "step.2"]
    assert actions(categories=["orders"]) == []


def test_acting_as_names_the_actor_of_this_thread(db, ana, base):
    plain = dict(customer=ana, action="note.read", summary="Read")
    with patron.acting_as("jane") as scope:
        assert (scope.actor, scope.source) == ("jane", "staff")
        assert "acting_as('jane'" in repr(scope)
        e = db.activity.record(**plain)
        assert (e.actor, e.source) == ("jane", "staff")
        with patron.acting_as("sync-bot", source="automated"):
            e = db.activity.record(**plain)
            assert (e.actor, e.source) == ("sync-bot", "automated")
            e = db.activity.record(action="x", summary="X", actor="api-client", source="webhook")
            assert (e.actor, e.source) == ("api-client", "webhook")

            other = []
            t = threading.Thread(target=lambda: other.append(db.activity.record(**plain)))
            t.start()
            t.join()
            assert (other[0].actor, other[0].source) == ("", "api")

            db.customers.update(ana, first_name="Anna")
            change, created = db.activity.history(ana, "first_name")  # newest first
            assert (created.actor, created.source, created.new) == ("", "api", "Ana")
            assert (change.actor, change.source) == ("sync-bot", "automated")
        e = db.activity.record(**plain)
        assert e.actor == "jane"
    e = db.activity.record(**plain)
    assert (e.actor, e.source) == ("", "api")

    raises(patron.ValidationError, "source", patron.acting_as, "jane", source="butler")
    with pytest.raises(TypeError):
        patron.acting_as(None)
    scope = patron.acting_as("jane")
    with scope:
        raises(patron.PreconditionError, "actor", scope.__enter__)  # already entered
    raises(patron.PreconditionError, "actor", scope.__exit__, None, None, None)  # not entered
    outer, inner = patron.acting_as("a"), patron.acting_as("b")
    outer.__enter__()
    inner.__enter__()
    raises(patron.PreconditionError, "actor", outer.__exit__, None, None, None)  # innermost first
    inner.__exit__(None, None, None)
    outer.__exit__(None, None, None)
    assert db.activity.record(**plain).actor == ""


def test_edit_history(db, clock, ana, bo, base):
    [created] = db.activity.history(ana, "first_name")  # creating Ana recorded her first values
    assert created.event <= base
    assert (created.at, created.actor, created.source, created.field, created.old, created.new, created.erased) == \
        (T0, "", "api", "first_name", None, "Ana", False)
    clock.advance(minutes=1)
    with patron.acting_as("jane"):
        db.customers.update(ana, first_name="Anna", tags=["vip"])
    change, again = db.activity.history("ANA-01", "first_name")
    assert again == created
    assert isinstance(change, patron.FieldChange)
    assert change.event > base
    assert (change.at, change.actor, change.source, change.field, change.old, change.new, change.erased) == \
        (T1, "jane", "staff", "first_name", "Ana", "Anna", False)
    assert change.to_dict() == {"event": change.event, "at": ts(T1), "actor": "jane", "source": "staff",
                                "field": "first_name", "old": "Ana", "new": "Anna", "erased": False}
    tags = db.activity.history(ana, "tags")
    assert tags[0].new == ["vip"]
    everything = db.activity.history(ana)
    assert len(everything) >= 3 and everything[0].at == T1
    assert db.activity.history(ana, limit=1) == everything[:1]
    assert db.activity.history(ana, limit=1, offset=1) == everything[1:2]
    assert [c.new for c in db.activity.history(bo, "first_name")] == ["Bo"]


def test_refusals(db, ana, base):
    record = db.activity.record
    raises(patron.ValidationError, "colour", record, action="a", summary="A", colour="red")
    raises(patron.ValidationError, "category", record, action="a", summary="A", category="food")
    raises(patron.ValidationError, "type", record, action="a", summary="A", type="Export")
    with pytest.raises(TypeError):
        record(action="a", summary="A", source=7)
    with pytest.raises(TypeError):
        record(action="a", summary="A", details="text")
    with pytest.raises(ValueError):
        record(action="a", summary="A", details={"x": float("nan")})
    raises(patron.ValidationError, "action", record, summary="A")
    raises(patron.ValidationError, "action", record, action="Email Sent", summary="A")
    raises(patron.ValidationError, "summary", record, action="a")
    raises(patron.ValidationError, "summary", record, action="a", summary="x" * 501)
    raises(patron.ValidationError, "actor", record, action="a", summary="A", actor="x" * 201)
    raises(patron.NotFoundError, "customer", record, customer="NOBODY-1", action="a", summary="A")
    assert db.activity.last_event_id() == base

    timeline = db.activity.timeline
    raises(patron.ValidationError, "categories[1]", timeline, ana, categories=["orders", "food"])
    raises(patron.ValidationError, "sources[0]", timeline, ana, sources=["butler"])
    with pytest.raises(TypeError):
        timeline(ana, types="visit")  # a bare str is not a list
    raises(patron.ValidationError, "until", timeline, ana, from_=T0, until=T0)
    raises(patron.ValidationError, "before", timeline, ana, before="not a cursor")
    raises(patron.ValidationError, "limit", timeline, ana, limit=0)
    raises(patron.ValidationError, "limit", timeline, ana, limit=-1)
    raises(patron.ValidationError, "limit", timeline, ana, limit=1001)
    raises(patron.NotFoundError, "ref", timeline, "NOBODY-1")
    raises(patron.ValidationError, "limit", db.activity.feed, 0, 0)
    raises(patron.NotFoundError, "ref", db.activity.history, "NOBODY-1")
    with pytest.raises(TypeError):
        db.activity.feed("0")


def test_classes_are_exported(db):
    for name in ("Activity", "Event", "EventPage", "FieldChange", "ActingAs", "acting_as"):
        assert name in patron.__all__
    for name in ("Activity", "Event", "EventPage", "FieldChange", "ActingAs"):
        assert getattr(patron, name).__module__ == "patron"
    assert db.activity is db.activity
    assert repr(db.activity).startswith("<patron.Activity of ")
