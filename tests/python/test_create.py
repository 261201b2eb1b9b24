"""Creating customers: the three recognisable forms, the profile, and every
refusal (with its exception class, field and message), including proof that
a refused creation leaves nothing behind."""

from __future__ import annotations

import datetime as dt
import re

import pytest

import patron
from helpers import INVALID_PHONE, MOBILE, MOBILE_E164, OTHER_MOBILE_E164


def test_create_with_first_and_last_name(customers):
    c = customers.create(first_name="Ana", last_name="Silva")
    assert re.fullmatch(r"[0-9a-f]{32}", c.id)
    assert c.id[12] == "7", "a UUIDv7"
    assert c.id[16] in "89ab", "RFC 4122 variant"
    assert (c.first_name, c.last_name) == ("Ana", "Silva")
    assert c.emails == [] and c.phones == [] and c.addresses == []
    assert c.primary_email is None
    assert c.status == "active" and c.ban is None
    assert c.presence == "offline" and c.online_until is None
    assert c.created_at == c.updated_at
    assert c.created_at.tzinfo is dt.timezone.utc
    assert c.first_active_at is None and c.last_active_at is None


def test_create_with_email_only(customers):
    c = customers.create(email="  Ana.Silva@Example.COM ")
    assert [(e.address, e.primary) for e in c.emails] == [("ana.silva@example.com", True)]
    assert c.primary_email == "ana.silva@example.com"
    assert c.first_name == "" and c.last_name == ""


def test_create_with_first_name_and_valid_phone(customers):
    c = customers.create(first_name="Ana", phone=MOBILE)
    assert len(c.phones) == 1
    p = c.phones[0]
    assert (p.number, p.label, p.verified) == (MOBILE_E164, "mobile", True)


def test_create_with_phone_label_and_international_number(customers):
    c = customers.create(first_name="Bo", phone="+1 201 555 0123", phone_label="work")
    assert c.phones[0].label == "work"
    assert c.phones[0].number == "+12015550123"


def test_create_with_every_field(customers):
    c = customers.create(
        number="VIP-0001",
        title="Dr",
        first_name="  José ",
        last_name="Álvarez",
        email="jose@example.com",
        phone=MOBILE,
        phone_label="home",
        date_of_birth=dt.date(1980, 2, 29),
        lifecycle_stage="regular",
        tags=["vip", "wine"],
        addresses=[
            {"purpose": "billing", "line1": "1 High St", "city": "London", "postal_code": "N1 1AA", "country": "gb"},
            {"purpose": "shipping", "line1": "2 Low St", "line2": "Flat 3", "city": "Leeds", "region": "Yorkshire",
             "postal_code": "LS1 1AA", "country": "GB"},
            {"purpose": "billing", "line1": "9 New Rd", "city": "Paris", "country": "FR", "is_default": True},
        ],
        emergency_contact={"name": "Maria Álvarez", "phone": "+44 7400 654321"},
    )
    assert c.number == "VIP-0001"
    assert (c.title, c.first_name, c.last_name) == ("Dr", "José", "Álvarez")
    assert c.date_of_birth == dt.date(1980, 2, 29)
    assert c.lifecycle_stage == "regular"
    assert c.tags == ["vip", "wine"]
    assert c.phones[0].label == "home"
    assert [(a.purpose, a.country, a.is_default) for a in c.addresses] == [
        ("billing", "GB", False),
        ("shipping", "GB", True),
        ("billing", "FR", True),
    ]
    shipping = c.addresses[1]
    assert (shipping.line1, shipping.line2, shipping.city, shipping.region, shipping.postal_code) == (
        "2 Low St", "Flat 3", "Leeds", "Yorkshire", "LS1 1AA")
    assert all(isinstance(a.id, int) and a.id > 0 for a in c.addresses)
    assert len({a.id for a in c.addresses}) == 3
    assert c.emergency_contact is not None
    assert (c.emergency_contact.name, c.emergency_contact.phone) == ("Maria Álvarez", OTHER_MOBILE_E164)
    # What create() returned is what the database holds.
    assert customers.get(c.id) == c


def test_date_of_birth_as_iso_text(customers):
    c = customers.create(first_name="Ana", last_name="Silva", date_of_birth="1990-04-01")
    assert c.date_of_birth == dt.date(1990, 4, 1)


def test_none_means_not_given(customers):
    c = customers.create(first_name="Ana", last_name="Silva", email=None, phone=None, number=None,
                         date_of_birth=None, tags=None, addresses=None, emergency_contact=None)
    assert c.emails == [] and c.phones == [] and c.date_of_birth is None and c.emergency_contact is None


def test_generated_numbers_are_sequential_with_at_least_five_digits(customers):
    a = customers.create(first_name="A", last_name="One")
    b = customers.create(first_name="B", last_name="Two")
    assert re.fullmatch(r"\d{5,}", a.number) and re.fullmatch(r"\d{5,}", b.number)
    assert int(b.number) == int(a.number) + 1


