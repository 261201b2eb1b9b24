"""Finding customers: get/find by id or number, by email (any case, IDN
form), by phone (any format), name search, and identify()."""

from __future__ import annotations

import pytest

import patron
from helpers import MOBILE, MOBILE_E164, MOBILE_FORMS, OTHER_MOBILE


def hyphenate(hex_id: str) -> str:
    return f"{hex_id[:8]}-{hex_id[8:12]}-{hex_id[12:16]}-{hex_id[16:20]}-{hex_id[20:]}"


# --- get / find -------------------------------------------------------------


def test_get_by_id_in_every_form_and_by_number(customers):
    c = customers.create(first_name="Ana", last_name="Silva", number="VIP-00001")
    for ref in [c.id, c.id.upper(), hyphenate(c.id), hyphenate(c.id).upper(), f"  {c.id} ", "VIP-00001",
                "vip-00001", c]:
        assert customers.get(ref) == c, ref
        assert customers.find(ref) == c, ref


def test_get_unknown_raises_not_found(customers):
    customers.create(first_name="Ana", last_name="Silva")
    with pytest.raises(patron.NotFoundError) as info:
        customers.get("0" * 32)
    err = info.value
    assert isinstance(err, LookupError) and isinstance(err, patron.Error)
    assert err.code == "not_found" and err.field == "ref"
    with pytest.raises(patron.NotFoundError):
        customers.get("NOBODY-42")


def test_find_unknown_returns_none(customers):
    assert customers.find("0" * 32) is None
    assert customers.find("NOBODY-42") is None


@pytest.mark.parametrize("ref", ["", "a b", "x", "#####"])
def test_a_ref_that_is_neither_id_nor_number_is_invalid(customers, ref):
    with pytest.raises(patron.ValidationError) as info:
        customers.get(ref)
    assert info.value.field == "ref"


def test_ref_must_be_str(customers):
    with pytest.raises(TypeError, match="ref"):
        customers.get(12345)


# --- email --------------------------------------------------------------------


def test_find_by_email_any_case(customers):
    c = customers.create(email="Ana.Silva@Example.com")
    for form in ["ana.silva@example.com", "ANA.SILVA@EXAMPLE.COM", "  Ana.Silva@example.COM  "]:
        assert customers.find_by_email(form) == c
    assert customers.find_by_email("nobody@example.com") is None


def test_find_by_email_idn_forms(customers):
    c = customers.create(email="ana@Bücher.de")
    assert c.primary_email == "ana@xn--bcher-kva.de"
    for form in ["ana@bücher.de", "ANA@BÜCHER.DE", "ana@xn--bcher-kva.de", "Ana@XN--BCHER-KVA.DE"]:
        assert customers.find_by_email(form) == c, form


def test_find_by_email_refuses_what_is_not_an_email(customers):
    with pytest.raises(patron.ValidationError) as info:
        customers.find_by_email("not an email")
    assert info.value.field == "email"


# --- phone --------------------------------------------------------------------


def test_find_by_phone_any_format_finds_every_holder(customers):
    a = customers.create(first_name="Ana", phone=MOBILE)
    b = customers.create(first_name="Bo", last_name="Berg", phone="+44 7400 123456", phone_label="work")
    customers.create(first_name="Cy", phone=OTHER_MOBILE)
    for form in MOBILE_FORMS:
        found = customers.find_by_phone(form)
        assert sorted(c.id for c in found) == sorted([a.id, b.id]), form
    assert customers.find_by_phone("07400 999999") == []


def test_unverified_phone_is_found_as_typed(customers):
    c = customers.create(first_name="Ana", last_name="Silva", phone="ext 123")
    assert c.phones[0].verified is False
    assert customers.find_by_phone(" ext 123 ") == [c]


# --- search -------------------------------------------------------------------


@pytest.fixture
def people(customers):
    return {
        "jose": customers.create(first_name="José", last_name="Álvarez"),
        "muller": customers.create(first_name="Anna", last_name="Müller"),
        "mull": customers.create(title="Dr", first_name="Bo", last_name="Mullins"),
        "smith": customers.create(first_name="Jo", last_name="Smith"),
        "email": customers.create(email="nobody@example.com"),
    }


def ids(found):
    return [c.id for c in found]


