"""Door access from Python (db.doors) on a file database: exact values,
permissions and their windows under the injected clock, permissions that
need a membership, opening a door with a credential, and each refusal with
its exception class and field. Mirrors tests/capi/test_capi_doors.cpp."""

from __future__ import annotations

import json

import pytest

import patron
from helpers import H1, H2, T0, T1, UTC, raises, ts


@pytest.fixture
def db(clocked_db):
    return clocked_db


@pytest.fixture
def gate(db):
    return db.doors.create("front-gate", "Front gate", notes="north side")


@pytest.fixture
def spa(db):
    return db.doors.create("spa/2", "Spa 2")


def decision(d):
    return (d.allowed, d.reason, d.customer, d.credential, d.permission)


def test_doors_on_a_file(db, db_path, clock, gate, spa):
    assert isinstance(gate, patron.Door)
    assert (gate.id, gate.name, gate.notes, gate.created_at, gate.updated_at) == (
        "front-gate", "Front gate", "north side", T0, T0)
    assert gate.created_at.tzinfo is UTC
    assert gate.to_dict() == {"id": "front-gate", "name": "Front gate", "notes": "north side",
                              "created_at": ts(T0), "updated_at": ts(T0)}
    assert json.loads(gate.to_json(indent=2)) == gate.to_dict()
    assert "front-gate" in repr(gate)
    clock.advance(minutes=1)
    renamed = db.doors.update(spa, "Spa two")
    assert (renamed.id, renamed.name, renamed.notes, renamed.created_at, renamed.updated_at) == (
        "spa/2", "Spa two", "", T0, T1)
    noted = db.doors.update("front-gate", "Front gate", notes=None)
    assert noted.notes == ""  # notes are replaced
    assert db.doors.get("spa/2") == renamed
    assert hash(db.doors.get("spa/2")) == hash(renamed)
    assert db.doors.find("spa/2") == renamed
    assert db.doors.find("back") is None
    assert db.doors.list() == [noted, renamed]  # by id

    raises(patron.AlreadyExistsError, "id", db.doors.create, "front-gate", "Again")
    raises(patron.ValidationError, "id", db.doors.create, "front gate", "Gate")
    raises(patron.ValidationError, "id", db.doors.create, "", "Gate")
    raises(patron.ValidationError, "id", db.doors.create, "a" * 65, "Gate")
    raises(patron.ValidationError, "name", db.doors.create, "back", "")
    raises(patron.ValidationError, "name", db.doors.create, "back", "n" * 201)
    raises(patron.ValidationError, "notes", db.doors.create, "back", "Back", notes="n" * 2001)
    raises(patron.NotFoundError, "id", db.doors.get, "back")
    raises(patron.ValidationError, "id", db.doors.get, "back door")
    raises(patron.NotFoundError, "id", db.doors.update, "back", "Back")
    raises(patron.ValidationError, "name", db.doors.update, "spa/2", "")
    with pytest.raises(TypeError):
        db.doors.create("back", None)
    with pytest.raises(TypeError):
        db.doors.get(7)
    assert len(db.doors.list()) == 2

    with patron.open(db_path) as again:
        assert again.doors.list() == [noted, renamed]


def test_permissions_grant_list_and_revoke(db, db_path, ana, bo, gate, spa):
    always = db.doors.grant(customer="ana-01", door=gate, notes="staff")
    assert isinstance(always, patron.Permission)
    assert (always.id, always.customer, always.door, always.starts_at, always.ends_at, always.notes,
            always.required_plan, always.created_at) == (1, ana.id, "front-gate", None, None, "staff", None, T0)
    assert always.to_dict() == {"id": 1, "customer": ana.id, "door": "front-gate", "starts_at": None,
                                "ends_at": None, "notes": "staff", "required_plan": None, "created_at": ts(T0)}
    assert "patron.Permission" in repr(always)
    evening = db.doors.grant(customer=ana, door="spa/2", starts_at=H1, ends_at=H2)
    assert (evening.id, evening.starts_at, evening.ends_at) == (2, H1, H2)
    bo_spa = db.doors.grant(customer=bo.id, door=spa)
    ana_spa = db.doors.grant(customer=ana, door="spa/2")

    assert db.doors.permissions_of("ANA-01") == [always, ana_spa, evening]  # door, start, id
    assert db.doors.permissions_of(bo) == [bo_spa]
    assert db.doors.permissions_of_door("spa/2") == [ana_spa, evening, bo_spa]  # number, start, id
    assert db.doors.permissions_of_door(spa, limit=1, offset=1) == [evening]
    assert db.doors.permissions_of_door("spa/2", limit=5, offset=3) == []

    db.doors.revoke(ana_spa)
    assert db.doors.permissions_of(ana) == [always, evening]
    raises(patron.NotFoundError, "id", db.doors.revoke, 4)

    grant = db.doors.grant
    raises(patron.NotFoundError, "door", grant, customer=ana, door="back")
    raises(patron.ValidationError, "door", grant, customer=ana, door="back door")
    raises(patron.NotFoundError, "customer", grant, customer="NOBODY-1", door="spa/2")
    raises(patron.ValidationError, "customer", grant, customer="!!", door="spa/2")
    raises(patron.NotFoundError, "required_plan", grant, customer=ana, door="spa/2", required_plan=9)
    raises(patron.ValidationError, "ends_at", grant, customer=ana, door="spa/2", starts_at=H2, ends_at=H1)
    raises(patron.ValidationError, "notes", grant, customer=ana, door="spa/2", notes="n" * 2001)
    with pytest.raises(TypeError):
        grant(customer=ana, door="spa/2", required_plan="gold")
    with pytest.raises(TypeError):
        grant(ana, "spa/2")  # keyword-only
    assert len(db.doors.permissions_of_door("spa/2")) == 2

    raises(patron.NotFoundError, "ref", db.doors.permissions_of, "NOBODY-1")
    raises(patron.NotFoundError, "door", db.doors.permissions_of_door, "back")
    raises(patron.ValidationError, "limit", db.doors.permissions_of_door, "spa/2", limit=0)
    raises(patron.ValidationError, "limit", db.doors.permissions_of_door, "spa/2", limit=1001)

    with patron.open(db_path) as again:
        assert again.doors.permissions_of("ANA-01") == [always, evening]