def test_number_limits_are_inclusive(customers):
    assert customers.create(first_name="A", last_name="B", number="a.b_c").number == "a.b_c"
    n32 = "Z/" + "9" * 30
    assert customers.create(first_name="A", last_name="B", number=n32).number == n32


def test_empty_number_asks_for_a_generated_one(customers):
    assert re.fullmatch(r"\d{5,}", customers.create(first_name="A", last_name="B", number="").number)


# --- refusals -------------------------------------------------------------


def refused(exc_info, cls, field):
    err = exc_info.value
    assert type(err) is cls
    assert isinstance(err, patron.Error)
    assert err.field == field, err
    assert str(err) and err.message == str(err)
    return err


@pytest.mark.parametrize("fields", [
    {"last_name": "Silva"},
    {"first_name": "Ana"},
    {},
    {"title": "Mr", "tags": ["x"]},
    {"last_name": "Silva", "phone": MOBILE},
])
def test_a_customer_must_be_recognisable(customers, fields):
    with pytest.raises(patron.ValidationError) as info:
        customers.create(**fields)
    err = refused(info, patron.ValidationError, "customer")
    assert isinstance(err, ValueError)
    assert err.code == "invalid_argument"
    assert "first and last name" in str(err) and "email" in str(err) and "valid phone" in str(err)


def test_first_name_with_an_invalid_phone_is_refused_on_the_phone(customers):
    with pytest.raises(patron.ValidationError) as info:
        customers.create(first_name="Ana", phone=INVALID_PHONE)
    err = refused(info, patron.ValidationError, "phone")
    assert "valid phone" in str(err)


def test_a_phone_without_digits_is_refused(customers):
    with pytest.raises(patron.ValidationError) as info:
        customers.create(first_name="Ana", last_name="Silva", phone="call me")
    refused(info, patron.ValidationError, "phone")


def test_an_invalid_phone_is_kept_unverified_when_the_name_suffices(customers):
    c = customers.create(first_name="Ana", last_name="Silva", phone=INVALID_PHONE)
    assert c.phones[0].verified is False
    assert c.phones[0].number == INVALID_PHONE


@pytest.mark.parametrize("number, rule", [
    ("1234", "at least 5"),
    ("   ", "at least 5"),
    ("A" * 33, "at most 32"),
    ("AB 123", "A-Z"),
    ("ABC#12", "A-Z"),
    ("ÀBCDEF", "A-Z"),
])
def test_bad_numbers_are_refused(customers, number, rule):
    with pytest.raises(patron.ValidationError) as info:
        customers.create(first_name="Ana", last_name="Silva", number=number)
    err = refused(info, patron.ValidationError, "number")
    if rule:
        assert rule in str(err)


@pytest.mark.parametrize("email", [
    "ana",
    "ana@",
    "@example.com",
    "ana@@example.com",
    "ana@example",
    "ana silva@example.com",
    "ana@exa mple.com",
    "ana@example.123",
    "a" * 250 + "@example.com",
])
def test_invalid_emails_are_refused(customers, email):
    with pytest.raises(patron.ValidationError) as info:
        customers.create(email=email)
    err = refused(info, patron.ValidationError, "email")
    assert "not a valid email address" in str(err)


def test_duplicate_email_names_the_holder(customers):
    holder = customers.create(first_name="Ana", last_name="Silva", email="ana@example.com")
    with pytest.raises(patron.AlreadyExistsError) as info:
        customers.create(first_name="Other", last_name="Person", email="ANA@Example.com")
    err = refused(info, patron.AlreadyExistsError, "email")
    assert err.code == "already_exists"
    assert not isinstance(err, ValueError)
    assert holder.id in str(err)
    assert "ana@example.com" in str(err)
    # Nothing of the refused customer was written.
    assert customers.search("other person") == []


def test_duplicate_idn_email_is_the_same_address(customers):
    customers.create(email="ana@bücher.de")
    with pytest.raises(patron.AlreadyExistsError):
        customers.create(email="ANA@xn--bcher-kva.de")


def test_taken_number_is_refused_regardless_of_case(customers):
    holder = customers.create(first_name="Ana", last_name="Silva", number="VIP-00001")
    with pytest.raises(patron.AlreadyExistsError) as info:
        customers.create(first_name="Bo", last_name="Berg", number="vip-00001")
    err = refused(info, patron.AlreadyExistsError, "number")
    assert holder.id in str(err)
    assert customers.search("berg") == []


