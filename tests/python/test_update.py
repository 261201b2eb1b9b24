"""Changing customers: partial update and clearing, number, emails, phones,
addresses, ban/unban and presence (with an injected clock)."""

from __future__ import annotations

import datetime as dt

import pytest

import patron
from helpers import INVALID_PHONE, MOBILE, MOBILE_E164, OTHER_MOBILE, OTHER_MOBILE_E164


@pytest.fixture
def ana(customers):
    return customers.create(
        title="Ms", first_name="Ana", last_name="Silva", number="ANA-00001", email="ana@example.com",
        date_of_birth="1990-04-01", lifecycle_stage="lead", tags=["vip"],
        emergency_contact={"name": "Rui Silva", "phone": OTHER_MOBILE})


# --- update -------------------------------------------------------------------


def test_update_changes_only_what_is_given(clocked_db, clock):
    customers = clocked_db.customers
    before = customers.create(title="Ms", first_name="Ana", last_name="Silva", email="ana@example.com",
                              tags=["vip"], date_of_birth="1990-04-01")
    clock.advance(minutes=5)
    after = customers.update(before.id, title="Dr")
    assert after.title == "Dr"
    for name in ["id", "number", "first_name", "last_name", "date_of_birth", "lifecycle_stage", "tags",
                 "emails", "phones", "addresses", "emergency_contact", "status", "created_at"]:
        assert getattr(after, name) == getattr(before, name), name
    assert after.updated_at == clock.now
    assert customers.get(before.id) == after


def test_update_every_field(customers, ana):
    c = customers.update(ana.id, title="Mx", first_name="Anabela", last_name="Sousa",
                         date_of_birth=dt.date(1991, 5, 2), lifecycle_stage="customer", tags=["wine", "beer"],
                         emergency_contact={"name": "Eva", "phone": MOBILE})
    assert (c.title, c.first_name, c.last_name, c.lifecycle_stage) == ("Mx", "Anabela", "Sousa", "customer")
    assert c.date_of_birth == dt.date(1991, 5, 2)
    assert c.tags == ["wine", "beer"]
    assert (c.emergency_contact.name, c.emergency_contact.phone) == ("Eva", MOBILE_E164)
    assert [x.id for x in customers.search("anabela sousa")] == [ana.id]
    assert customers.search("silva") == []


def test_update_clears(customers, ana):
    c = customers.update(ana, title="", lifecycle_stage=None, date_of_birth=None, emergency_contact=None, tags=[])
    assert c.title == "" and c.lifecycle_stage == ""
    assert c.date_of_birth is None and c.emergency_contact is None and c.tags == []
    assert customers.get(ana.id) == c
    assert customers.update(ana.id, tags=None).tags == []


def test_update_accepts_a_contact_object(customers, ana):
    other = customers.create(first_name="Bo", last_name="Berg")
    c = customers.update(other.id, emergency_contact=ana.emergency_contact)
    assert c.emergency_contact == ana.emergency_contact


def test_update_refuses_unknown_fields_naming_them(customers, ana):
    with pytest.raises(patron.ValidationError) as info:
        customers.update(ana.id, nickname="Annie")
    assert info.value.field == "nickname"
    assert "unknown field" in str(info.value)
    with pytest.raises(patron.ValidationError) as info:
        customers.update(ana.id, number="NEW-00001")
    assert info.value.field == "number" and "set_number" in str(info.value)
    with pytest.raises(patron.ValidationError) as info:
        customers.update(ana.id, email="x@example.com")
    assert info.value.field == "email" and "add_email" in str(info.value)


def test_refused_update_changes_nothing(customers, ana):
    with pytest.raises(patron.ValidationError) as info:
        customers.update(ana.id, first_name="Changed", date_of_birth="2999-01-01")
    assert info.value.field == "date_of_birth"
    with pytest.raises(patron.ValidationError) as info:
        customers.update(ana.id, first_name="Changed", tags=["a", "A"])
    assert info.value.field == "tags[1]"
    with pytest.raises(patron.ValidationError) as info:
        customers.update(ana.id, first_name="\udcff")
    assert info.value.field == "first_name"
    assert customers.get(ana.id) == ana


