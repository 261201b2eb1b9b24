"""The social graph from Python (db.connections) on a file database: exact
values, referrals, inference from companies and referrals, neighbours and
the DOT text, and each refusal with its exception class and field. Mirrors
tests/capi/test_capi_connections.cpp."""

from __future__ import annotations

import json

import pytest

import patron
from helpers import T0, T1, raises, ts


@pytest.fixture
def db(clocked_db):
    return clocked_db


@pytest.fixture
def people(db):
    """Ana and Cy at acme.com, Bo and Di elsewhere."""
    create = db.customers.create
    return (create(first_name="Ana", last_name="Silva", email="ana@acme.com", number="ANA-01"),
            create(first_name="Bo", last_name="Berg", email="bo@example.org", number="BO-01"),
            create(first_name="Cy", last_name="Cole", email="cy@acme.com", number="CY-01"),
            create(first_name="Di", last_name="Dunn", email="di@example.net", number="DI-01"))


def fields(c):
    return (c.id, c.from_, c.to, c.type, c.source, c.note, c.created_at)


def test_connect_read_and_disconnect_on_a_file(db, db_path, clock, people):
    ana, bo, cy, di = people
    graph = db.connections
    assert graph.of_customer(ana) == []
    friends = graph.connect("ana-01", bo, " Friend ", note="met at the bar")
    assert isinstance(friends, patron.Connection)
    assert fields(friends) == (1, ana.id, bo.id, "friend", "manual", "met at the bar", T0)
    assert friends.directed is False
    assert friends.to_dict() == {"id": 1, "from": ana.id, "to": bo.id, "type": "friend", "source": "manual",
                                 "note": "met at the bar", "created_at": ts(T0)}
    assert json.loads(friends.to_json()) == friends.to_dict()
    assert "friend" in repr(friends) and " -- " in repr(friends)
    clock.advance(minutes=1)
    relative = graph.connect(di.id, "ANA-01", "relative")
    assert fields(relative) == (2, di.id, ana.id, "relative", "manual", "", T1)
    colleague = graph.connect(from_=bo, to=ana, type="colleague")

    assert graph.get(1) == friends
    assert graph.get(friends) == friends
    assert hash(graph.get(1)) == hash(friends)
    assert graph.of_customer(ana) == [colleague, friends, relative]  # type, other's number, id
    assert graph.of_customer(bo) == [colleague, friends]
    assert graph.of_customer(di) == [relative]
    assert graph.of_customer(ana, type="FRIEND") == [friends]
    assert graph.of_customer(ana, type="") == graph.of_customer(ana)
    assert graph.of_customer(cy) == []

    connect = graph.connect
    raises(patron.AlreadyExistsError, "type", connect, bo, ana, "friend")  # whichever way round
    raises(patron.ValidationError, "to", connect, ana, "ana-01", "friend")
    raises(patron.NotFoundError, "from", connect, "NOBODY-1", ana, "friend")
    raises(patron.NotFoundError, "to", connect, ana, "NOBODY-1", "friend")
    raises(patron.ValidationError, "from", connect, "!!", ana, "friend")
    raises(patron.ValidationError, "type", connect, ana, cy, "  ")
    raises(patron.ValidationError, "type", connect, ana, cy, "t" * 65)
    raises(patron.ValidationError, "type", connect, ana, cy, "a\x07b")
    raises(patron.ValidationError, "note", connect, ana, cy, "friend", note="n" * 2001)
    with pytest.raises(TypeError):
        connect(ana, cy, None)
    with pytest.raises(TypeError):
        connect(ana, 7, "friend")
    assert graph.of_customer(cy) == []

    graph.disconnect(friends)
    assert graph.of_customer(bo) == [colleague]
    raises(patron.NotFoundError, "id", graph.disconnect, 1)
    raises(patron.NotFoundError, "id", graph.get, 1)
    raises(patron.NotFoundError, "ref", graph.of_customer, "NOBODY-1")

    with patron.open(db_path) as again:
        assert again.connections.of_customer("ANA-01") == [colleague, relative]


def test_referrals(db, db_path, clock, people):
    ana, bo, cy, di = people
    graph = db.connections
    assert graph.referrer_of(bo) is None
    referral = graph.record_referral("ANA-01", "bo-01", note="brought a friend")
    assert isinstance(referral, patron.Referral)
    assert (referral.referrer, referral.referred, referral.note, referral.at) == (ana.id, bo.id,
                                                                                  "brought a friend", T0)
    assert referral.to_dict() == {"referrer": ana.id, "referred": bo.id, "note": "brought a friend",
                                  "at": ts(T0)}
    assert "->" in repr(referral)
    clock.advance(minutes=1)
    second = graph.record_referral(ana, cy)
    assert (second.note, second.at) == ("", T1)

    assert graph.referrer_of("BO-01") == referral
    assert hash(graph.referrer_of(bo)) == hash(referral)
    assert graph.referrals_by(ana) == [referral, second]
    assert graph.referrals_by(bo) == []

    err = raises(patron.AlreadyExistsError, "referred", graph.record_referral, di, bo)
    assert "ANA-01" in str(err)  # names the existing referrer
    raises(patron.ValidationError, "referred", graph.record_referral, di, "di-01")
    raises(patron.NotFoundError, "referrer", graph.record_referral, "NOBODY-1", di)
    raises(patron.NotFoundError, "referred", graph.record_referral, di, "NOBODY-1")
    raises(patron.ValidationError, "referrer", graph.record_referral, "!!", di)
    raises(patron.NotFoundError, "ref", graph.referrer_of, "NOBODY-1")
    raises(patron.NotFoundError, "ref", graph.referrals_by, "NOBODY-1")
    assert graph.of_customer(bo) == []  # no connection until inference runs

    with patron.open(db_path) as again:
        assert again.connections.referrals_by("ANA-01") == [referral, second]


