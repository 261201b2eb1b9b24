"""Purses from Python (db.purses) on a file database: exact values of
entries and accounts, idempotent replays and conflicting reuse of a key,
credit limits, refunds never beyond the charge, money only as int, and each
refusal with its exception class and field. Mirrors
tests/capi/test_capi_purses.cpp."""

from __future__ import annotations

import decimal
import json
import threading

import pytest

import patron
from helpers import T0, T1, UTC, raises, ts


@pytest.fixture
def db(clocked_db):
    return clocked_db


def fields(e):
    """A PurseEntry as a dict of Python values."""
    return dict(id=e.id, customer=e.customer, currency=e.currency, kind=e.kind, amount=e.amount,
                balance_after=e.balance_after, refund_of=e.refund_of, refunded=e.refunded, reference=e.reference,
                idempotency_key=e.idempotency_key, actor=e.actor, at=e.at)


def entry(id, customer, kind, amount, balance_after, key, reference="", at=T0, **changes):
    out = dict(id=id, customer=customer, currency="GBP", kind=kind, amount=amount, balance_after=balance_after,
               refund_of=None, refunded=0, reference=reference, idempotency_key=key, actor="", at=at)
    out.update(changes)
    return out


def account(a):
    """A PurseAccount as a tuple of Python values."""
    return (a.customer, a.currency, a.balance, a.credit_limit, a.available)


def test_top_up_charge_refund_on_a_file(db, db_path, clock, ana, bo):
    purses = db.purses
    assert account(purses.account(ana, "GBP")) == (ana.id, "GBP", 0, 0, 0)
    assert purses.accounts(ana) == []
    assert purses.entries(ana, "GBP") == []

    top = purses.top_up("ana-01", "gbp", 5000, idempotency_key="till-1/1", reference="R-1")
    assert isinstance(top, patron.PurseEntry)
    assert fields(top) == entry(1, ana.id, "top_up", 5000, 5000, "till-1/1", "R-1")
    assert top.at.tzinfo is UTC
    assert top.to_dict() == {"id": 1, "customer": ana.id, "currency": "GBP", "kind": "top_up", "amount": 5000,
                             "balance_after": 5000, "refund_of": None, "refunded": 0, "reference": "R-1",
                             "idempotency_key": "till-1/1", "actor": "", "at": ts(T0)}
    assert json.loads(top.to_json()) == top.to_dict()
    assert "patron.PurseEntry" in repr(top) and "top_up" in repr(top)
    with pytest.raises(AttributeError):
        top.amount = 1

    clock.advance(minutes=1)
    charged = purses.charge(ana.id, "GBP", 1200, idempotency_key="till-1/2", reference=None)
    assert fields(charged) == entry(2, ana.id, "charge", 1200, 3800, "till-1/2", at=T1)

    clock.advance(minutes=1)
    with patron.acting_as("jane"):
        refunded = purses.refund(charged, 200, idempotency_key="till-1/3", reference="R-2")
    assert fields(refunded) == entry(3, ana.id, "refund", 200, 4000, "till-1/3", "R-2", at=clock.now, refund_of=2,
                                     actor="jane")

    db.close()
    with patron.open(db_path, default_region="GB", clock=clock) as again:
        purses = again.purses
        assert purses.entry(1) == top
        assert purses.entry(top) == top  # a PurseEntry names itself
        assert hash(purses.entry(1)) == hash(top)
        now = purses.entry(2)
        assert fields(now) == dict(fields(charged), refunded=200)  # as read
        assert now != charged
        assert purses.entry(3) == refunded
        acct = purses.account("ANA-01", "gbp")
        assert isinstance(acct, patron.PurseAccount)
        assert account(acct) == (ana.id, "GBP", 4000, 0, 4000)
        assert acct.to_dict() == {"customer": ana.id, "currency": "GBP", "balance": 4000, "credit_limit": 0,
                                  "category_credit_limit": 0, "available": 4000}
        assert json.loads(acct.to_json()) == acct.to_dict()
        assert acct == purses.account(ana, "GBP")
        assert "patron.PurseAccount" in repr(acct) and "4000" in repr(acct)
        assert purses.accounts(ana.id) == [acct]
        # Newest first, paged.
        assert purses.entries("ANA-01", "GBP") == [refunded, now, top]
        assert purses.entries("ANA-01", "GBP", limit=1, offset=1) == [now]
        assert purses.entries("ANA-01", "GBP", 10, 3) == []
        assert purses.entries("ANA-01", "EUR") == []
        assert account(purses.account(bo, "GBP")) == (bo.id, "GBP", 0, 0, 0)
        assert purses.accounts(bo) == []
        # Each write is on the customer's timeline.
        actions = [e.action for e in again.activity.timeline(ana).events if e.category == "payments"]
        assert actions == ["purse.refunded", "purse.charged", "purse.topped_up"]