def test_search_is_accent_and_case_insensitive(customers, people):
    assert ids(customers.search("jose")) == [people["jose"].id]
    assert ids(customers.search("JOSÉ")) == [people["jose"].id]
    assert ids(customers.search("alvarez")) == [people["jose"].id]
    assert ids(customers.search("muller")) == [people["muller"].id]
    assert ids(customers.search("MÜLLER")) == [people["muller"].id]


def test_search_matches_word_prefixes(customers, people):
    assert set(ids(customers.search("mul"))) == {people["muller"].id, people["mull"].id}
    assert set(ids(customers.search("jo"))) == {people["jose"].id, people["smith"].id}
    assert ids(customers.search("jo sm")) == [people["smith"].id]
    assert ids(customers.search("smith jo")) == [people["smith"].id]
    assert customers.search("xyz") == []
    assert customers.search("nobody") == []


def test_search_orders_by_last_name_and_pages(customers):
    made = [customers.create(first_name="Pat", last_name=f"Page{i}") for i in (3, 1, 4, 0, 2)]
    by_name = sorted(made, key=lambda c: c.last_name)
    assert ids(customers.search("pat")) == ids(by_name)
    assert ids(customers.search("pat", limit=2)) == ids(by_name[:2])
    assert ids(customers.search("pat", limit=2, offset=2)) == ids(by_name[2:4])
    assert ids(customers.search("pat", limit=2, offset=4)) == ids(by_name[4:])
    assert customers.search("pat", limit=2, offset=6) == []


@pytest.mark.parametrize("limit, offset, field", [(0, 0, "limit"), (1001, 0, "limit"), (-1, 0, "limit"),
                                                  (10, -1, "offset")])
def test_search_refuses_bad_pages(customers, limit, offset, field):
    with pytest.raises(patron.ValidationError) as info:
        customers.search("a", limit=limit, offset=offset)
    assert info.value.field == field


# --- identify -----------------------------------------------------------------


@pytest.fixture
def known(customers):
    ana = customers.create(first_name="Ana", last_name="Silva", number="ANA-00001", email="ana@example.com",
                           phone=MOBILE)
    bo = customers.create(first_name="Bo", phone="+44 7400 123456")
    return ana, bo


def matches(found):
    return [(m.customer.id, m.matched_on) for m in found]


def test_identify_by_id_in_every_form(db, known):
    ana, _ = known
    for token in [ana.id, ana.id.upper(), hyphenate(ana.id), hyphenate(ana.id).upper()]:
        found = db.identify(token)
        assert matches(found) == [(ana.id, "id")], token
        assert found[0].customer == ana
        assert db.identify_ids(token) == [ana.id]


def test_identify_by_number(db, known):
    ana, _ = known
    assert matches(db.identify("ANA-00001")) == [(ana.id, "number")]
    assert matches(db.identify("ana-00001")) == [(ana.id, "number")]
    assert db.identify_ids("ANA-00001") == [ana.id]


def test_identify_by_email(db, known):
    ana, _ = known
    assert matches(db.identify("ANA@Example.com")) == [(ana.id, "email")]
    assert db.identify_ids("ana@example.com") == [ana.id]


def test_identify_by_phone_returns_every_holder(db, known):
    ana, bo = known
    for form in MOBILE_FORMS:
        found = db.identify(form)
        assert sorted(matches(found)) == sorted([(ana.id, "phone"), (bo.id, "phone")]), form
        assert sorted(db.identify_ids(form)) == sorted([ana.id, bo.id])


def test_identify_reports_each_customer_once_with_the_strongest_match(db, customers):
    # A customer whose number is also a phone number of another.
    a = customers.create(first_name="Ana", last_name="Silva", number="07400123456")
    b = customers.create(first_name="Bo", phone=MOBILE_E164)
    found = matches(db.identify("07400123456"))
    assert found == [(a.id, "number"), (b.id, "phone")]
    assert db.identify_ids("07400123456") == [a.id, b.id]


def test_identify_nothing(db, known):
    assert db.identify("nobody@example.com") == []
    assert db.identify("0" * 32) == []
    assert db.identify("NOBODY-1") == []
    assert db.identify_ids("07400 999999") == []


def test_identify_refuses_an_empty_token(db):
    with pytest.raises(patron.ValidationError) as info:
        db.identify("   ")
    assert info.value.field == "token"


def test_identification_object(db, known):
    ana, _ = known
    (m,) = db.identify("ana@example.com")
    assert isinstance(m, patron.Identification)
    assert m.customer.number == "ANA-00001"
    assert "email" in repr(m) and ana.id in repr(m)
    assert m == db.identify("ana@example.com")[0]