def test_update_may_not_leave_a_customer_unrecognisable(customers):
    c = customers.create(first_name="Ana", last_name="Silva")
    with pytest.raises(patron.PreconditionError) as info:
        customers.update(c.id, last_name="")
    assert info.value.code == "failed_precondition"
    assert customers.get(c.id) == c
    # With an email, names may go.
    d = customers.create(first_name="Bo", last_name="Berg", email="bo@example.com")
    assert customers.update(d.id, first_name="", last_name="").first_name == ""


def test_update_unknown_customer(customers):
    with pytest.raises(patron.NotFoundError):
        customers.update("0" * 32, title="Dr")


# --- number -------------------------------------------------------------------


def test_set_number(customers, ana):
    c = customers.set_number(ana.id, "VIP-42424")
    assert c.number == "VIP-42424"
    assert customers.get("vip-42424").id == ana.id
    assert customers.find("ANA-00001") is None
    # Changing only the case of one's own number is allowed.
    assert customers.set_number(ana.id, "vip-42424").number == "vip-42424"


def test_set_number_to_a_taken_number_is_refused(customers, ana):
    other = customers.create(first_name="Bo", last_name="Berg", number="BO-000001")
    with pytest.raises(patron.AlreadyExistsError) as info:
        customers.set_number(other.id, "ana-00001")
    assert info.value.field == "number"
    assert ana.id in str(info.value)
    assert customers.get(other.id).number == "BO-000001"


@pytest.mark.parametrize("number", ["1234", "x" * 33, "AB CD1", "ÄBCDEF", "\udcff2345"])
def test_set_number_refuses_bad_numbers(customers, ana, number):
    with pytest.raises(patron.ValidationError) as info:
        customers.set_number(ana.id, number)
    assert info.value.field == "number"
    assert customers.get(ana.id).number == "ANA-00001"


# --- emails -------------------------------------------------------------------


def emails(c):
    return [(e.address, e.primary) for e in c.emails]


def test_emails_add_primary_remove(customers, ana):
    c = customers.add_email(ana.id, "Ana.Work@Example.com")
    assert emails(c) == [("ana@example.com", True), ("ana.work@example.com", False)]
    c = customers.add_email(ana.id, "ana@home.example", primary=True)
    assert c.primary_email == "ana@home.example"
    assert emails(c)[0] == ("ana@home.example", True)
    assert sum(e.primary for e in c.emails) == 1
    c = customers.set_primary_email(ana.id, "ANA@example.com")
    assert c.primary_email == "ana@example.com"
    c = customers.remove_email(ana.id, "ana@example.com")
    assert "ana@example.com" not in [e.address for e in c.emails]
    assert c.primary_email is not None and sum(e.primary for e in c.emails) == 1
    assert customers.find_by_email("ana@example.com") is None
    assert customers.find_by_email("ana.work@example.com").id == ana.id


def test_first_email_becomes_primary(customers):
    c = customers.create(first_name="Bo", last_name="Berg")
    c = customers.add_email(c.id, "bo@example.com")
    assert emails(c) == [("bo@example.com", True)]


def test_add_email_held_by_another_customer(customers, ana):
    other = customers.create(first_name="Bo", last_name="Berg")
    with pytest.raises(patron.AlreadyExistsError) as info:
        customers.add_email(other.id, "ANA@EXAMPLE.COM")
    assert info.value.field == "email"
    assert ana.id in str(info.value)
    assert customers.get(other.id).emails == []


def test_add_email_already_held_by_the_same_customer(customers, ana):
    with pytest.raises(patron.AlreadyExistsError):
        customers.add_email(ana.id, "ana@example.com")


def test_email_refusals(customers, ana):
    with pytest.raises(patron.ValidationError):
        customers.add_email(ana.id, "not-an-email")
    with pytest.raises(patron.NotFoundError):
        customers.remove_email(ana.id, "other@example.com")
    with pytest.raises(patron.NotFoundError):
        customers.set_primary_email(ana.id, "other@example.com")
    with pytest.raises(TypeError):
        customers.add_email(ana.id, "x@example.com", primary="yes")
    assert customers.get(ana.id) == ana


