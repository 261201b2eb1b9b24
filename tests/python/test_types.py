"""The Python objects: Customer and its parts, to_dict/to_json, equality,
repr, read-only attributes, and the exception tree."""

from __future__ import annotations

import datetime as dt
import json
import pickle

import pytest

import patron
from helpers import MOBILE, UTC


@pytest.fixture
def full(customers):
    return customers.create(
        number="FULL-0001", title="Dr", first_name="José", last_name="Álvarez", email="jose@example.com",
        phone=MOBILE, date_of_birth="1980-02-29", lifecycle_stage="regular", tags=["vip", "vinho"],
        addresses=[{"purpose": "billing", "line1": "1 Rua", "city": "Lisboa", "country": "PT"}],
        emergency_contact={"name": "Maria", "phone": "+351 912 345 678"})


def test_attribute_types(full):
    c = full
    assert isinstance(c, patron.Customer)
    for name in ["id", "number", "title", "first_name", "last_name", "lifecycle_stage", "status", "presence"]:
        assert isinstance(getattr(c, name), str), name
    assert isinstance(c.date_of_birth, dt.date) and not isinstance(c.date_of_birth, dt.datetime)
    assert c.date_of_birth == dt.date(1980, 2, 29)
    assert isinstance(c.tags, list) and c.tags == ["vip", "vinho"]
    assert isinstance(c.emails[0], patron.Email)
    assert isinstance(c.phones[0], patron.Phone)
    assert isinstance(c.addresses[0], patron.Address)
    assert isinstance(c.emergency_contact, patron.EmergencyContact)
    assert c.emergency_contact.phone == "+351912345678"
    for name in ["created_at", "updated_at"]:
        value = getattr(c, name)
        assert isinstance(value, dt.datetime) and value.tzinfo is UTC
    assert c.primary_email == "jose@example.com"


def test_to_dict_and_to_json(full):
    d = full.to_dict()
    assert isinstance(d, dict)
    assert d["id"] == full.id and d["number"] == "FULL-0001"
    assert d["first_name"] == "José"
    assert json.loads(full.to_json()) == d
    pretty = full.to_json(indent=2)
    assert "\n" in pretty and json.loads(pretty) == d
    assert "José" in pretty  # not escaped
    json.dumps(d)  # plain JSON types only


def test_equality_and_hash(customers, full):
    again = customers.get(full.id)
    assert again == full and not (again != full)
    assert hash(again) == hash(full)
    assert len({full, again}) == 1
    other = customers.create(first_name="Bo", last_name="Berg")
    assert other != full
    assert full != full.id
    changed = customers.update(full.id, title="Prof")
    assert changed != full and changed.id == full.id


def test_parts_compare_by_value(customers, full):
    again = customers.get(full.id)
    assert again.emails == full.emails
    assert again.phones[0] == full.phones[0]
    assert again.addresses == full.addresses
    assert again.emergency_contact == full.emergency_contact
    assert full.emails[0] != full.phones[0]


def test_reprs(customers, full):
    r = repr(full)
    assert full.id in r and "FULL-0001" in r and "José Álvarez" in r and "active" in r
    assert repr(full.emails[0]) == "Email('jose@example.com', primary=True)"
    assert repr(full.phones[0]) == "Phone('+447400123456', label='mobile', verified=True)"
    assert "Lisboa" in repr(full.addresses[0]) and "'PT'" in repr(full.addresses[0])
    assert "Maria" in repr(full.emergency_contact)
    banned = customers.ban(full.id, "rude", "staff")
    assert "rude" in repr(banned.ban) and "staff" in repr(banned.ban)
    assert isinstance(banned.ban.at, dt.datetime) and banned.ban.at.tzinfo is UTC
    assert "banned" in repr(banned)
    assert "Customers" in repr(customers)


def test_records_are_read_only(full):
    with pytest.raises(AttributeError):
        full.first_name = "X"
    with pytest.raises(AttributeError):
        full.emails[0].address = "x@example.com"
    full.tags.append("mutating a returned list")
    assert full.tags == ["vip", "vinho"]


def test_records_are_not_constructed_by_hand():
    with pytest.raises(TypeError):
        patron.Customer()
    with pytest.raises(TypeError):
        patron.Database()


def test_classes_present_as_patron_members():
    assert patron.Customer.__module__ == "patron"
    assert patron.Database.__module__ == "patron"


# --- exceptions ---------------------------------------------------------------------


def test_exception_tree():
    assert issubclass(patron.Error, Exception)
    assert issubclass(patron.ValidationError, patron.Error) and issubclass(patron.ValidationError, ValueError)
    assert issubclass(patron.NotFoundError, patron.Error) and issubclass(patron.NotFoundError, LookupError)
    for cls in [patron.AlreadyExistsError, patron.ConflictError, patron.PreconditionError, patron.StorageError,
                patron.InternalError]:
        assert issubclass(cls, patron.Error)
        assert not issubclass(cls, (ValueError, LookupError))
    assert patron.errors.ValidationError is patron.ValidationError


@pytest.mark.parametrize("cls, code", [
    (patron.ValidationError, "invalid_argument"),
    (patron.NotFoundError, "not_found"),
    (patron.AlreadyExistsError, "already_exists"),
    (patron.ConflictError, "conflict"),
    (patron.PreconditionError, "failed_precondition"),
    (patron.StorageError, "storage"),
    (patron.InternalError, "internal"),
])
def test_exception_codes(cls, code):
    err = cls("boom", field="x")
    assert (err.code, err.field, str(err), err.message) == (code, "x", "boom", "boom")
    assert patron.errors._from_code(code, "m", "f").__class__ is cls


def test_exceptions_pickle_and_repr(customers):
    with pytest.raises(patron.ValidationError) as info:
        customers.create(first_name="Ana", last_name="Silva", email="nope")
    err = info.value
    copy = pickle.loads(pickle.dumps(err))
    assert type(copy) is patron.ValidationError
    assert (copy.code, copy.field, str(copy)) == (err.code, err.field, str(err))
    assert repr(err).startswith("ValidationError(") and "field='email'" in repr(err)


def test_catching_the_base_class(customers):
    customers.create(email="ana@example.com")
    with pytest.raises(patron.Error):
        customers.create(email="ana@example.com")
    with pytest.raises(ValueError):
        customers.create(email="nope")
    with pytest.raises(LookupError):
        customers.get("0" * 32)
