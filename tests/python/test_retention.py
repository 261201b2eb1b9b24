"""Retention from Python (db.privacy): policies, the dry run that writes
nothing, the run that erases inactive customers, drops old events' details
and deletes documents of a kind, and its record; each refusal with its
exception class and field. Mirrors tests/cpp/test_retention.cpp."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

import patron
from helpers import count_rows, T0, raises, ts


@pytest.fixture
def db(clocked_db):
    return clocked_db


def test_policies_are_checked_listed_and_removed(db, db_path, clock):
    p = db.privacy.set_retention_policy("inactive-3y", "inactive_customers", 1095,
                                        description="Three years after your last stay")
    assert isinstance(p, patron.RetentionPolicy)
    assert (p.name, p.category, p.days, p.document_kind, p.description) == (
        "inactive-3y", "inactive_customers", 1095, None, "Three years after your last stay")
    assert p.created_at == p.updated_at == T0
    clock.advance(hours=1)
    scans = db.privacy.set_retention_policy("id-scans", "documents", 90, document_kind="identification")
    assert scans.to_dict() == {
        "name": "id-scans", "category": "documents", "days": 90, "document_kind": "identification",
        "description": "", "created_at": ts(clock.now), "updated_at": ts(clock.now),
    }
    again = db.privacy.set_retention_policy("inactive-3y", "inactive_customers", 730)
    assert (again.created_at, again.updated_at, again.days) == (T0, clock.now, 730)
    assert [x.name for x in db.privacy.retention_policies()] == ["id-scans", "inactive-3y"]

    before = count_rows(db_path, "retention_policies"), count_rows(db_path, "events")
    raises(patron.ValidationError, "name", db.privacy.set_retention_policy, "two words", "documents", 9,
           document_kind="image")
    raises(patron.ValidationError, "category", db.privacy.set_retention_policy, "x", "forever", 9)
    raises(patron.ValidationError, "days", db.privacy.set_retention_policy, "x", "timeline_details", 0)
    raises(patron.ValidationError, "days", db.privacy.set_retention_policy, "x", "timeline_details", 36501)
    raises(patron.ValidationError, "days", db.privacy.set_retention_policy, "x", "timeline_details", 2**40)
    raises(patron.ValidationError, "document_kind", db.privacy.set_retention_policy, "x", "documents", 9)
    raises(patron.ValidationError, "document_kind", db.privacy.set_retention_policy, "x", "documents", 9,
           document_kind="passport")
    raises(patron.ValidationError, "document_kind", db.privacy.set_retention_policy, "x",
           "timeline_details", 9, document_kind="image")
    raises(patron.ValidationError, "description", db.privacy.set_retention_policy, "x",
           "timeline_details", 9, description="d" * 501)
    with pytest.raises(TypeError):
        db.privacy.set_retention_policy("x", "timeline_details", 9.5)
    raises(patron.NotFoundError, "name", db.privacy.remove_retention_policy, "nope")
    assert (count_rows(db_path, "retention_policies"), count_rows(db_path, "events")) == before

    assert db.privacy.remove_retention_policy("id-scans") is None
    assert [x.name for x in db.privacy.retention_policies()] == ["inactive-3y"]


def test_a_dry_run_then_a_recorded_run(db, db_path, clock, ana, bo):
    db.purses.top_up(bo, "EUR", 700, idempotency_key="t-1")  # money: kept
    carl = db.customers.create(first_name="Carl", last_name="Cole")
    clock.advance(days=300)
    db.activity.record(customer=carl, action="call.made", summary="Called")  # active: kept
    scan = db.documents.attach(carl, "passport.jpg", b"PASSPORT", media_type="image/jpeg", kind="identification")
    clock.advance(days=100)
    db.privacy.set_retention_policy("inactive-1y", "inactive_customers", 365)
    db.privacy.set_retention_policy("details-1y", "timeline_details", 365)
    db.privacy.set_retention_policy("id-scans", "documents", 90, document_kind="identification")
    now = clock.now
    events = count_rows(db_path, "events")

    preview = db.privacy.preview_retention()
    assert isinstance(preview, patron.RetentionRun)
    assert (preview.id, preview.dry_run, preview.actor, preview.started_at, preview.finished_at) == (
        0, True, "retention", now, None)
    details, scans, inactive = preview.outcomes
    assert isinstance(inactive, patron.RetentionOutcome)
    assert [o.policy.name for o in preview.outcomes] == ["details-1y", "id-scans", "inactive-1y"]
    assert inactive.cutoff == now - dt.timedelta(days=365)
    assert inactive.customers == [ana.id]
    assert inactive.skipped == [(bo.id, "purses")]
    assert inactive.held == ""
    assert details.events >= 3  # created Ana, Bo, Carl; Bo's top-up
    assert details.customers == [] and details.documents == []
    assert scans.documents == [scan.id] and scans.customers == [carl.id]
    assert count_rows(db_path, "events") == events and count_rows(db_path, "retention_runs") == 0

    with patron.acting_as("ops:nightly"):
        run = db.privacy.run_retention()
    assert (run.dry_run, run.actor, run.finished_at) == (False, "ops:nightly", now)
    assert run.id > 0
    assert [o.customers for o in run.outcomes] == [o.customers for o in preview.outcomes]
    assert [o.documents for o in run.outcomes] == [o.documents for o in preview.outcomes]
    assert run.outcomes[0].events == details.events
    raises(patron.NotFoundError, "ref", db.customers.get, ana.id)
    raises(patron.NotFoundError, "id", db.documents.get, scan.id)
    assert db.privacy.tombstone(ana.id).requested_by == "retention policy inactive-1y"
    old = [e for e in db.activity.timeline(bo).events if e.at < now - dt.timedelta(days=365)]
    assert old and all(e.details is None and e.details_erased for e in old)
    assert db.privacy.retention_runs() == [run]
    assert run.to_dict()["outcomes"][2]["skipped"] == [{"customer": bo.id, "reason": "purses"}]
    raises(patron.ValidationError, "limit", db.privacy.retention_runs, limit=0)
    # The record is permanent.
    with sqlite3.connect(db_path) as c, pytest.raises(sqlite3.DatabaseError):
        c.execute("DELETE FROM retention_runs")