def test_removing_the_last_means_of_recognition_is_refused(customers):
    c = customers.create(email="only@example.com")
    with pytest.raises(patron.PreconditionError):
        customers.remove_email(c.id, "only@example.com")
    assert customers.get(c.id) == c


# --- phones -------------------------------------------------------------------


def test_phones_add_and_remove_in_any_format(customers, ana):
    c = customers.add_phone(ana.id, MOBILE, label="work")
    assert [(p.number, p.label, p.verified) for p in c.phones] == [(MOBILE_E164, "work", True)]
    c = customers.add_phone(ana.id, INVALID_PHONE)
    assert (c.phones[1].number, c.phones[1].label, c.phones[1].verified) == (INVALID_PHONE, "mobile", False)
    c = customers.remove_phone(ana.id, "+44 7400 123456")
    assert [p.number for p in c.phones] == [INVALID_PHONE]
    assert customers.find_by_phone(MOBILE) == []


def test_phone_refusals(customers, ana):
    customers.add_phone(ana.id, MOBILE)
    with pytest.raises(patron.AlreadyExistsError):
        customers.add_phone(ana.id, "+447400123456")
    with pytest.raises(patron.ValidationError) as info:
        customers.add_phone(ana.id, OTHER_MOBILE, label="pager")
    assert info.value.field == "label"
    with pytest.raises(patron.ValidationError):
        customers.add_phone(ana.id, "no digits")
    with pytest.raises(patron.NotFoundError):
        customers.remove_phone(ana.id, OTHER_MOBILE)
    assert [p.number for p in customers.get(ana.id).phones] == [MOBILE_E164]


def test_the_same_phone_may_sit_on_several_customers(customers):
    a = customers.create(first_name="Ana", phone=MOBILE)
    b = customers.create(first_name="Bo", last_name="Berg")
    b = customers.add_phone(b.id, OTHER_MOBILE)
    b = customers.add_phone(b.id, MOBILE_E164)
    assert sorted(c.id for c in customers.find_by_phone(MOBILE)) == sorted([a.id, b.id])
    assert [c.id for c in customers.find_by_phone(OTHER_MOBILE_E164)] == [b.id]


# --- addresses ----------------------------------------------------------------


def test_addresses_defaults_per_purpose(customers, ana):
    c = customers.add_address(ana.id, purpose="billing", line1="1 High St", city="London", postal_code="N1 1AA",
                              country="gb")
    first = c.addresses[0]
    assert (first.purpose, first.country, first.is_default) == ("billing", "GB", True)
    c = customers.add_address(ana.id, purpose="billing", line1="2 Low St", country="GB")
    assert [a.is_default for a in c.addresses] == [True, False]
    c = customers.add_address(ana.id, purpose="billing", line1="3 New Rd", country="FR", is_default=True)
    assert [a.is_default for a in c.addresses] == [False, False, True]
    c = customers.add_address(ana.id, purpose="shipping", city="Leeds", country="GB")
    assert c.addresses[-1].is_default is True
    # Removing the default of a purpose makes another of that purpose the default.
    removed = c.addresses[2].id
    c = customers.remove_address(ana.id, removed)
    assert removed not in [a.id for a in c.addresses]
    billing = [a for a in c.addresses if a.purpose == "billing"]
    assert len(billing) == 2 and sum(a.is_default for a in billing) == 1
    assert customers.get(ana.id) == c


def test_add_address_defaults_to_contact(customers, ana):
    c = customers.add_address(ana.id, line1="1 High St", country="PT")
    assert c.addresses[0].purpose == "contact"
    assert c.addresses[0].to_dict()["country"] == "PT"