def test_accounts_by_currency(db, ana):
    purses = db.purses
    purses.top_up(ana, "GBP", 100, idempotency_key="a")
    purses.top_up(ana, "EUR", 250, idempotency_key="b")
    usd = purses.set_credit_limit(ana, "usd", 1000)  # a credit limit alone makes an account
    assert account(usd) == (ana.id, "USD", 0, 1000, 1000)
    assert [account(a) for a in purses.accounts(ana)] == [(ana.id, "EUR", 250, 0, 250), (ana.id, "GBP", 100, 0, 100),
                                                          (ana.id, "USD", 0, 1000, 1000)]


def test_idempotent_replay_and_conflict(db, clock, ana, bo):
    purses = db.purses
    top = purses.top_up(ana, "GBP", 5000, idempotency_key="k-1", reference="R-1")
    clock.advance(minutes=1)
    # The same key and request: the original entry, nothing written.
    assert purses.top_up(ana, "GBP", 5000, idempotency_key="k-1", reference="R-1") == top
    assert purses.top_up("ANA-01", "gbp", 5000, idempotency_key="k-1", reference="R-1") == top
    assert purses.account(ana, "GBP").balance == 5000
    assert len(purses.entries(ana, "GBP")) == 1

    charged = purses.charge(ana, "GBP", 1000, idempotency_key="k-2")
    assert purses.charge(ana, "GBP", 1000, idempotency_key="k-2") == charged
    refunded = purses.refund(charged.id, 300, idempotency_key="k-3")
    assert purses.refund(charged, 300, idempotency_key="k-3") == refunded
    assert purses.account(ana, "GBP").balance == 4300
    assert len(purses.entries(ana, "GBP")) == 3

    # The same key with a different request.
    conflict = patron.ConflictError
    raises(conflict, "idempotency_key", purses.top_up, ana, "GBP", 5001, idempotency_key="k-1", reference="R-1")
    raises(conflict, "idempotency_key", purses.top_up, ana, "GBP", 5000, idempotency_key="k-1", reference="R-9")
    raises(conflict, "idempotency_key", purses.top_up, bo, "GBP", 5000, idempotency_key="k-1", reference="R-1")
    raises(conflict, "idempotency_key", purses.top_up, ana, "EUR", 5000, idempotency_key="k-1", reference="R-1")
    raises(conflict, "idempotency_key", purses.charge, ana, "GBP", 5000, idempotency_key="k-1", reference="R-1")
    raises(conflict, "idempotency_key", purses.top_up, ana, "GBP", 1000, idempotency_key="k-2")
    raises(conflict, "idempotency_key", purses.refund, charged, 301, idempotency_key="k-3")
    e = raises(conflict, "idempotency_key", purses.refund, charged, 300, idempotency_key="k-2")
    assert e.code == "conflict"
    assert isinstance(e, patron.Error)
    assert purses.account(ana, "GBP").balance == 4300
    assert len(purses.entries(ana, "GBP")) == 3
    assert purses.accounts(bo) == []


