"""Promotion categories from Python (db.promotions) on a file database:
exact values, assignment to customers and through companies (idempotent),
the best of each term when several apply, quotes, category credit limits on
purses, money only as int, and each refusal with its exception class and
field. Mirrors tests/cpp/test_promotions.cpp."""

from __future__ import annotations

import json

import pytest

import patron
from helpers import T0, UTC, raises, ts


@pytest.fixture
def db(clocked_db):
    return clocked_db


@pytest.fixture
def staff(db):
    return db.promotions.create_category("staff", "Staff", discount_basis_points=2000, credit_limit=5000,
                                         credit_currency="gbp")


@pytest.fixture
def vip(db):
    return db.promotions.create_category("vip", "VIP", discount_basis_points=1000, earn_multiplier_percent=300,
                                         credit_limit=20000, credit_currency="GBP")


def category(c):
    """A PromotionCategory as a tuple of Python values."""
    return (c.id, c.name, c.discount_basis_points, c.earn_multiplier_percent, c.credit_limit, c.credit_currency,
            c.created_at, c.updated_at)


def applied(items):
    return [(a.category.id, a.direct, a.companies) for a in items]


def purse(a):
    """A PurseAccount as a tuple of Python values."""
    return (a.balance, a.credit_limit, a.category_credit_limit, a.available)


def test_categories_on_a_file(db, db_path, clock):
    promotions = db.promotions
    assert promotions.categories() == []
    staff = promotions.create_category("staff", "Staff", discount_basis_points=1250, earn_multiplier_percent=200,
                                       credit_limit=5000, credit_currency="gbp")
    assert isinstance(staff, patron.PromotionCategory)
    assert category(staff) == ("staff", "Staff", 1250, 200, 5000, "GBP", T0, T0)
    assert staff.created_at.tzinfo is UTC
    assert staff.to_dict() == {"id": "staff", "name": "Staff", "discount_basis_points": 1250,
                               "earn_multiplier_percent": 200, "credit_limit": 5000, "credit_currency": "GBP",
                               "created_at": ts(T0), "updated_at": ts(T0)}
    assert json.loads(staff.to_json()) == staff.to_dict()
    assert "patron.PromotionCategory" in repr(staff) and "'staff'" in repr(staff)
    with pytest.raises(AttributeError):
        staff.name = "x"
    plain = promotions.create_category("partner", "Partner")
    assert category(plain) == ("partner", "Partner", 0, 100, 0, "", T0, T0)
    raises(patron.AlreadyExistsError, "id", promotions.create_category, "staff", "Again")

    clock.advance(minutes=1)
    changed = promotions.update_category(staff, "Staff (all)", discount_basis_points=1500)
    assert category(changed) == ("staff", "Staff (all)", 1500, 100, 0, "", T0, clock.now)
    assert changed != staff and hash(changed) == hash(staff)
    raises(patron.NotFoundError, "id", promotions.update_category, "nope", "Nope")

    db.close()
    with patron.open(db_path, default_region="GB", clock=clock) as again:
        promotions = again.promotions
        assert promotions.category("staff") == changed
        assert promotions.category(changed) == changed  # a PromotionCategory names itself
        assert promotions.categories() == [plain, changed]  # by id
        raises(patron.NotFoundError, "id", promotions.category, "nope")
        promotions.remove_category("partner")
        assert promotions.categories() == [changed]
        raises(patron.NotFoundError, "id", promotions.remove_category, "partner")


def test_category_refusals_write_nothing(db, staff):
    create = db.promotions.create_category
    raises(patron.ValidationError, "id", create, "", "X")
    raises(patron.ValidationError, "id", create, "two words", "X")
    raises(patron.ValidationError, "id", create, "x" * 65, "X")
    raises(patron.ValidationError, "name", create, "x", "")
    raises(patron.ValidationError, "name", create, "x", "n" * 201)
    raises(patron.ValidationError, "discount_basis_points", create, "x", "X", discount_basis_points=-1)
    raises(patron.ValidationError, "discount_basis_points", create, "x", "X", discount_basis_points=10001)
    raises(patron.ValidationError, "earn_multiplier_percent", create, "x", "X", earn_multiplier_percent=-1)
    raises(patron.ValidationError, "earn_multiplier_percent", create, "x", "X", earn_multiplier_percent=10001)
    raises(patron.ValidationError, "credit_limit", create, "x", "X", credit_limit=-1, credit_currency="GBP")
    raises(patron.ValidationError, "credit_limit", create, "x", "X", credit_limit=10**15 + 1, credit_currency="GBP")
    raises(patron.ValidationError, "credit_currency", create, "x", "X", credit_limit=100)
    raises(patron.ValidationError, "credit_currency", create, "x", "X", credit_limit=100, credit_currency="XX")
    # Money is never floating point.
    with pytest.raises(TypeError, match="credit_limit"):
        create("x", "X", credit_limit=100.0, credit_currency="GBP")
    with pytest.raises(TypeError, match="discount_basis_points"):
        create("x", "X", discount_basis_points=12.5)
    with pytest.raises(TypeError):
        create("x", "X", 1250)  # the terms are keyword-only
    assert db.promotions.categories() == [staff]
    # The bounds themselves are allowed.
    edge = create("a-Z.0_9:/" + "x" * 55, "n" * 200, discount_basis_points=10000, earn_multiplier_percent=10000,
                  credit_limit=10**15, credit_currency="EUR")
    assert (edge.discount_basis_points, edge.earn_multiplier_percent, edge.credit_limit) == (10000, 10000, 10**15)