@pytest.mark.parametrize("country", ["XX", "UK", "GBR", "", "1A"])
def test_unknown_country_is_refused(customers, country):
    with pytest.raises(patron.ValidationError) as info:
        customers.create(first_name="Ana", last_name="Silva",
                         addresses=[{"line1": "1 High St", "country": "GB"},
                                    {"line1": "2 Low St", "country": country}])
    err = refused(info, patron.ValidationError, "addresses[1].country")
    assert "ISO 3166-1" in str(err)


def test_unknown_address_purpose_is_refused(customers):
    with pytest.raises(patron.ValidationError) as info:
        customers.create(first_name="Ana", last_name="Silva",
                         addresses=[{"purpose": "holiday", "line1": "1 High St", "country": "GB"}])
    refused(info, patron.ValidationError, "addresses[0].purpose")


def test_unknown_address_field_is_refused(customers):
    with pytest.raises(patron.ValidationError) as info:
        customers.create(first_name="Ana", last_name="Silva",
                         addresses=[{"line1": "1 High St", "country": "GB", "street": "x"}])
    refused(info, patron.ValidationError, "addresses[0].street")


def test_unknown_phone_label_is_refused(customers):
    with pytest.raises(patron.ValidationError) as info:
        customers.create(first_name="Ana", phone=MOBILE, phone_label="pager")
    refused(info, patron.ValidationError, "phone_label")


@pytest.mark.parametrize("field, value", [
    ("first_name", "x" * 101),
    ("last_name", "x" * 101),
    ("title", "x" * 33),
    ("lifecycle_stage", "x" * 65),
    ("first_name", "A\x07na"),
    ("last_name", "Sil\x00va"),
])
def test_too_long_or_control_characters_are_refused(customers, field, value):
    fields = {"first_name": "Ana", "last_name": "Silva", field: value}
    with pytest.raises(patron.ValidationError) as info:
        customers.create(**fields)
    refused(info, patron.ValidationError, field)


@pytest.mark.parametrize("value, field", [
    (dt.date(2999, 1, 1), "date_of_birth"),
    (dt.date(1850, 1, 1), "date_of_birth"),
    ("1990-02-30", "date_of_birth"),
    ("01/04/1990", "date_of_birth"),
])
def test_bad_dates_of_birth_are_refused(customers, value, field):
    with pytest.raises(patron.ValidationError) as info:
        customers.create(first_name="Ana", last_name="Silva", date_of_birth=value)
    refused(info, patron.ValidationError, field)


def test_a_datetime_is_not_a_date_of_birth(customers):
    with pytest.raises(TypeError, match="date_of_birth"):
        customers.create(first_name="Ana", last_name="Silva", date_of_birth=dt.datetime(1990, 4, 1))


def test_duplicate_tags_ignoring_case_are_refused(customers):
    with pytest.raises(patron.ValidationError) as info:
        customers.create(first_name="Ana", last_name="Silva", tags=["VIP", "wine", "vip"])
    refused(info, patron.ValidationError, "tags[2]")


def test_emergency_contact_needs_a_name(customers):
    with pytest.raises(patron.ValidationError) as info:
        customers.create(first_name="Ana", last_name="Silva", emergency_contact={"phone": MOBILE})
    refused(info, patron.ValidationError, "emergency_contact.name")


def test_unknown_keyword_is_refused_naming_it(customers):
    with pytest.raises(patron.ValidationError) as info:
        customers.create(first_name="Ana", last_name="Silva", nickname="Annie")
    err = refused(info, patron.ValidationError, "nickname")
    assert "unknown field" in str(err)


def test_create_takes_keywords_only(customers):
    with pytest.raises(TypeError):
        customers.create("Ana", "Silva")  # type: ignore[call-arg]


@pytest.mark.parametrize("field, value", [
    ("first_name", 42),
    ("email", b"ana@example.com"),
    ("tags", "vip"),
    ("addresses", {"line1": "x", "country": "GB"}),
    ("emergency_contact", "Maria"),
    ("phone_label", 1),
])
def test_wrong_python_types_raise_type_error_naming_the_field(customers, field, value):
    fields = {"first_name": "Ana", "last_name": "Silva", field: value}
    with pytest.raises(TypeError, match=field):
        customers.create(**fields)


# --- invalid UTF-8 ----------------------------------------------------------

# A lone surrogate: what bytes.decode("utf-8", "surrogateescape") yields for a
# byte that is not UTF-8. Such a str cannot be encoded as UTF-8; the binding
# refuses it as invalid input naming the field.
BAD = b"Ana\xff".decode("utf-8", "surrogateescape")


@pytest.mark.parametrize("field", ["first_name", "last_name", "email", "phone", "number", "title"])
def test_invalid_utf8_is_refused_naming_the_field(customers, field):
    assert BAD == "Ana\udcff"
    fields = {"first_name": "Ana", "last_name": "Silva", field: BAD}
    with pytest.raises(patron.ValidationError) as info:
        customers.create(**fields)
    err = refused(info, patron.ValidationError, field)
    assert "UTF-8" in str(err)
    assert customers.search("ana") == []


