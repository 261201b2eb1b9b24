"""Memberships from Python (db.memberships) on a file database: exact
values, status changes and renewals, expiry under the injected clock,
memberships inherited from a company, and each refusal with its exception
class and field. Mirrors tests/capi/test_capi_memberships.cpp."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import patron
from helpers import UTC, raises

T0 = dt.datetime(2024, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)  # FakeClock's start
T1 = T0 + dt.timedelta(minutes=1)
WEEK = dt.timedelta(days=7)


@pytest.fixture
def db(clocked_db):
    return clocked_db


@pytest.fixture
def ana(db):
    return db.customers.create(first_name="Ana", last_name="Silva", email="ana@acme.com", number="ANA-01")


@pytest.fixture
def bo(db):
    return db.customers.create(first_name="Bo", last_name="Berg", email="bo@example.org", number="BO-01")


def fields(m):
    """A Membership as a dict of Python values."""
    return dict(id=m.id, plan=m.plan, customer=m.customer, company=m.company, starts_at=m.starts_at,
                ends_at=m.ends_at, status=m.status, created_at=m.created_at, updated_at=m.updated_at)


def ts(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# --- plans ---------------------------------------------------------------------------


def test_plans_on_a_file(db, db_path):
    assert db.memberships.plans() == []
    gold = db.memberships.create_plan("Gold", benefits="free coffee")
    assert isinstance(gold, patron.Plan)
    assert (gold.id, gold.name, gold.kind, gold.benefits, gold.billing_period) == (
        1, "Gold", "personal", "free coffee", "none")
    assert gold.created_at == T0 and gold.created_at.tzinfo is UTC
    club = db.memberships.create_plan("Club", kind="subscription", billing_period="monthly")
    assert (club.kind, club.billing_period, club.benefits) == ("subscription", "monthly", "")
    corp = db.memberships.create_plan("Acme staff", kind="company", benefits=None)
    assert (corp.id, corp.kind, corp.benefits, corp.billing_period) == (3, "company", "", "none")

    assert db.memberships.plan(1) == gold
    assert db.memberships.plan(club) == club  # a Plan names itself
    assert db.memberships.plans() == [corp, club, gold]  # by name
    assert gold.to_dict() == {"id": 1, "name": "Gold", "kind": "personal", "benefits": "free coffee",
                              "billing_period": "none", "created_at": ts(T0)}
    assert json.loads(gold.to_json()) == gold.to_dict()
    assert json.loads(gold.to_json(indent=2)) == gold.to_dict()
    assert "Gold" in repr(gold) and "patron.Plan" in repr(gold)
    assert hash(gold) == hash(db.memberships.plan(1))
    with pytest.raises(AttributeError):
        gold.name = "Silver"

    raises(patron.AlreadyExistsError, "name", db.memberships.create_plan, "GOLD")
    raises(patron.ValidationError, "name", db.memberships.create_plan, "")
    raises(patron.ValidationError, "kind", db.memberships.create_plan, "X", kind="vip")
    raises(patron.ValidationError, "billing_period", db.memberships.create_plan, "X", kind="subscription",
           billing_period="daily")
    raises(patron.ValidationError, "billing_period", db.memberships.create_plan, "X", kind="subscription")
    raises(patron.ValidationError, "billing_period", db.memberships.create_plan, "X", billing_period="yearly")
    raises(patron.NotFoundError, "id", db.memberships.plan, 999)
    assert len(db.memberships.plans()) == 3

    with patron.open(db_path) as again:
        assert again.memberships.plans() == [corp, club, gold]


# --- memberships ---------------------------------------------------------------------


def test_memberships_status_and_renewal(db, db_path, clock, ana, bo):
    db.memberships.create_plan("Gold")
    db.memberships.create_plan("Weekly", kind="subscription", billing_period="weekly")

    own = db.memberships.add(1, customer="ANA-01")
    assert isinstance(own, patron.Membership)
    assert fields(own) == dict(id=1, plan=1, customer=ana.id, company=None, starts_at=T0, ends_at=None,
                               status="active", created_at=T0, updated_at=T0)
    assert own.starts_at.tzinfo is UTC
    assert db.memberships.get(1) == own
    assert db.memberships.get(own) == own
    assert own.to_dict() == {"id": 1, "plan": 1, "customer": ana.id, "company": None, "starts_at": ts(T0),
                             "ends_at": None, "status": "active", "created_at": ts(T0), "updated_at": ts(T0)}
    assert json.loads(own.to_json()) == own.to_dict()
    assert "patron.Membership" in repr(own)

    start, end = dt.datetime(2024, 1, 1, tzinfo=UTC), dt.datetime(2030, 1, 1, tzinfo=UTC)
    window = db.memberships.add(1, customer=bo, starts_at=start, ends_at=end)
    assert (window.id, window.customer, window.starts_at, window.ends_at) == (2, bo.id, start, end)

    weekly = db.memberships.add(2, customer="BO-01")
    assert (weekly.id, weekly.starts_at, weekly.ends_at) == (3, T0, T0 + WEEK)

    clock.advance(minutes=1)
    renewed = db.memberships.renew(3)
    assert fields(renewed) == dict(id=3, plan=2, customer=bo.id, company=None, starts_at=T0,
                                   ends_at=T0 + 2 * WEEK, status="active", created_at=T0, updated_at=T1)
    assert db.memberships.renew(renewed).ends_at == T0 + 3 * WEEK
    raises(patron.PreconditionError, "plan", db.memberships.renew, 1)
    raises(patron.NotFoundError, "id", db.memberships.renew, 999)

    paused = db.memberships.set_status(1, "paused")
    assert (paused.status, paused.updated_at) == ("paused", T1)
    assert db.memberships.has_active_membership("ANA-01", 1) is False
    assert db.memberships.set_status(1, "active").status == "active"
    assert db.memberships.has_active_membership(ana, 1) is True
    assert db.memberships.set_status(1, "cancelled").status == "cancelled"
    assert db.memberships.has_active_membership(ana, 1) is False
    err = raises(patron.PreconditionError, "status", db.memberships.set_status, 1, "active")
    assert "cancelled" in str(err) and "active" in str(err)
    raises(patron.PreconditionError, "status", db.memberships.set_status, 2, "expired")
    raises(patron.ValidationError, "status", db.memberships.set_status, 2, "frozen")
    raises(patron.NotFoundError, "id", db.memberships.set_status, 999, "paused")
    raises(patron.NotFoundError, "id", db.memberships.get, 999)
    assert db.memberships.get(2) == window

    raises(patron.NotFoundError, "plan", db.memberships.add, 99, customer="ANA-01")
    raises(patron.NotFoundError, "customer", db.memberships.add, 1, customer="NOBODY-1")
    raises(patron.NotFoundError, "company", db.memberships.add, 1, company=42)
    raises(patron.ValidationError, "customer", db.memberships.add, 1)
    raises(patron.ValidationError, "customer", db.memberships.add, 1, customer="ANA-01", company=1)
    raises(patron.ValidationError, "ends_at", db.memberships.add, 1, customer="ANA-01", starts_at=end, ends_at=start)

    with patron.open(db_path) as again:
        assert again.memberships.get(2) == window
        assert again.memberships.get(3).ends_at == T0 + 3 * WEEK


def test_expiry_follows_the_clock(db, clock, ana, bo):
    db.memberships.create_plan("Gold")
    db.memberships.create_plan("Silver")
    m = db.memberships.add(1, customer=ana, ends_at=T1)
    assert (m.status, m.ends_at) == ("active", T1)
    has = db.memberships.has_active_membership
    assert has("ANA-01", 1) is True
    assert has(ana.id, 1, at=T0 + dt.timedelta(seconds=30)) is True
    assert has("ANA-01", 1, at=T1) is False  # the end is exclusive
    assert has("ANA-01", 1, at=T0) is True  # the start inclusive
    assert has("ANA-01", 1, at=T0 - dt.timedelta(microseconds=1)) is False

    clock.advance(minutes=2)
    assert db.memberships.get(1).status == "expired"
    assert has("ANA-01", 1) is False
    assert has("ANA-01", 1, at=T0 + dt.timedelta(seconds=30)) is True
    assert db.memberships.effective("ANA-01")[0].membership.status == "expired"
    assert has("ANA-01", 2, at=T0) is False
    assert has("BO-01", 1, at=T0) is False
    raises(patron.PreconditionError, "status", db.memberships.set_status, 1, "expired")


def test_inherited_through_a_company(db, db_path, clock, ana, bo):
    db.memberships.create_plan("Acme staff", kind="company")
    db.memberships.create_plan("Gold")
    acme = db.companies.create(name="Acme", domains=["acme.com"])  # links Ana by her email
    assert acme.id == 1
    assert db.memberships.effective("ANA-01") == []
    assert db.memberships.of_company(1) == []

    start = dt.datetime(2024, 1, 1, tzinfo=UTC)
    corp = db.memberships.add(1, company=acme, starts_at=start)
    assert fields(corp) == dict(id=1, plan=1, customer=None, company=1, starts_at=start, ends_at=None,
                                status="active", created_at=T0, updated_at=T0)
    own = db.memberships.add(2, customer="ANA-01")
    assert db.memberships.of_company(1) == [corp]
    assert db.memberships.of_company(acme) == [corp]

    eff = db.memberships.effective("ANA-01")
    assert all(isinstance(e, patron.EffectiveMembership) for e in eff)
    assert [(e.membership, e.via_company) for e in eff] == [(corp, 1), (own, None)]
    assert eff[0].to_dict() == {"membership": corp.to_dict(), "via_company": 1}
    assert json.loads(eff[1].to_json()) == {"membership": own.to_dict(), "via_company": None}
    assert eff == db.memberships.effective(ana)
    assert "via_company=1" in repr(eff[0])
    assert db.memberships.effective("BO-01") == []
    has = db.memberships.has_active_membership
    assert has("ANA-01", 1) is True
    assert has("ANA-01", 2) is True
    assert has("BO-01", 1) is False
    assert has("ANA-01", 1, at=start - dt.timedelta(seconds=1)) is False

    db.customers.create(first_name="Cy", last_name="Dean", email="cy@acme.com", number="CY-01")
    assert has("CY-01", 1) is True
    assert [(e.membership, e.via_company) for e in db.memberships.effective("CY-01")] == [(corp, 1)]

    db.memberships.set_status(1, "paused")
    assert has("ANA-01", 1) is False
    assert db.memberships.effective("ANA-01")[0].membership.status == "paused"

    raises(patron.NotFoundError, "company_id", db.memberships.of_company, 999)
    raises(patron.NotFoundError, "ref", db.memberships.effective, "NOBODY-1")
    raises(patron.ValidationError, "ref", db.memberships.effective, "")
    raises(patron.NotFoundError, "plan", has, "ANA-01", 99)
    raises(patron.NotFoundError, "ref", has, "NOBODY-1", 1)
    raises(patron.ValidationError, "ref", has, "", 1)
    with pytest.raises(TypeError):
        has("ANA-01", 1, at="soon")

    with patron.open(db_path) as again:
        assert again.memberships.of_company(1)[0].status == "paused"


def test_classes_are_exported():
    for name in ("Memberships", "Plan", "Membership", "EffectiveMembership"):
        assert name in patron.__all__
        assert getattr(patron, name).__module__ == "patron"


def test_argument_types(db, ana):
    db.memberships.create_plan("Gold")
    with pytest.raises(TypeError):
        db.memberships.create_plan(7)
    with pytest.raises(TypeError):
        db.memberships.add("1", customer=ana)
    with pytest.raises(TypeError):
        db.memberships.add(1, customer=ana, starts_at="2024-01-01")
    with pytest.raises(TypeError):
        db.memberships.get("1")
    assert repr(db.memberships).startswith("<patron.Memberships of ")
