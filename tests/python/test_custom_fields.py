"""Custom fields from Python (db.custom_fields, customers.create(...,
custom_fields=...)) on a file database: exact definitions, values of every
type as Python values (int vs float for number and file fields), definition
changes, finding customers, visibility by role, and each refusal with its
exception class and field. Mirrors tests/capi/test_capi_custom_fields.cpp."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import patron
from helpers import T0, T1, raises, ts


@pytest.fixture
def db(clocked_db):
    return clocked_db


def fields(d):
    return dict(key=d.key, label=d.label, type=d.type, required=d.required, default=d.default, options=d.options,
                visible_to=d.visible_to, created_at=d.created_at, updated_at=d.updated_at)


def definition(key, label, type, required=False, default=None, options=(), visible_to=(), created=T0, updated=T0):
    return dict(key=key, label=label, type=type, required=required, default=default, options=list(options),
                visible_to=list(visible_to), created_at=created, updated_at=updated)


def test_definitions_on_a_file(db, db_path, clock):
    cf = db.custom_fields
    assert cf.list() == []
    vip = cf.define("vip_level", "VIP level", "select", required=True, default="silver", options=["silver", "gold"],
                    visible_to=["manager"])
    assert isinstance(vip, patron.FieldDefinition)
    assert fields(vip) == definition("vip_level", "VIP level", "select", True, "silver", ["silver", "gold"],
                                     ["manager"])
    assert vip.to_dict() == {"key": "vip_level", "label": "VIP level", "type": "select", "required": True,
                             "default": "silver", "options": ["silver", "gold"], "visible_to": ["manager"],
                             "created_at": ts(T0), "updated_at": ts(T0)}
    assert json.loads(vip.to_json()) == vip.to_dict()
    assert "patron.FieldDefinition" in repr(vip)
    assert fields(cf.define("notes", "Notes")) == definition("notes", "Notes", "text")
    since = cf.define("since", "Member since", "date", default=dt.date(2024, 5, 1), options=None, visible_to=None)
    assert since.default == dt.date(2024, 5, 1)
    score = cf.define("score", "Score", "number", default=3)  # an int for a number field is a float
    assert score.default == 3.0 and isinstance(score.default, float)

    db.close()
    with patron.open(db_path, clock=clock) as again:
        cf = again.custom_fields
        assert cf.get("vip_level") == vip
        assert [d.key for d in cf.list()] == ["notes", "score", "since", "vip_level"]
        clock.advance(minutes=1)
        relabelled = cf.update("vip_level", label="VIP tier", options=["silver", "gold", "platinum"], visible_to=None,
                               default="gold")
        assert fields(relabelled) == definition("vip_level", "VIP tier", "select", True, "gold",
                                                ["silver", "gold", "platinum"], [], T0, T1)
        assert cf.update("since", default=None).default is None
        assert cf.update("notes", type="date", default="2025-01-02").default == dt.date(2025, 1, 2)
        assert cf.update("notes").label == "Notes"
        cf.remove("notes")
        raises(patron.NotFoundError, "key", cf.get, "notes")


def test_values_of_every_type(db, ana, bo):
    cf = db.custom_fields
    cf.define("a_text", "Text")
    cf.define("b_number", "Number", "number")
    cf.define("c_date", "Date", "date")
    cf.define("d_select", "Select", "select", options=["x", "y"])
    cf.define("e_multi", "Multi", "multi_select", options=["red", "green", "blue"])
    cf.define("f_check", "Check", "checkbox")
    cf.define("g_url", "URL", "url")
    cf.define("h_file", "File", "file")
    doc = db.documents.attach(ana, "id.png", b"png", kind="image")

    assert cf.values(ana) == {}
    assert cf.set(ana, "a_text", "2024-05-01") == {"a_text": "2024-05-01"}
    assert cf.set(ana, "c_date", "2024-05-01")["c_date"] == dt.date(2024, 5, 1)  # an ISO str for a date field
    assert cf.set(ana, "c_date", dt.date(2024, 5, 2))["c_date"] == dt.date(2024, 5, 2)
    value = cf.set(ana, "b_number", 3)["b_number"]
    assert value == 3.0 and isinstance(value, float)
    cf.set(ana, "b_number", 2.5)
    cf.set(ana, "d_select", "y")
    cf.set(ana, "e_multi", ("blue", "red"))
    cf.set(ana, "f_check", True)
    cf.set(ana, "g_url", "https://example.com/ana")
    cf.set(ana, "h_file", doc.id)
    everything = cf.set(ana, "h_file", doc)  # a Document names its id
    assert everything == {"a_text": "2024-05-01", "b_number": 2.5, "c_date": dt.date(2024, 5, 2), "d_select": "y",
                          "e_multi": ["red", "blue"], "f_check": True, "g_url": "https://example.com/ana",
                          "h_file": doc.id}
    assert type(everything["h_file"]) is int and type(everything["f_check"]) is bool
    assert cf.values("ANA-01") == everything
    assert cf.values(bo) == {}
    cleared = cf.clear(ana, "a_text")
    assert "a_text" not in cleared and len(cleared) == 7

    [change] = db.activity.history(ana, "custom.d_select")
    assert (change.old, change.new) == (None, "y")


def test_custom_fields_of_new_customers_and_find(db):
    cf = db.custom_fields
    cf.define("tier", "Tier", "select", required=True, default="silver", options=["silver", "gold"])
    cf.define("since", "Since", "date")
    cf.define("visits", "Visits", "number")
    cf.define("secret", "Secret", visible_to=["manager"])

    cy = db.customers.create(first_name="Cy", last_name="Cole", number="CY-01",
                             custom_fields={"since": dt.date(2024, 5, 1), "visits": 4, "tier": "gold", "secret": "s"})
    assert cf.values(cy) == {"secret": "s", "since": dt.date(2024, 5, 1), "tier": "gold", "visits": 4.0}
    db.customers.create(first_name="Di", last_name="Dunn", number="DI-01", custom_fields={})
    assert cf.values("DI-01") == {"tier": "silver"}
    db.customers.create_many([dict(first_name="Ed", last_name="Eng", number="ED-01"),
                              dict(first_name="Flo", last_name="Fox", number="FLO-01",
                                   custom_fields={"since": "2023-01-31", "tier": "gold"})])
    assert cf.values("FLO-01") == {"since": dt.date(2023, 1, 31), "tier": "gold"}

    assert "secret" in cf.values(cy, role="manager")
    assert "secret" not in cf.values(cy, "waiter")
    assert [c.number for c in cf.find("tier", "gold")] == ["CY-01", "FLO-01"]
    assert [c.number for c in cf.find("since", dt.date(2024, 5, 1))] == ["CY-01"]
    assert [c.number for c in cf.find("visits", 4)] == ["CY-01"]
    assert [c.number for c in cf.find("visits", 4.0)] == ["CY-01"]
    assert cf.find("visits", 5) == []
    assert [c.number for c in cf.find("tier", "gold", limit=1, offset=1)] == ["FLO-01"]

    error = raises(patron.PreconditionError, "options", cf.update, "tier", options=["silver"])
    assert "2" in str(error)
    raises(patron.PreconditionError, "type", cf.update, "since", type="checkbox")
    raises(patron.PreconditionError, "required", cf.clear, cy, "tier")


def test_refusals(db, ana):
    cf = db.custom_fields
    raises(patron.ValidationError, "key", cf.define, "1abc", "A")
    raises(patron.ValidationError, "key", cf.define, "Abc", "A")
    raises(patron.ValidationError, "label", cf.define, "a", "")
    raises(patron.ValidationError, "type", cf.define, "a", "A", "colour")
    raises(patron.ValidationError, "default", cf.define, "a", "A", "date", default="May 1st")
    raises(patron.ValidationError, "options", cf.define, "a", "A", "select", options=[])
    raises(patron.ValidationError, "visible_to[0]", cf.define, "a", "A", visible_to=[""])
    with pytest.raises(TypeError):
        cf.define("a", "A", required="yes")
    with pytest.raises(TypeError):
        cf.define("a", "A", options="x")  # a bare str is not a list
    with pytest.raises(TypeError):
        cf.define("a", "A", "checkbox", default={})
    cf.define("tier", "Tier", "select", options=["silver", "gold"])
    cf.define("count", "Count", "number")
    cf.define("doc", "Doc", "file")
    raises(patron.AlreadyExistsError, "key", cf.define, "tier", "Again")
    raises(patron.NotFoundError, "key", cf.get, "nope")
    raises(patron.NotFoundError, "key", cf.update, "nope", label="X")
    raises(patron.ValidationError, "colour", cf.update, "tier", colour=1)
    raises(patron.NotFoundError, "key", cf.remove, "nope")

    raises(patron.ValidationError, "custom_fields.tier", cf.set, ana, "tier", "bronze")
    raises(patron.ValidationError, "custom_fields.tier", cf.set, ana, "tier", 3)
    raises(patron.ValidationError, "custom_fields.count", cf.set, ana, "count", True)  # bool is never a number
    raises(patron.ValidationError, "custom_fields.count", cf.set, ana, "count", "3")
    raises(patron.ValidationError, "custom_fields.doc", cf.set, ana, "doc", 3.0)  # a file is an int
    raises(patron.NotFoundError, "key", cf.set, ana, "nope", "x")
    with pytest.raises(TypeError):
        cf.set(ana, "tier", None)
    with pytest.raises(TypeError):
        cf.set(ana, "tier", {"a": 1})
    raises(patron.NotFoundError, "ref", cf.set, "NOBODY-1", "tier", "gold")
    assert cf.values(ana) == {}

    create = db.customers.create
    raises(patron.ValidationError, "custom_fields.tier", create, first_name="Cy", last_name="Cole",
           custom_fields={"tier": "bronze"})
    raises(patron.ValidationError, "custom_fields.nope", create, first_name="Cy", last_name="Cole",
           custom_fields={"nope": 1})
    with pytest.raises(TypeError):
        create(first_name="Cy", last_name="Cole", custom_fields=["tier"])
    raises(patron.ValidationError, "[1].custom_fields.tier", db.customers.create_many,
           [dict(first_name="Cy", last_name="Cole"), dict(first_name="Di", last_name="Dunn",
                                                         custom_fields={"tier": True})])
    raises(patron.ValidationError, "limit", cf.find, "tier", "gold", limit=0)
    raises(patron.NotFoundError, "ref", cf.values, "NOBODY-1")


def test_classes_are_exported(db):
    for name in ("CustomFields", "FieldDefinition"):
        assert name in patron.__all__
        assert getattr(patron, name).__module__ == "patron"
    assert db.custom_fields is db.custom_fields
    assert repr(db.custom_fields).startswith("<patron.CustomFields of ")