def test_credit_limits(db, ana):
    purses = db.purses
    purses.top_up(ana, "GBP", 1000, idempotency_key="t1")
    # Beyond the balance without credit: refused, nothing written.
    e = raises(patron.PreconditionError, "amount", purses.charge, ana, "GBP", 1001, idempotency_key="c1")
    assert "1000" in str(e)  # the available amount
    assert len(purses.entries(ana, "GBP")) == 1

    assert account(purses.set_credit_limit(ana, "gbp", 500)) == (ana.id, "GBP", 1000, 500, 1500)
    on_credit = purses.charge(ana, "GBP", 1500, idempotency_key="c1")  # the refused key is free to use
    assert on_credit.balance_after == -500
    assert account(purses.account(ana, "GBP")) == (ana.id, "GBP", -500, 500, 0)
    raises(patron.PreconditionError, "amount", purses.charge, ana, "GBP", 1, idempotency_key="c2")
    # A limit the balance is already below is refused; one it meets is fine.
    raises(patron.PreconditionError, "credit_limit", purses.set_credit_limit, ana, "GBP", 499)
    assert account(purses.set_credit_limit(ana, "GBP", 2000)) == (ana.id, "GBP", -500, 2000, 1500)
    raises(patron.ValidationError, "credit_limit", purses.set_credit_limit, ana, "GBP", -1)
    raises(patron.ValidationError, "credit_limit", purses.set_credit_limit, ana, "GBP", 10**15 + 1)
    with pytest.raises(TypeError, match="credit_limit"):
        purses.set_credit_limit(ana, "GBP", 100.0)
    assert account(purses.account(ana, "GBP")) == (ana.id, "GBP", -500, 2000, 1500)


def test_refunds_never_exceed_the_charge(db, ana):
    purses = db.purses
    top = purses.top_up(ana, "GBP", 5000, idempotency_key="t1")
    charged = purses.charge(ana, "GBP", 1000, idempotency_key="c1")
    purses.refund(charged, 400, idempotency_key="r1")
    purses.refund(charged, 500, idempotency_key="r2")
    e = raises(patron.PreconditionError, "amount", purses.refund, charged, 101, idempotency_key="r3")
    assert "100" in str(e)
    last = purses.refund(charged, 100, idempotency_key="r3")  # the refused key is free to use
    assert last.balance_after == 5000
    assert purses.entry(charged).refunded == 1000
    raises(patron.PreconditionError, "amount", purses.refund, charged, 1, idempotency_key="r4")
    # Only a charge can be refunded.
    raises(patron.NotFoundError, "charge", purses.refund, top, 1, idempotency_key="r5")
    raises(patron.NotFoundError, "charge", purses.refund, last.id, 1, idempotency_key="r5")
    raises(patron.NotFoundError, "charge", purses.refund, 999, 1, idempotency_key="r5")
    assert purses.account(ana, "GBP").balance == 5000