def test_who_may_open_and_why_not(db, clock, ana, bo, gate, spa):
    doors = db.doors
    no = doors.check("ANA-01", "spa/2")
    assert isinstance(no, patron.AccessDecision)
    assert decision(no) == (False, "no_permission", ana.id, None, None)
    assert not no
    assert no.to_dict() == {"allowed": False, "reason": "no_permission", "customer": ana.id, "credential": None,
                            "permission": None}
    assert "no_permission" in repr(no)
    assert doors.can_open(ana, "spa/2") is False
    assert decision(doors.check(ana, "back")) == (False, "unknown_door", ana.id, None, None)
    assert doors.can_open(ana, "back") is False

    doors.grant(customer=ana, door=spa, starts_at=H1, ends_at=H2)
    assert doors.check(ana, spa).reason == "outside_window"
    yes = doors.check(ana, spa, at=H1)
    assert yes and decision(yes) == (True, "allowed", ana.id, None, 1)
    assert doors.can_open(ana, spa, at=H1) is True
    assert doors.can_open(ana, spa, at=H2) is False
    clock.advance(hours=1)
    assert doors.can_open(ana.id, "spa/2") is True

    gold = db.memberships.create_plan("Gold")
    doors.grant(customer=bo, door=gate, required_plan=gold)
    assert doors.check(bo, gate).reason == "membership_required"
    db.memberships.add(gold, customer=bo)
    assert decision(doors.check(bo, gate)) == (True, "allowed", bo.id, None, 2)

    db.customers.ban(bo, "fraud", by="staff:1")
    assert decision(doors.check(bo, gate)) == (False, "banned", bo.id, None, None)
    assert doors.can_open(bo, gate) is False

    raises(patron.NotFoundError, "ref", doors.can_open, "NOBODY-1", "spa/2")
    raises(patron.NotFoundError, "ref", doors.check, "NOBODY-1", "spa/2")
    with pytest.raises(TypeError):
        doors.can_open(ana, "spa/2", at="later")


def test_opening_a_door_with_a_credential(db, ana, bo, gate, spa):
    db.credentials.issue("smart_card", "CARD-A", customer=ana)
    db.credentials.issue("key_fob", "FOB-B", customer=bo, valid_from=H1)
    db.doors.grant(customer=ana, door=gate)
    db.doors.grant(customer=bo, door=gate)
    open_ = db.doors.open

    assert decision(open_("CARD-A", "front-gate")) == (True, "allowed", ana.id, 1, 1)
    assert decision(open_("CARD-A", spa)) == (False, "no_permission", ana.id, 1, None)
    assert decision(open_("CARD-A", "back")) == (False, "unknown_door", ana.id, 1, None)
    assert decision(open_("NO-CARD", gate)) == (False, "unknown_credential", None, None, None)
    # A credential that identifies nobody checks nobody.
    assert decision(open_("FOB-B", gate)) == (False, "credential_not_yet_valid", None, 2, None)
    assert decision(open_("FOB-B", gate, at=H1)) == (True, "allowed", bo.id, 2, 2)

    db.credentials.set_status(1, "blocked")
    assert open_("CARD-A", gate).reason == "credential_blocked"
    db.credentials.set_status(1, "lost")
    assert open_("CARD-A", gate).reason == "credential_lost"
    db.credentials.set_status(1, "active")
    db.credentials.replace(1, "CARD-A2")
    assert open_("CARD-A", gate).reason == "credential_replaced"
    assert decision(open_("CARD-A2", gate)) == (True, "allowed", ana.id, 3, 1)
    db.credentials.set_validity(3, valid_until=H1)
    assert open_("CARD-A2", gate, at=H1).reason == "credential_expired"

    raises(patron.ValidationError, "token", open_, "", gate)
    with pytest.raises(TypeError):
        open_(None, gate)


def test_classes_are_exported(db):
    for name in ("Doors", "Door", "Permission", "AccessDecision"):
        assert name in patron.__all__
        assert getattr(patron, name).__module__ == "patron"
    assert db.doors is db.doors
    assert repr(db.doors).startswith("<patron.Doors of ")