def test_inference_from_companies_and_referrals(db, clock, people):
    ana, bo, cy, di = people
    graph = db.connections
    db.companies.create(name="Acme", domains=["acme.com"])
    graph.record_referral(ana, bo)
    report = graph.infer()
    assert isinstance(report, patron.InferenceReport)
    assert (report.colleagues_added, report.referrals_added, report.removed, report.companies_skipped) == (
        1, 1, 0, 0)
    assert report.to_dict() == {"colleagues_added": 1, "referrals_added": 1, "removed": 0, "companies_skipped": 0}
    assert "colleagues_added=1" in repr(report)
    [inferred] = graph.of_customer(cy)
    assert (inferred.type, inferred.source) == ("colleague", "inferred")
    [referral] = graph.of_customer(bo)
    assert (referral.type, referral.source, referral.from_, referral.to) == ("referral", "inferred", ana.id, bo.id)
    assert referral.directed is True
    assert " -> " in repr(referral)
    assert graph.infer().to_dict() == {"colleagues_added": 0, "referrals_added": 0, "removed": 0,
                                       "companies_skipped": 0}

    clock.advance(minutes=1)
    manual = graph.connect(cy, ana, "colleague", note="same team")
    assert (manual.id, manual.created_at, manual.source, manual.note) == (
        inferred.id, inferred.created_at, "manual", "same team")
    assert graph.infer().colleagues_added == 0
    assert graph.get(manual).source == "manual"

    db.customers.create(first_name="Ed", last_name="Eve", email="ed@acme.com", number="ED-01")
    assert graph.infer(max_company_size=2).companies_skipped == 1
    assert graph.infer().colleagues_added == 2

    raises(patron.ValidationError, "max_company_size", graph.infer, max_company_size=1)
    raises(patron.ValidationError, "max_company_size", graph.infer, max_company_size=-1)
    with pytest.raises(TypeError):
        graph.infer(500)  # keyword-only


def test_neighbours_and_dot(db, people):
    ana, bo, cy, di = people
    graph = db.connections
    graph.connect(ana, bo, "friend")
    graph.connect(bo, cy, "friend")
    graph.connect(cy, di, "relative")
    [first] = graph.neighbours(ana)
    assert isinstance(first, patron.Neighbour)
    assert (first.id, first.distance, first.via) == (bo.id, 1, ana.id)
    assert first.to_dict() == {"id": bo.id, "distance": 1, "via": ana.id}
    assert "distance=1" in repr(first)
    assert [(n.id, n.distance, n.via) for n in graph.neighbours("ANA-01", hops=3)] == [
        (bo.id, 1, ana.id), (cy.id, 2, bo.id), (di.id, 3, cy.id)]
    assert len(graph.neighbours(ana, hops=6, limit=2)) == 2
    assert [n.id for n in graph.neighbours(bo, hops=2)] == [ana.id, cy.id, di.id]  # nearest, then number
    assert graph.neighbours(ana, 2) == graph.neighbours(ana, hops=2)
    assert hash(graph.neighbours(ana)[0]) == hash(first)

    raises(patron.ValidationError, "hops", graph.neighbours, ana, hops=0)
    raises(patron.ValidationError, "hops", graph.neighbours, ana, hops=7)
    raises(patron.ValidationError, "hops", graph.neighbours, ana, hops=-1)
    raises(patron.ValidationError, "hops", graph.neighbours, ana, hops=2**32 + 1)
    raises(patron.ValidationError, "limit", graph.neighbours, ana, limit=0)
    raises(patron.ValidationError, "limit", graph.neighbours, ana, limit=10001)
    raises(patron.ValidationError, "limit", graph.neighbours, ana, limit=-5)
    raises(patron.NotFoundError, "ref", graph.neighbours, "NOBODY-1")

    graph.record_referral(ana, di)
    graph.infer()
    dot = graph.to_dot(ana)
    assert isinstance(dot, str)
    assert dot.startswith("graph")
    for present in (ana.id, bo.id, di.id, "friend", "referral", "dashed"):
        assert present in dot, present
    assert cy.id not in dot  # two hops away
    assert cy.id in graph.to_dot(ana, hops=2)
    raises(patron.ValidationError, "hops", graph.to_dot, ana, hops=9)
    raises(patron.NotFoundError, "ref", graph.to_dot, "NOBODY-1")


def test_classes_are_exported(db):
    for name in ("Connections", "Connection", "Referral", "Neighbour", "InferenceReport"):
        assert name in patron.__all__
        assert getattr(patron, name).__module__ == "patron"
    assert db.connections is db.connections
    assert repr(db.connections).startswith("<patron.Connections of ")