def test_assignment_to_customers(db, clock, staff, ana, bo):
    promotions = db.promotions
    assert promotions.categories_of(ana) == []
    assert promotions.assign("staff", "ANA-01") is None
    promotions.assign(staff, ana)  # again: a no-op
    got = promotions.categories_of(ana)
    assert applied(got) == [("staff", True, [])]
    assert isinstance(got[0], patron.AppliedCategory)
    assert got[0].category == staff
    assert got[0].to_dict() == {"category": staff.to_dict(), "direct": True, "companies": []}
    assert "patron.AppliedCategory" in repr(got[0])
    promotions.assign("staff", bo)
    assert promotions.customers_in("staff") == [ana.id, bo.id]  # by customer number
    assert promotions.customers_in("staff", limit=1, offset=1) == [bo.id]
    raises(patron.PreconditionError, "category", promotions.remove_category, "staff")

    clock.advance(minutes=1)
    promotions.unassign("staff", ana)
    promotions.unassign("staff", ana)  # again: a no-op
    assert promotions.categories_of(ana) == []
    assert promotions.customers_in("staff") == [bo.id]
    # One event per change, none for the repeats.
    actions = [e.action for e in db.activity.timeline(ana).events if e.action.startswith("category.")]
    assert actions == ["category.unassigned", "category.assigned"]

    raises(patron.NotFoundError, "category", promotions.assign, "nope", ana)
    raises(patron.ValidationError, "category", promotions.assign, "two words", ana)
    raises(patron.NotFoundError, "customer", promotions.assign, "staff", "NOBODY")
    raises(patron.NotFoundError, "category", promotions.unassign, "nope", ana)
    raises(patron.NotFoundError, "customer", promotions.categories_of, "NOBODY")
    raises(patron.NotFoundError, "category", promotions.customers_in, "nope")
    raises(patron.ValidationError, "limit", promotions.customers_in, "staff", limit=0)
    assert promotions.customers_in("staff") == [bo.id]


def test_assignment_through_companies(db, staff, vip, ana, bo):
    promotions = db.promotions
    acme = db.companies.create(name="Acme Ltd")
    zeta = db.companies.create(name="Zeta")
    db.companies.link(acme, ana, role="chef")
    db.companies.link(zeta, ana, role="owner")
    promotions.assign_to_company("vip", acme)
    promotions.assign_to_company("vip", zeta.id)
    promotions.assign_to_company("vip", acme)  # again: a no-op
    promotions.assign("vip", ana)
    assert applied(promotions.categories_of(ana)) == [("vip", True, [acme.id, zeta.id])]
    assert promotions.companies_in("vip") == [acme.id, zeta.id]
    assert promotions.categories_of(bo) == []
    promotions.unassign("vip", ana)
    promotions.unassign_from_company("vip", zeta)
    promotions.unassign_from_company("vip", zeta)  # again: a no-op
    assert applied(promotions.categories_of("ANA-01")) == [("vip", False, [acme.id])]
    assert promotions.companies_in(vip) == [acme.id]
    raises(patron.PreconditionError, "category", promotions.remove_category, "vip")
    raises(patron.NotFoundError, "company", promotions.assign_to_company, "vip", 999)
    raises(patron.NotFoundError, "category", promotions.assign_to_company, "nope", acme)
    raises(patron.NotFoundError, "category", promotions.companies_in, "nope")
    with pytest.raises(TypeError):
        promotions.assign_to_company("vip", "Acme Ltd")
    assert promotions.companies_in("vip") == [acme.id]