def test_address_refusals(customers, ana):
    with pytest.raises(patron.ValidationError) as info:
        customers.add_address(ana.id, line1="1 High St", country="XX")
    assert info.value.field == "address.country"
    with pytest.raises(patron.ValidationError) as info:
        customers.add_address(ana.id, purpose="holiday", line1="1 High St", country="GB")
    assert info.value.field == "address.purpose"
    with pytest.raises(patron.ValidationError) as info:
        customers.add_address(ana.id, line1="1 High St", country="GB", street="x")
    assert info.value.field == "address.street"
    with pytest.raises(patron.ValidationError):
        customers.add_address(ana.id, country="GB")  # no line1, city or postal code
    with pytest.raises(patron.NotFoundError) as info:
        customers.remove_address(ana.id, 987654)
    assert info.value.field == "address_id"
    assert customers.get(ana.id).addresses == []


# --- ban ------------------------------------------------------------------------


def test_ban_and_unban(clocked_db, clock):
    customers = clocked_db.customers
    c = customers.create(first_name="Ana", last_name="Silva")
    clock.advance(hours=1)
    banned = customers.ban(c.id, "abusive to staff", "manager:jo")
    assert banned.status == "banned"
    assert (banned.ban.reason, banned.ban.by, banned.ban.at) == ("abusive to staff", "manager:jo", clock.now)
    assert customers.get(c.id) == banned
    with pytest.raises(patron.PreconditionError):
        customers.ban(c.id, "again", "manager:jo")
    clock.advance(hours=1)
    back = customers.unban(c.id)
    assert back.status == "active" and back.ban is None
    with pytest.raises(patron.PreconditionError):
        customers.unban(c.id)


def test_ban_needs_a_reason_and_an_actor(customers, ana):
    with pytest.raises(patron.ValidationError) as info:
        customers.ban(ana.id, "  ", "manager")
    assert info.value.field == "reason"
    with pytest.raises(patron.ValidationError) as info:
        customers.ban(ana.id, "rude", "")
    assert info.value.field == "by"
    assert customers.get(ana.id).status == "active"


# --- presence -------------------------------------------------------------------


def test_presence_with_an_injected_clock(clocked_db, clock):
    customers = clocked_db.customers
    c = customers.create(first_name="Ana", last_name="Silva")
    assert c.presence == "offline"
    start = clock.advance(minutes=1)
    c = customers.set_online(c.id, dt.timedelta(minutes=30))
    assert c.presence == "online"
    assert c.online_until == start + dt.timedelta(minutes=30)
    assert c.first_active_at == start and c.last_active_at == start
    clock.advance(minutes=29)
    assert customers.get(c.id).presence == "online"
    clock.advance(minutes=2)
    assert customers.get(c.id).presence == "offline", "presence expires at online_until"
    later = clock.advance(hours=1)
    c = customers.set_online(c.id, ttl=600)
    assert c.online_until == later + dt.timedelta(seconds=600)
    assert c.first_active_at == start and c.last_active_at == later
    c = customers.set_offline(c.id)
    assert c.presence == "offline" and c.online_until is None
    assert customers.get(c.id).presence == "offline"


@pytest.mark.parametrize("ttl", [0, -5, dt.timedelta(days=8), dt.timedelta(0)])
def test_set_online_refuses_bad_ttls(customers, ana, ttl):
    with pytest.raises(patron.ValidationError) as info:
        customers.set_online(ana.id, ttl)
    assert info.value.field == "ttl"


def test_set_online_ttl_types(customers, ana):
    assert customers.set_online(ana.id, 90.4).presence == "online"
    with pytest.raises(TypeError, match="ttl"):
        customers.set_online(ana.id, "90")
    with pytest.raises(TypeError, match="ttl"):
        customers.set_online(ana.id, True)


# --- the ref forms every mutating call takes ---------------------------------------


def test_mutations_take_id_number_or_customer(customers, ana):
    assert customers.update("ana-00001", title="Dr").title == "Dr"
    assert customers.update(ana, title="Prof").title == "Prof"
    assert customers.add_phone(ana.id.upper(), MOBILE).phones[0].number == MOBILE_E164
    with pytest.raises(patron.NotFoundError):
        customers.ban("NOBODY-1", "x", "y")