def test_refusals_write_nothing(db, ana):
    purses = db.purses
    for write in (purses.top_up, purses.charge):
        raises(patron.NotFoundError, "customer", write, "NOBODY", "GBP", 100, idempotency_key="k")
        raises(patron.ValidationError, "customer", write, "", "GBP", 100, idempotency_key="k")
        raises(patron.ValidationError, "currency", write, ana, "XX", 100, idempotency_key="k")
        raises(patron.ValidationError, "currency", write, ana, "", 100, idempotency_key="k")
        raises(patron.ValidationError, "amount", write, ana, "GBP", 0, idempotency_key="k")
        raises(patron.ValidationError, "amount", write, ana, "GBP", -5, idempotency_key="k")
        raises(patron.ValidationError, "amount", write, ana, "GBP", 10**15 + 1, idempotency_key="k")
        raises(patron.ValidationError, "amount", write, ana, "GBP", 2**64, idempotency_key="k")
        raises(patron.ValidationError, "idempotency_key", write, ana, "GBP", 100, idempotency_key="")
        raises(patron.ValidationError, "idempotency_key", write, ana, "GBP", 100, idempotency_key="k" * 201)
        raises(patron.ValidationError, "reference", write, ana, "GBP", 100, idempotency_key="k", reference="r" * 201)
        # Money is never floating point: a float is a TypeError, not rounded.
        for amount in (100.0, 1.5, decimal.Decimal(100), "100", True):
            with pytest.raises(TypeError, match="amount"):
                write(ana, "GBP", amount, idempotency_key="k")
        with pytest.raises(TypeError, match="floating point"):
            write(ana, "GBP", 100.0, idempotency_key="k")
        with pytest.raises(TypeError):
            write(ana, "GBP", 100)  # the key is required
        with pytest.raises(TypeError):
            write(ana, "GBP", 100, "k")  # and keyword-only
        with pytest.raises(TypeError):
            write(ana, "GBP", 100, idempotency_key=7)
    assert purses.accounts(ana) == []

    # The bounds themselves are allowed.
    assert purses.top_up(ana, "GBP", 10**15, idempotency_key="k" * 200, reference="r" * 200).balance_after == 10**15
    charged = purses.charge(ana, "GBP", 1, idempotency_key="one")
    assert charged.amount == 1

    raises(patron.ValidationError, "amount", purses.refund, charged, 0, idempotency_key="r")
    raises(patron.ValidationError, "amount", purses.refund, charged, -1, idempotency_key="r")
    raises(patron.ValidationError, "idempotency_key", purses.refund, charged, 1, idempotency_key="")
    raises(patron.ValidationError, "reference", purses.refund, charged, 1, idempotency_key="r", reference="r" * 201)
    with pytest.raises(TypeError, match="amount"):
        purses.refund(charged, 1.0, idempotency_key="r")
    with pytest.raises(TypeError, match="charge"):
        purses.refund("2", 1, idempotency_key="r")

    raises(patron.NotFoundError, "customer", purses.account, "NOBODY", "GBP")
    raises(patron.ValidationError, "currency", purses.account, ana, "pounds")
    raises(patron.NotFoundError, "customer", purses.accounts, "NOBODY")
    raises(patron.NotFoundError, "customer", purses.set_credit_limit, "NOBODY", "GBP", 1)
    raises(patron.ValidationError, "currency", purses.set_credit_limit, ana, "G", 1)
    raises(patron.NotFoundError, "customer", purses.entries, "NOBODY", "GBP")
    raises(patron.ValidationError, "currency", purses.entries, ana, "")
    raises(patron.ValidationError, "limit", purses.entries, ana, "GBP", limit=0)
    raises(patron.ValidationError, "limit", purses.entries, ana, "GBP", limit=1001)
    raises(patron.NotFoundError, "id", purses.entry, 999)
    with pytest.raises(TypeError):
        purses.entry("1")
    with pytest.raises(TypeError):
        purses.account(ana, b"GBP")
    assert account(purses.account(ana, "GBP")) == (ana.id, "GBP", 10**15 - 1, 0, 10**15 - 1)


def test_concurrent_charges_count_once(db, ana):
    purses = db.purses
    purses.top_up(ana, "GBP", 1000, idempotency_key="t")
    charged = {}  # key -> entry id
    refused = []

    def till(n):
        for i in range(10):
            key = f"till-{n}/{i}"
            try:
                charged[key] = purses.charge(ana, "GBP", 30, idempotency_key=key).id
            except patron.PreconditionError:
                refused.append(key)

    threads = [threading.Thread(target=till, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # 33 * 30 = 990 of 1000; the other 7 refused; each entry counts once.
    assert (len(charged), len(refused)) == (33, 7)
    assert len(set(charged.values())) == 33
    assert purses.account(ana, "GBP").balance == 10
    # A till that lost an answer retries: the same entry back, nothing written.
    for key, id in charged.items():
        assert purses.charge(ana, "GBP", 30, idempotency_key=key).id == id
    assert purses.account(ana, "GBP").balance == 10
    assert len(purses.entries(ana, "GBP", limit=1000)) == 34


def test_classes_are_exported(db):
    for name in ("Purses", "PurseAccount", "PurseEntry"):
        assert name in patron.__all__
        assert getattr(patron, name).__module__ == "patron"
    assert isinstance(db.purses, patron.Purses)
    assert db.purses is db.purses
    assert repr(db.purses).startswith("<patron.Purses of ")