def test_quote_takes_the_best_of_each_term(db, staff, vip, ana, bo):
    promotions = db.promotions
    db.loyalty.create_program("stars", "Stars", "GBP")
    plain = promotions.quote(ana, 10000, "gbp")
    assert isinstance(plain, patron.Quote)
    assert (plain.amount, plain.currency, plain.discount_basis_points, plain.discount, plain.to_pay, plain.program,
            plain.points, plain.tier, plain.tier_multiplier_percent, plain.category_multiplier_percent,
            plain.credit_limit, plain.credit_available, plain.categories) == (10000, "GBP", 0, 0, 10000, None, 0, None,
                                                                              100, 100, 0, 0, [])
    assert plain.to_dict() == {"amount": 10000, "currency": "GBP", "discount_basis_points": 0, "discount": 0,
                               "to_pay": 10000, "program": None, "points": 0, "tier": None,
                               "tier_multiplier_percent": 100, "category_multiplier_percent": 100, "credit_limit": 0,
                               "credit_available": 0, "categories": []}
    assert "patron.Quote" in repr(plain)

    promotions.assign("staff", ana)
    promotions.assign("vip", ana)
    db.purses.top_up(ana, "GBP", 700, idempotency_key="t1")
    # Staff's discount, VIP's multiplier and credit limit: they do not stack.
    q = promotions.quote(ana, 10000, "GBP", program="stars")
    assert (q.discount_basis_points, q.discount, q.to_pay, q.program, q.points, q.category_multiplier_percent,
            q.credit_limit, q.credit_available, q.categories) == (2000, 2000, 8000, "stars", 240, 300, 20000, 20700,
                                                                  ["staff", "vip"])
    # The discount is rounded down to a minor unit.
    odd = promotions.quote(ana, 999, "GBP")
    assert (odd.discount, odd.to_pay) == (199, 800)
    # The customer's tier multiplies too; one rounding at the end.
    program = db.loyalty.program("stars")
    db.loyalty.save_tier(program, "silver", "Silver", 10, earn_multiplier_percent=125)
    db.loyalty.earn(ana, program, points=10, idempotency_key="e1")
    q = promotions.quote(ana, 10000, "GBP", program=program)
    assert (q.tier, q.tier_multiplier_percent, q.category_multiplier_percent, q.points) == ("silver", 125, 300, 300)
    # An earn by amount uses the same multipliers (on the amount it is given).
    assert db.loyalty.earn(ana, "stars", amount=8000, idempotency_key="e2").points == 300
    # Another currency: no credit there.
    eur = promotions.quote(ana, 10000, "EUR")
    assert (eur.discount, eur.credit_limit, eur.credit_available) == (2000, 0, 0)

    raises(patron.NotFoundError, "customer", promotions.quote, "NOBODY", 100, "GBP")
    raises(patron.ValidationError, "amount", promotions.quote, ana, -1, "GBP")
    raises(patron.ValidationError, "amount", promotions.quote, ana, 10**15 + 1, "GBP")
    raises(patron.ValidationError, "currency", promotions.quote, ana, 100, "pounds")
    raises(patron.NotFoundError, "program", promotions.quote, ana, 100, "GBP", program="nope")
    with pytest.raises(TypeError, match="amount"):
        promotions.quote(ana, 100.0, "GBP")
    with pytest.raises(TypeError, match="floating point"):
        promotions.quote(ana, 99.5, "GBP")
    assert promotions.quote(bo, 0, "GBP").to_pay == 0


def test_category_credit_limits_on_purses(db, staff, vip, ana):
    purses, promotions = db.purses, db.promotions
    acme = db.companies.create(name="Acme Ltd")
    db.companies.link(acme, ana, role="chef")
    assert purse(purses.account(ana, "GBP")) == (0, 0, 0, 0)
    promotions.assign("staff", ana)
    acct = purses.account(ana, "GBP")
    assert purse(acct) == (0, 0, 5000, 5000)
    assert acct.to_dict()["category_credit_limit"] == 5000
    assert "category_credit_limit=5000" in repr(acct)
    assert purses.charge(ana, "GBP", 4000, idempotency_key="c1").balance_after == -4000
    raises(patron.PreconditionError, "amount", purses.charge, ana, "GBP", 1001, idempotency_key="c2")
    # Through a company, the larger limit wins.
    promotions.assign_to_company("vip", acme)
    assert purse(purses.account(ana, "GBP")) == (-4000, 0, 20000, 16000)
    purses.charge(ana, "GBP", 16000, idempotency_key="c2")
    raises(patron.PreconditionError, "amount", purses.charge, ana, "GBP", 1, idempotency_key="c3")
    # The account's own limit counts when it is the larger.
    assert purse(purses.set_credit_limit(ana, "GBP", 25000)) == (-20000, 25000, 20000, 5000)
    assert purse(purses.account(ana, "EUR")) == (0, 0, 0, 0)


def test_classes_are_exported(db):
    for name in ("Promotions", "PromotionCategory", "AppliedCategory", "Quote"):
        assert name in patron.__all__
        assert getattr(patron, name).__module__ == "patron"
    assert isinstance(db.promotions, patron.Promotions)
    assert db.promotions is db.promotions
    assert repr(db.promotions).startswith("<patron.Promotions of ")
