"""Merges from Python (db.customers.merge, .resolve) on a file database:
what moves and what is filled or taken, ledgers summed before and after,
references to the absorbed customer leading to the survivor, a dry run
that writes nothing, and each refusal with its exception class and field.
Mirrors tests/cpp/test_merge.cpp and tests/capi/test_capi_merge.cpp."""

from __future__ import annotations

import pytest

import patron
from helpers import raises


@pytest.fixture
def cy(db):
    return db.customers.create(title="Dr", first_name="Cy", last_name="Silva", email="cy@example.com",
                               number="CY-01", tags=["spa"])


def test_merge_moves_everything_and_resolves(db, ana, cy):
    db.orders.record(customer="CY-01", source="pos", external_ref="R-1", currency="GBP", total=1500)
    db.notes.add(cy, "Likes tea", author="jane")
    db.purses.top_up(ana, "GBP", 300, idempotency_key="t-1")
    db.purses.top_up(cy, "GBP", 700, idempotency_key="t-2")
    db.loyalty.create_program("stars", "Stars", "GBP")
    db.loyalty.earn(cy, "stars", points=40, idempotency_key="e-1")
    events_before = db.activity.last_event_id()

    dry = db.customers.merge(ana, "CY-01", by="desk-jane", take=["first_name"], dry_run=True)
    assert dry.dry_run is True
    assert dry.event is None
    assert dry.customer.first_name == "Cy"
    assert db.activity.last_event_id() == events_before
    assert db.customers.get("CY-01").id == cy.id

    r = db.customers.merge(ana, "CY-01", by="desk-jane", take=["first_name"])
    assert isinstance(r, patron.MergeResult)
    assert r.dry_run is False
    assert r.event == db.activity.last_event_id()
    assert r.absorbed == cy.id
    assert r.absorbed_number == "CY-01"
    assert r.moved == {"emails": 1, "notes": 1, "orders": 1, "points_accounts": 1, "purse_accounts": 1}
    assert r.moved == dry.moved
    assert r.filled == ["title", "tags"]
    assert r.taken == ["first_name"]
    c = r.customer
    assert (c.id, c.number, c.first_name, c.title, c.tags) == (ana.id, "ANA-01", "Cy", "Dr", ["spa"])
    assert [e.address for e in c.emails] == ["ana@example.com", "cy@example.com"]

    assert db.purses.account(ana, "GBP").balance == 1000
    assert db.loyalty.account(ana, "stars").balance == 40
    assert db.analytics.stats(ana).orders == 1
    assert len(db.notes.of_customer(ana)) == 1

    res = db.customers.resolve("CY-01")
    assert isinstance(res, patron.Resolution)
    assert (res.id, res.number, res.merged_from, res.merged_from_number, res.redirected) == (
        ana.id, "ANA-01", cy.id, "CY-01", True)
    direct = db.customers.resolve(ana)
    assert (direct.merged_from, direct.redirected) == (None, False)
    assert db.customers.resolve("ZZ-404") is None
    assert db.customers.get(cy.id).id == ana.id
    assert db.identify("cy@example.com")[0].customer.id == ana.id

    actions = [(e.action, e.customer) for e in db.activity.timeline(ana, limit=100).events]
    assert ("customer.merged", ana.id) in actions
    assert ("customer.created", cy.id) in actions  # the absorbed customer's own events


def test_the_survivor_takes_over_the_absorbed_number(db, ana, cy):
    db.customers.merge(ana, cy, by="jane")
    assert db.customers.set_number(ana, "CY-01").number == "CY-01"
    assert db.customers.get("CY-01").id == ana.id
    assert db.customers.resolve(cy.id).merged_from_number == "merged-" + cy.id[:25]
    assert db.customers.find("ANA-01") is None


def test_refusals(db, ana, cy):
    raises(patron.ValidationError, "absorbed", db.customers.merge, ana, ana.number, by="jane")
    raises(patron.ValidationError, "by", db.customers.merge, ana, cy, by="")
    raises(patron.ValidationError, "take[0]", db.customers.merge, ana, cy, by="jane", take=["email"])
    raises(patron.ValidationError, "take[0]", db.customers.merge, ana, cy, by="jane", take=["custom.nope"])
    raises(patron.NotFoundError, "survivor", db.customers.merge, "ZZ-404", cy, by="jane")
    raises(patron.NotFoundError, "absorbed", db.customers.merge, ana, "ZZ-404", by="jane")
    raises(patron.ValidationError, "ref", db.customers.resolve, "??")
    with pytest.raises(TypeError):
        db.customers.merge(ana, cy, "jane")  # by is keyword-only
    with pytest.raises(TypeError):
        db.customers.merge(ana, cy, by="jane", dry_run=1)
    with pytest.raises(TypeError):
        db.customers.merge(ana, cy, by="jane", take="first_name")  # a bare str is not a list
    assert db.customers.get("CY-01").id == cy.id

    db.customers.merge(ana, cy, by="jane")
    e = raises(patron.PreconditionError, "absorbed", db.customers.merge, ana, "CY-01", by="jane")
    assert "already merged into customer ANA-01" in str(e)
    raises(patron.PreconditionError, "survivor", db.customers.merge, "CY-01", ana, by="jane")