def test_invalid_utf8_inside_nested_values(customers):
    with pytest.raises(patron.ValidationError) as info:
        customers.create(first_name="Ana", last_name="Silva", tags=["ok", "\udcff"])
    refused(info, patron.ValidationError, "tags[1]")
    with pytest.raises(patron.ValidationError) as info:
        customers.create(first_name="Ana", last_name="Silva",
                         addresses=[{"line1": "\ud800", "country": "GB"}])
    refused(info, patron.ValidationError, "addresses[0].line1")
    with pytest.raises(patron.ValidationError) as info:
        customers.create(first_name="Ana", last_name="Silva", emergency_contact={"name": "M\udcffria"})
    refused(info, patron.ValidationError, "emergency_contact.name")


def test_invalid_utf8_in_lookups(db):
    for call, field in [
        (lambda: db.customers.get("\udcff1234"), "ref"),
        (lambda: db.customers.find_by_email("ana@\udcff.com"), "email"),
        (lambda: db.customers.find_by_phone("0740\udcff"), "phone"),
        (lambda: db.customers.search("jos\udce9"), "text"),
        (lambda: db.identify("\udcff"), "token"),
        (lambda: db.identify_ids("\udcff"), "token"),
    ]:
        with pytest.raises(patron.ValidationError) as info:
            call()
        assert info.value.field == field


# --- create_many ------------------------------------------------------------


def test_create_many_creates_all_in_order(customers):
    created = customers.create_many([
        {"first_name": "Ana", "last_name": "Silva"},
        {"email": "bo@example.com"},
        {"first_name": "Cy", "phone": MOBILE},
    ])
    assert [c.first_name for c in created] == ["Ana", "", "Cy"]
    assert [int(c.number) for c in created] == list(range(int(created[0].number), int(created[0].number) + 3))
    for c in created:
        assert customers.get(c.id) == c


def test_create_many_accepts_any_iterable_of_mappings(customers):
    created = customers.create_many({"first_name": f"P{i}", "last_name": "Gen"} for i in range(3))
    assert len(created) == 3
    assert customers.create_many([]) == []


def _nothing_written(customers, before_number):
    assert customers.search("zed") == []
    assert customers.find_by_email("zed1@example.com") is None
    # The generated-number counter was rolled back too.
    after = customers.create(first_name="Next", last_name="One")
    assert int(after.number) == int(before_number) + 1


def test_refused_create_many_leaves_nothing_on_a_rule(customers):
    before = customers.create(first_name="First", last_name="One")
    with pytest.raises(patron.ValidationError) as info:
        customers.create_many([
            {"first_name": "Zed", "last_name": "One", "email": "zed1@example.com"},
            {"first_name": "Zed", "last_name": "Two"},
            {"first_name": "Zed", "email": "not-an-email"},
        ])
    assert info.value.field == "[2].email"
    _nothing_written(customers, before.number)


def test_refused_create_many_leaves_nothing_on_a_duplicate(customers):
    before = customers.create(first_name="First", last_name="One", email="taken@example.com")
    with pytest.raises(patron.AlreadyExistsError) as info:
        customers.create_many([
            {"first_name": "Zed", "last_name": "One", "email": "zed1@example.com"},
            {"first_name": "Zed", "last_name": "Two", "email": "TAKEN@example.com"},
        ])
    assert info.value.field == "[1].email"
    assert before.id in str(info.value)
    _nothing_written(customers, before.number)


def test_refused_create_many_leaves_nothing_on_a_duplicate_inside_the_batch(customers):
    before = customers.create(first_name="First", last_name="One")
    with pytest.raises(patron.AlreadyExistsError) as info:
        customers.create_many([
            {"first_name": "Zed", "last_name": "One", "email": "zed1@example.com"},
            {"first_name": "Zed", "last_name": "Two", "number": "ZED-01"},
            {"first_name": "Zed", "last_name": "Three", "number": "zed-01"},
        ])
    assert info.value.field == "[2].number"
    _nothing_written(customers, before.number)


def test_create_many_binding_errors_are_indexed(customers):
    with pytest.raises(patron.ValidationError) as info:
        customers.create_many([{"first_name": "A", "last_name": "B"}, {"first_name": "A", "nick": "B"}])
    assert info.value.field == "[1].nick"
    with pytest.raises(patron.ValidationError) as info:
        customers.create_many([{"first_name": "A", "last_name": "B"}, {"email": "\udcff@example.com"}])
    assert info.value.field == "[1].email"
    with pytest.raises(TypeError):
        customers.create_many([{"first_name": "A", "last_name": "B"}, "not a dict"])
    with pytest.raises(TypeError):
        customers.create_many({"first_name": "A", "last_name": "B"})
