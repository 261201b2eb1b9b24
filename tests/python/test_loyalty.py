"""Loyalty from Python (db.loyalty) on a file database: programs, the points
ledger (earn, redeem, adjust, reverse, transfer, expire) with exact entries,
accounts and lots, pending and expiring points, tiers (upgrade at once,
downgrade on evaluation, history), rewards, idempotent replays and
conflicting reuse of a key, points only as int, and each refusal with its
exception class and field. Mirrors tests/cpp/test_loyalty.cpp."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import threading

import pytest

import patron
from helpers import T0, UTC, raises, ts

D1 = T0 + dt.timedelta(days=1)
# Calendar months after T0 (2024-03-01 12:00:00.123456 UTC).
M12 = T0.replace(year=2025)
W12 = T0.replace(year=2023)  # a 12-month window's start at T0


@pytest.fixture
def db(clocked_db):
    return clocked_db


@pytest.fixture
def stars(db):
    """One star per pound (100 minor units), rounded down, lasting 12 months."""
    return db.loyalty.create_program("stars", "Stars", "GBP", points_name="stars", expiry_months=12)


def fields(e):
    """A PointsEntry as a dict of Python values."""
    return dict(id=e.id, customer=e.customer, program=e.program, kind=e.kind, points=e.points,
                balance_after=e.balance_after, amount=e.amount, currency=e.currency, pending_until=e.pending_until,
                expires_at=e.expires_at, reverses=e.reverses, reversed=e.reversed, counterpart=e.counterpart,
                reward=e.reward, qualifying=e.qualifying, reference=e.reference, reason=e.reason,
                idempotency_key=e.idempotency_key, actor=e.actor, at=e.at)


def account(a):
    """A PointsAccount as a tuple of Python values."""
    return (a.customer, a.program, a.balance, a.pending, a.expired, a.spendable, a.tier)


def lots(loyalty, customer, program="stars"):
    return [(l.entry, l.points, l.remaining, l.expires_at) for l in loyalty.lots(customer, program)]


def test_programs_on_a_file(db, db_path, clock):
    loyalty = db.loyalty
    assert loyalty.programs() == []
    p = loyalty.create_program("stars", "Stars", "gbp", points_name="stars", expiry_months=12)
    assert isinstance(p, patron.Program)
    assert (p.id, p.name, p.points_name, p.currency, p.earn_points, p.per_amount, p.rounding, p.expiry_months,
            p.redemption_order, p.tier_window_months, p.created_at, p.updated_at) == (
        "stars", "Stars", "stars", "GBP", 1, 100, "down", 12, "soonest_expiring", 12, T0, T0)
    assert p.created_at.tzinfo is UTC
    assert p.to_dict() == {"id": "stars", "name": "Stars", "points_name": "stars", "currency": "GBP",
                           "earn_points": 1, "per_amount": 100, "rounding": "down", "expiry_months": 12,
                           "redemption_order": "soonest_expiring", "tier_window_months": 12, "created_at": ts(T0),
                           "updated_at": ts(T0)}
    assert json.loads(p.to_json()) == p.to_dict()
    assert "patron.Program" in repr(p) and "'stars'" in repr(p)
    with pytest.raises(AttributeError):
        p.name = "x"

    clock.advance(minutes=1)
    forever = loyalty.create_program("miles", "Miles", "EUR", earn_points=5, per_amount=1000, rounding="nearest",
                                     redemption_order="oldest_earned", tier_window_months=24)
    assert (forever.points_name, forever.expiry_months, forever.rounding, forever.redemption_order,
            forever.tier_window_months, forever.created_at) == ("points", None, "nearest", "oldest_earned", 24, T0 +
                                                                 dt.timedelta(minutes=1))
    raises(patron.AlreadyExistsError, "id", loyalty.create_program, "stars", "Other", "GBP")

    clock.advance(minutes=1)
    changed = loyalty.update_program(p, "Gold stars", "GBP", points_name="stars", earn_points=2, rounding="up")
    assert (changed.name, changed.earn_points, changed.rounding, changed.expiry_months, changed.created_at,
            changed.updated_at) == ("Gold stars", 2, "up", None, T0, clock.now)
    assert changed != p and hash(changed) == hash(p)

    db.close()
    with patron.open(db_path, default_region="GB", clock=clock) as again:
        assert again.loyalty.program("stars") == changed
        assert again.loyalty.program(changed) == changed  # a Program names itself
        assert again.loyalty.programs() == [forever, changed]  # by id
        raises(patron.NotFoundError, "id", again.loyalty.program, "nope")
        raises(patron.NotFoundError, "id", again.loyalty.update_program, "nope", "Nope", "GBP")


def test_program_refusals_write_nothing(db, stars):
    create = db.loyalty.create_program
    raises(patron.ValidationError, "id", create, "", "X", "GBP")
    raises(patron.ValidationError, "id", create, "two words", "X", "GBP")
    raises(patron.ValidationError, "id", create, "x" * 65, "X", "GBP")
    raises(patron.ValidationError, "name", create, "p", "", "GBP")
    raises(patron.ValidationError, "name", create, "p", "n" * 201, "GBP")
    raises(patron.ValidationError, "points_name", create, "p", "P", "GBP", points_name="")
    raises(patron.ValidationError, "points_name", create, "p", "P", "GBP", points_name="s" * 51)
    raises(patron.ValidationError, "currency", create, "p", "P", "pounds")
    raises(patron.ValidationError, "earn_points", create, "p", "P", "GBP", earn_points=0)
    raises(patron.ValidationError, "earn_points", create, "p", "P", "GBP", earn_points=10**6 + 1)
    raises(patron.ValidationError, "per_amount", create, "p", "P", "GBP", per_amount=0)
    raises(patron.ValidationError, "per_amount", create, "p", "P", "GBP", per_amount=10**9 + 1)
    raises(patron.ValidationError, "expiry_months", create, "p", "P", "GBP", expiry_months=0)
    raises(patron.ValidationError, "expiry_months", create, "p", "P", "GBP", expiry_months=1201)
    raises(patron.ValidationError, "expiry_months", create, "p", "P", "GBP", expiry_months=2**40)
    raises(patron.ValidationError, "tier_window_months", create, "p", "P", "GBP", tier_window_months=0)
    raises(patron.ValidationError, "tier_window_months", create, "p", "P", "GBP", tier_window_months=121)
    raises(patron.ValidationError, "rounding", create, "p", "P", "GBP", rounding="sideways")
    raises(patron.ValidationError, "redemption_order", create, "p", "P", "GBP", redemption_order="random")
    with pytest.raises(TypeError, match="earn_points"):
        create("p", "P", "GBP", earn_points=1.0)
    with pytest.raises(TypeError, match="per_amount"):
        create("p", "P", "GBP", per_amount=100.0)
    with pytest.raises(TypeError):
        create("p", "P", "GBP", 1)  # the rule is keyword-only
    assert db.loyalty.programs() == [stars]
    # The bounds themselves are allowed.
    edge = create("a-Z.0_9:/" + "x" * 55, "n" * 200, "GBP", points_name="s" * 50, earn_points=10**6,
                  per_amount=10**9, expiry_months=1200, tier_window_months=120)
    assert (edge.earn_points, edge.per_amount, edge.expiry_months, edge.tier_window_months) == (10**6, 10**9, 1200,
                                                                                                120)


def test_earn_redeem_on_a_file(db, db_path, clock, stars, ana):
    loyalty = db.loyalty
    assert account(loyalty.account(ana, "stars")) == (ana.id, "stars", 0, 0, 0, 0, None)
    assert loyalty.accounts(ana) == []
    assert loyalty.entries(ana, "stars") == []
    assert loyalty.lots(ana, "stars") == []

    earned = loyalty.earn("ana-01", stars, amount=4250, idempotency_key="till-1/1", reference="R-1")
    assert isinstance(earned, patron.PointsEntry)
    expected = dict(id=1, customer=ana.id, program="stars", kind="earn", points=42, balance_after=42, amount=4250,
                    currency="GBP", pending_until=None, expires_at=M12, reverses=None, reversed=0, counterpart=None,
                    reward=None, qualifying=True, reference="R-1", reason="", idempotency_key="till-1/1", actor="",
                    at=T0)
    assert fields(earned) == expected
    assert earned.to_dict() == dict(expected, expires_at=ts(M12), at=ts(T0))
    assert json.loads(earned.to_json()) == earned.to_dict()
    assert "patron.PointsEntry" in repr(earned) and "+42" in repr(earned)
    with pytest.raises(AttributeError):
        earned.points = 1

    clock.advance(minutes=1)
    redeemed = loyalty.redeem(ana.id, "stars", 30, idempotency_key="till-1/2", reference=None)
    assert fields(redeemed) == dict(expected, id=2, kind="redeem", points=-30, balance_after=12, amount=None,
                                    currency="", expires_at=None, qualifying=False, reference="",
                                    idempotency_key="till-1/2", at=clock.now)
    acct = loyalty.account(ana, "stars")
    assert isinstance(acct, patron.PointsAccount)
    assert account(acct) == (ana.id, "stars", 12, 0, 0, 12, None)
    assert acct.to_dict() == {"customer": ana.id, "program": "stars", "balance": 12, "pending": 0, "expired": 0,
                              "spendable": 12, "tier": None}
    assert "patron.PointsAccount" in repr(acct) and "12" in repr(acct)
    assert lots(loyalty, ana) == [(1, 42, 12, M12)]
    lot = loyalty.lots(ana, "stars")[0]
    assert isinstance(lot, patron.PointsLot)
    assert (lot.earned_at, lot.pending_until) == (T0, None)
    assert lot.to_dict() == {"id": lot.id, "entry": 1, "points": 42, "remaining": 12, "earned_at": ts(T0),
                             "pending_until": None, "expires_at": ts(M12)}

    db.close()
    with patron.open(db_path, default_region="GB", clock=clock) as again:
        loyalty = again.loyalty
        assert loyalty.entry(1) == earned
        assert loyalty.entry(earned) == earned  # a PointsEntry names itself
        assert hash(loyalty.entry(1)) == hash(earned)
        assert loyalty.entries("ANA-01", "stars") == [redeemed, earned]  # newest first
        assert loyalty.entries(ana, "stars", limit=1, offset=1) == [earned]
        assert loyalty.entries(ana, "stars", 10, 2) == []
        assert loyalty.accounts(ana) == [acct]
        raises(patron.NotFoundError, "id", loyalty.entry, 999)
        # Each write is on the customer's timeline.
        actions = [e.action for e in again.activity.timeline(ana).events if e.category == "payments"]
        assert actions == ["points.redeemed", "points.earned"]


def test_earn_rules_and_rounding(db, ana):
    loyalty = db.loyalty
    loyalty.create_program("down", "Down", "GBP")
    loyalty.create_program("near", "Nearest", "GBP", rounding="nearest")
    loyalty.create_program("up", "Up", "GBP", rounding="up")
    loyalty.create_program("rich", "Rich", "EUR", earn_points=3, per_amount=250)
    for program, amount, points in [("down", 4299, 42), ("near", 4250, 43), ("near", 4249, 42), ("up", 4201, 43),
                                    ("up", 4200, 42), ("rich", 1000, 12), ("rich", 999, 11)]:
        e = loyalty.earn(ana, program, amount=amount, idempotency_key=f"{program}/{amount}")
        assert (e.points, e.amount) == (points, amount), (program, amount)
    # Points given as such take no rule; an earn by amount in another currency is refused.
    assert loyalty.earn(ana, "rich", points=7, idempotency_key="p").points == 7
    assert loyalty.earn(ana, "rich", points=7, idempotency_key="p").amount is None
    raises(patron.PreconditionError, "currency", loyalty.earn, ana, "rich", amount=1000, currency="GBP",
           idempotency_key="x")
    assert loyalty.earn(ana, "rich", amount=500, currency="eur", idempotency_key="eur").points == 6
    assert account(loyalty.account(ana, "rich"))[2] == 12 + 11 + 7 + 6


def test_redemption_order_and_lots(db, clock, ana):
    loyalty = db.loyalty
    # A lot that never expires, then (after the program changes) one that does.
    loyalty.create_program("stars", "Stars", "GBP")
    forever = loyalty.earn(ana, "stars", points=100, idempotency_key="e1")
    assert forever.expires_at is None
    loyalty.update_program("stars", "Stars", "GBP", expiry_months=12)
    clock.advance(days=1)
    dated = loyalty.earn(ana, "stars", points=50, idempotency_key="e2")
    assert dated.expires_at == D1.replace(year=2025)
    # Soonest-expiring first; lots that never expire last.
    assert lots(loyalty, ana) == [(2, 50, 50, dated.expires_at), (1, 100, 100, None)]
    loyalty.redeem(ana, "stars", 60, idempotency_key="r1")
    assert lots(loyalty, ana) == [(1, 100, 90, None)]
    # Oldest-earned first.
    loyalty.create_program("miles", "Miles", "GBP", redemption_order="oldest_earned")
    loyalty.earn(ana, "miles", points=10, idempotency_key="m1")
    loyalty.update_program("miles", "Miles", "GBP", redemption_order="oldest_earned", expiry_months=1)
    loyalty.earn(ana, "miles", points=20, idempotency_key="m2")
    loyalty.redeem(ana, "miles", 15, idempotency_key="m3")
    assert [(l.points, l.remaining) for l in loyalty.lots(ana, "miles")] == [(20, 15)]


def test_idempotent_replay_and_conflict(db, clock, stars, ana, bo):
    loyalty = db.loyalty
    earned = loyalty.earn(ana, "stars", points=100, idempotency_key="k-1", reference="R-1")
    clock.advance(minutes=1)
    # The same key and request: the original entry, nothing written.
    assert loyalty.earn(ana, "stars", points=100, idempotency_key="k-1", reference="R-1") == earned
    assert loyalty.earn("ANA-01", stars, points=100, idempotency_key="k-1", reference="R-1") == earned
    redeemed = loyalty.redeem(ana, "stars", 10, idempotency_key="k-2")
    assert loyalty.redeem(ana, "stars", 10, idempotency_key="k-2") == redeemed
    assert loyalty.account(ana, "stars").balance == 90
    assert len(loyalty.entries(ana, "stars")) == 2

    conflict = patron.ConflictError
    raises(conflict, "idempotency_key", loyalty.earn, ana, "stars", points=101, idempotency_key="k-1",
           reference="R-1")
    raises(conflict, "idempotency_key", loyalty.earn, ana, "stars", points=100, idempotency_key="k-1",
           reference="R-9")
    raises(conflict, "idempotency_key", loyalty.earn, bo, "stars", points=100, idempotency_key="k-1",
           reference="R-1")
    raises(conflict, "idempotency_key", loyalty.redeem, ana, "stars", 100, idempotency_key="k-1", reference="R-1")
    raises(conflict, "idempotency_key", loyalty.redeem, ana, "stars", 11, idempotency_key="k-2")
    e = raises(conflict, "idempotency_key", loyalty.adjust, ana, "stars", 5, reason="r", actor="jane",
               idempotency_key="k-2")
    assert e.code == "conflict"
    assert loyalty.account(ana, "stars").balance == 90
    assert len(loyalty.entries(ana, "stars")) == 2
    assert loyalty.accounts(bo) == []


def test_pending_points(db, clock, stars, ana):
    loyalty = db.loyalty
    released = T0 + dt.timedelta(days=7)
    pending = loyalty.earn(ana, "stars", points=100, pending_until=released, idempotency_key="e1")
    assert (pending.pending_until, pending.expires_at) == (released, released.replace(year=2025))
    assert account(loyalty.account(ana, "stars")) == (ana.id, "stars", 100, 100, 0, 0, None)
    assert loyalty.lots(ana, "stars")[0].pending_until == released
    e = raises(patron.PreconditionError, "points", loyalty.redeem, ana, "stars", 1, idempotency_key="r1")
    assert "0" in str(e)  # the spendable points
    clock.now = released
    assert account(loyalty.account(ana, "stars")) == (ana.id, "stars", 100, 0, 0, 100, None)
    assert loyalty.redeem(ana, "stars", 100, idempotency_key="r1").balance_after == 0


def test_expiry(db, clock, stars, ana, bo):
    loyalty = db.loyalty
    loyalty.earn(ana, "stars", points=100, idempotency_key="a1")
    loyalty.earn(bo, "stars", points=40, idempotency_key="b1")
    clock.advance(days=1)
    loyalty.earn(ana, "stars", points=10, idempotency_key="a2")
    clock.now = M12  # the first lots expire at exactly this time
    assert account(loyalty.account(ana, "stars")) == (ana.id, "stars", 110, 0, 100, 10, None)
    raises(patron.PreconditionError, "points", loyalty.redeem, ana, "stars", 11, idempotency_key="r")
    none_yet = loyalty.expire("stars", at=M12 - dt.timedelta(microseconds=1))
    assert isinstance(none_yet, patron.ExpiryRun)
    assert (none_yet.accounts, none_yet.lots, none_yet.points) == (0, 0, 0)
    run = loyalty.expire(stars)
    assert (run.accounts, run.lots, run.points) == (2, 2, 140)
    assert run.to_dict() == {"accounts": 2, "lots": 2, "points": 140}
    assert "patron.ExpiryRun" in repr(run)
    written = loyalty.entries(ana, "stars")[0]
    assert (written.kind, written.points, written.balance_after, written.at) == ("expire", -100, 10, M12)
    assert account(loyalty.account(ana, "stars")) == (ana.id, "stars", 10, 0, 0, 10, None)
    assert account(loyalty.account(bo, "stars")) == (bo.id, "stars", 0, 0, 0, 0, None)
    assert lots(loyalty, ana) == [(3, 10, 10, D1.replace(year=2025))]
    again = loyalty.expire("stars")
    assert (again.accounts, again.lots, again.points) == (0, 0, 0)
    raises(patron.NotFoundError, "program", loyalty.expire, "nope")


def test_adjust(db, clock, stars, ana):
    loyalty = db.loyalty
    raises(patron.ValidationError, "actor", loyalty.adjust, ana, "stars", 25, reason="goodwill",
           idempotency_key="a1")
    with patron.acting_as("jane"):
        granted = loyalty.adjust(ana, "stars", 25, reason="goodwill", idempotency_key="a1")
    assert (granted.kind, granted.points, granted.balance_after, granted.reason, granted.actor,
            granted.qualifying, granted.expires_at) == ("adjust", 25, 25, "goodwill", "jane", False, M12)
    qualifying = loyalty.adjust(ana, "stars", 5, reason="missed visit", qualifying=True, actor="bob",
                                idempotency_key="a2")
    assert (qualifying.actor, qualifying.qualifying) == ("bob", True)
    taken = loyalty.adjust(ana, "stars", -20, reason="duplicate", actor="bob", idempotency_key="a3")
    assert (taken.points, taken.balance_after) == (-20, 10)
    raises(patron.PreconditionError, "points", loyalty.adjust, ana, "stars", -11, reason="x", actor="bob",
           idempotency_key="a4")
    raises(patron.ValidationError, "points", loyalty.adjust, ana, "stars", 0, reason="x", actor="bob",
           idempotency_key="a4")
    raises(patron.ValidationError, "points", loyalty.adjust, ana, "stars", 10**12 + 1, reason="x", actor="bob",
           idempotency_key="a4")
    raises(patron.ValidationError, "reason", loyalty.adjust, ana, "stars", 1, reason="", actor="bob",
           idempotency_key="a4")
    raises(patron.ValidationError, "reason", loyalty.adjust, ana, "stars", 1, reason="r" * 501, actor="bob",
           idempotency_key="a4")
    with pytest.raises(TypeError):
        loyalty.adjust(ana, "stars", 1, actor="bob", idempotency_key="a4")  # the reason is required
    with pytest.raises(TypeError, match="qualifying"):
        loyalty.adjust(ana, "stars", 1, reason="x", actor="bob", qualifying=1, idempotency_key="a4")
    assert loyalty.account(ana, "stars").balance == 10
    assert len(loyalty.entries(ana, "stars")) == 3


def test_reversals_never_exceed_the_original(db, stars, ana):
    loyalty = db.loyalty
    earned = loyalty.earn(ana, "stars", points=100, idempotency_key="e1")
    redeemed = loyalty.redeem(ana, "stars", 30, idempotency_key="r1")
    back = loyalty.reverse(earned, 40, idempotency_key="v1", reason="returned item")
    assert (back.kind, back.points, back.balance_after, back.reverses, back.reason) == ("reverse", -40, 30, 1,
                                                                                        "returned item")
    assert loyalty.entry(earned).reversed == 40
    assert loyalty.reverse(earned, 40, idempotency_key="v1", reason="returned item") == back  # replay
    undo = loyalty.reverse(redeemed.id, 30, idempotency_key="v2")
    assert (undo.points, undo.balance_after, undo.reverses) == (30, 60, 2)
    e = raises(patron.PreconditionError, "points", loyalty.reverse, earned, 61, idempotency_key="v3")
    assert "60" in str(e)
    raises(patron.PreconditionError, "points", loyalty.reverse, redeemed, 1, idempotency_key="v3")
    assert loyalty.reverse(earned, 60, idempotency_key="v3").balance_after == 0
    assert loyalty.entry(1).reversed == 100
    # Only an earn or a redemption can be reversed.
    raises(patron.NotFoundError, "entry", loyalty.reverse, back, 1, idempotency_key="v4")
    raises(patron.NotFoundError, "entry", loyalty.reverse, 999, 1, idempotency_key="v4")
    raises(patron.ValidationError, "points", loyalty.reverse, earned, 0, idempotency_key="v4")
    raises(patron.ValidationError, "idempotency_key", loyalty.reverse, earned, 1, idempotency_key="")
    with pytest.raises(TypeError, match="points"):
        loyalty.reverse(earned, 1.0, idempotency_key="v4")
    with pytest.raises(TypeError, match="entry"):
        loyalty.reverse("1", 1, idempotency_key="v4")
    assert loyalty.account(ana, "stars").balance == 0


def test_transfer(db, clock, stars, ana, bo):
    loyalty = db.loyalty
    loyalty.earn(ana, "stars", points=100, idempotency_key="e1")
    clock.advance(minutes=1)
    given = loyalty.transfer(ana, "BO-01", "stars", 40, idempotency_key="t1", reason="gift")
    assert (given.customer, given.kind, given.points, given.balance_after, given.reason) == (ana.id, "transfer", -40,
                                                                                             60, "gift")
    received = loyalty.entry(given.counterpart)
    assert (received.customer, received.kind, received.points, received.balance_after, received.counterpart) == (
        bo.id, "transfer", 40, 40, given.id)
    # The receiver's lot keeps the expiry of the lot drawn.
    assert lots(loyalty, bo) == [(received.id, 40, 40, M12)]
    assert loyalty.transfer(ana, bo, "stars", 40, idempotency_key="t1", reason="gift") == given
    raises(patron.PreconditionError, "points", loyalty.transfer, ana, bo, "stars", 61, idempotency_key="t2")
    raises(patron.ValidationError, "to", loyalty.transfer, ana, "ANA-01", "stars", 1, idempotency_key="t2")
    raises(patron.NotFoundError, "to", loyalty.transfer, ana, "NOBODY", "stars", 1, idempotency_key="t2")
    raises(patron.NotFoundError, "customer", loyalty.transfer, "NOBODY", bo, "stars", 1, idempotency_key="t2")
    raises(patron.NotFoundError, "program", loyalty.transfer, ana, bo, "nope", 1, idempotency_key="t2")
    assert (loyalty.account(ana, "stars").balance, loyalty.account(bo, "stars").balance) == (60, 40)


def test_tiers(db, clock, stars, ana):
    loyalty = db.loyalty
    silver = loyalty.save_tier("stars", "silver", "Silver", 100, earn_multiplier_percent=125, benefits="Free coffee")
    assert isinstance(silver, patron.Tier)
    assert (silver.program, silver.id, silver.name, silver.threshold, silver.earn_multiplier_percent,
            silver.benefits) == ("stars", "silver", "Silver", 100, 125, "Free coffee")
    assert silver.to_dict() == {"program": "stars", "id": "silver", "name": "Silver", "threshold": 100,
                                "earn_multiplier_percent": 125, "benefits": "Free coffee"}
    assert "patron.Tier" in repr(silver)
    gold = loyalty.save_tier(stars, "gold", "Gold", 500, earn_multiplier_percent=150)
    assert loyalty.tiers("stars") == [silver, gold]  # by threshold
    assert loyalty.tier(ana, "stars") is None

    # Reaching a threshold lifts the customer at once; the multiplier then applies.
    loyalty.earn(ana, "stars", points=100, idempotency_key="e1")
    assert loyalty.tier(ana, "stars") == silver
    assert loyalty.account(ana, "stars").tier == "silver"
    clock.advance(days=1)
    assert loyalty.earn(ana, "stars", amount=10000, idempotency_key="e2").points == 125
    progress = loyalty.progress(ana, "stars")
    assert isinstance(progress, patron.TierProgress)
    assert (progress.tier, progress.qualifies_for, progress.qualifying_points, progress.window_start,
            progress.next_tier, progress.points_to_next) == ("silver", "silver", 225, D1.replace(year=2023), "gold",
                                                             275)
    history = loyalty.tier_history(ana, "stars")
    assert [(c.from_, c.to, c.reason, c.qualifying_points, c.at) for c in history] == [
        (None, "silver", "qualified", 100, T0)]
    assert isinstance(history[0], patron.TierChange)
    assert history[0].to_dict()["from"] is None

    # Downgrades wait for evaluate_tiers().
    clock.now = T0.replace(year=2025) + dt.timedelta(days=2)
    assert loyalty.progress(ana, "stars").qualifies_for is None
    assert loyalty.tier(ana, "stars") == silver
    raises(patron.PreconditionError, "tier", loyalty.remove_tier, "stars", "silver")
    evaluation = loyalty.evaluate_tiers("stars")
    assert isinstance(evaluation, patron.TierEvaluation)
    assert (evaluation.accounts, evaluation.upgraded, evaluation.downgraded) == (1, 0, 1)
    assert evaluation.to_dict() == {"accounts": 1, "upgraded": 0, "downgraded": 1}
    assert loyalty.tier(ana, "stars") is None
    assert [(c.from_, c.to, c.reason) for c in loyalty.tier_history(ana, "stars")] == [
        ("silver", None, "evaluation"), (None, "silver", "qualified")]
    assert loyalty.tier_at(ana, "stars", D1) == silver
    assert loyalty.tier_at(ana, "stars", T0 - dt.timedelta(days=1)) is None
    assert loyalty.tier_at(ana, "stars", clock.now) is None

    loyalty.remove_tier("stars", gold)
    assert loyalty.tiers("stars") == [silver]
    raises(patron.NotFoundError, "program", loyalty.save_tier, "nope", "x", "X", 1)
    raises(patron.NotFoundError, "program", loyalty.tiers, "nope")
    raises(patron.ValidationError, "threshold", loyalty.save_tier, "stars", "x", "X", -1)
    raises(patron.ValidationError, "threshold", loyalty.save_tier, "stars", "x", "X", 10**12 + 1)
    raises(patron.ValidationError, "earn_multiplier_percent", loyalty.save_tier, "stars", "x", "X", 1,
           earn_multiplier_percent=10001)
    raises(patron.ValidationError, "benefits", loyalty.save_tier, "stars", "x", "X", 1, benefits="b" * 2001)
    raises(patron.ValidationError, "name", loyalty.save_tier, "stars", "x", "", 1)
    with pytest.raises(TypeError, match="threshold"):
        loyalty.save_tier("stars", "x", "X", 1.0)
    assert loyalty.tiers("stars") == [silver]


def test_rewards(db, clock, stars, ana):
    loyalty = db.loyalty
    coffee = loyalty.save_reward("coffee", "stars", "Free coffee", 50, description="Any size")
    assert isinstance(coffee, patron.Reward)
    assert (coffee.id, coffee.program, coffee.name, coffee.cost, coffee.active_from, coffee.active_until,
            coffee.description) == ("coffee", "stars", "Free coffee", 50, None, None, "Any size")
    assert coffee.to_dict() == {"id": "coffee", "program": "stars", "name": "Free coffee", "cost": 50,
                                "active_from": None, "active_until": None, "description": "Any size"}
    later = T0 + dt.timedelta(days=30)
    cake = loyalty.save_reward("cake", stars, "Cake", 20, active_from=later)
    meal = loyalty.save_reward("meal", "stars", "Meal", 500, active_until=later)
    assert loyalty.reward("coffee") == coffee
    assert loyalty.reward(coffee) == coffee
    assert loyalty.rewards("stars") == [cake, coffee, meal]  # by cost
    assert loyalty.rewards("stars", active_at=T0) == [coffee, meal]
    assert loyalty.rewards("stars", active_at=later) == [cake, coffee]
    assert loyalty.available_rewards(ana, "stars") == []

    loyalty.earn(ana, "stars", points=120, idempotency_key="e1")
    assert loyalty.available_rewards(ana, "stars") == [coffee]
    clock.advance(minutes=1)
    redeemed = loyalty.redeem_reward(ana, "coffee", idempotency_key="w1")
    assert (redeemed.kind, redeemed.points, redeemed.balance_after, redeemed.reward, redeemed.at) == (
        "redeem", -50, 70, "coffee", clock.now)
    assert loyalty.redeem_reward(ana, coffee, idempotency_key="w1") == redeemed
    assert loyalty.reward_redemptions(ana, "stars") == [redeemed]
    raises(patron.PreconditionError, "reward", loyalty.redeem_reward, ana, "cake", idempotency_key="w2")
    raises(patron.PreconditionError, "points", loyalty.redeem_reward, ana, "meal", idempotency_key="w2")
    raises(patron.NotFoundError, "reward", loyalty.redeem_reward, ana, "nope", idempotency_key="w2")
    raises(patron.NotFoundError, "id", loyalty.reward, "nope")
    raises(patron.NotFoundError, "program", loyalty.save_reward, "x", "nope", "X", 1)
    raises(patron.ValidationError, "cost", loyalty.save_reward, "x", "stars", "X", 0)
    raises(patron.ValidationError, "active_until", loyalty.save_reward, "x", "stars", "X", 1, active_from=later,
           active_until=T0)
    raises(patron.ValidationError, "description", loyalty.save_reward, "x", "stars", "X", 1,
           description="d" * 2001)
    with pytest.raises(TypeError, match="cost"):
        loyalty.save_reward("x", "stars", "X", 1.5)
    with pytest.raises(TypeError):
        loyalty.save_reward("x", "stars", "X", 1, active_from="tomorrow")
    assert loyalty.rewards("stars") == [cake, coffee, meal]
    assert loyalty.account(ana, "stars").balance == 70


def test_batches_are_all_or_nothing(db, stars, ana, bo):
    loyalty = db.loyalty
    earned = loyalty.earn_many([
        {"customer": ana, "program": "stars", "points": 100, "idempotency_key": "m1"},
        dict(customer="BO-01", program=stars, amount=2500, reference="R-1", idempotency_key="m2"),
    ])
    assert [(e.customer, e.points, e.balance_after, e.reference) for e in earned] == [(ana.id, 100, 100, ""),
                                                                                       (bo.id, 25, 25, "R-1")]
    raises(patron.ValidationError, "[1].points", loyalty.earn_many, [
        {"customer": ana, "program": "stars", "points": 1, "idempotency_key": "m3"},
        {"customer": ana, "program": "stars", "points": 0, "idempotency_key": "m4"}])
    raises(patron.NotFoundError, "[0].customer", loyalty.earn_many, [
        {"customer": "NOBODY", "program": "stars", "points": 1, "idempotency_key": "m3"}])
    raises(patron.ValidationError, "[0].points", loyalty.earn_many, [
        {"customer": ana, "program": "stars", "points": 1, "amount": 100, "idempotency_key": "m3"}])
    raises(patron.ValidationError, "[0].colour", loyalty.earn_many, [
        {"customer": ana, "program": "stars", "points": 1, "idempotency_key": "m3", "colour": "red"}])
    with pytest.raises(TypeError, match=r"\[0\].points"):
        loyalty.earn_many([{"customer": ana, "program": "stars", "points": 1.0, "idempotency_key": "m3"}])
    with pytest.raises(TypeError, match="idempotency_key"):
        loyalty.earn_many([{"customer": ana, "program": "stars", "points": 1}])
    with pytest.raises(TypeError):
        loyalty.earn_many({"customer": ana, "program": "stars", "points": 1, "idempotency_key": "m3"})
    assert loyalty.account(ana, "stars").balance == 100

    redeemed = loyalty.redeem_many([{"customer": ana, "program": "stars", "points": 60, "idempotency_key": "r1"},
                                    {"customer": bo, "program": "stars", "points": 5, "idempotency_key": "r2"}])
    assert [(e.points, e.balance_after) for e in redeemed] == [(-60, 40), (-5, 20)]
    raises(patron.PreconditionError, "[1].points", loyalty.redeem_many, [
        {"customer": ana, "program": "stars", "points": 40, "idempotency_key": "r3"},
        {"customer": bo, "program": "stars", "points": 21, "idempotency_key": "r4"}])
    assert (loyalty.account(ana, "stars").balance, loyalty.account(bo, "stars").balance) == (40, 20)


def test_ledger_refusals_write_nothing(db, stars, ana):
    loyalty = db.loyalty
    earn, redeem = loyalty.earn, loyalty.redeem
    raises(patron.NotFoundError, "customer", earn, "NOBODY", "stars", points=1, idempotency_key="k")
    raises(patron.ValidationError, "customer", earn, "", "stars", points=1, idempotency_key="k")
    raises(patron.NotFoundError, "program", earn, ana, "nope", points=1, idempotency_key="k")
    raises(patron.ValidationError, "points", earn, ana, "stars", idempotency_key="k")  # neither
    raises(patron.ValidationError, "points", earn, ana, "stars", points=1, amount=100, idempotency_key="k")  # both
    raises(patron.ValidationError, "points", earn, ana, "stars", points=0, idempotency_key="k")
    raises(patron.ValidationError, "points", earn, ana, "stars", points=10**12 + 1, idempotency_key="k")
    raises(patron.ValidationError, "amount", earn, ana, "stars", amount=0, idempotency_key="k")
    raises(patron.ValidationError, "amount", earn, ana, "stars", amount=10**15 + 1, idempotency_key="k")
    raises(patron.ValidationError, "currency", earn, ana, "stars", amount=100, currency="XX", idempotency_key="k")
    raises(patron.ValidationError, "idempotency_key", earn, ana, "stars", points=1, idempotency_key="")
    raises(patron.ValidationError, "idempotency_key", earn, ana, "stars", points=1, idempotency_key="k" * 201)
    raises(patron.ValidationError, "reference", earn, ana, "stars", points=1, idempotency_key="k",
           reference="r" * 201)
    raises(patron.NotFoundError, "customer", redeem, "NOBODY", "stars", 1, idempotency_key="k")
    raises(patron.NotFoundError, "program", redeem, ana, "nope", 1, idempotency_key="k")
    raises(patron.ValidationError, "points", redeem, ana, "stars", 0, idempotency_key="k")
    raises(patron.ValidationError, "points", redeem, ana, "stars", -1, idempotency_key="k")
    raises(patron.PreconditionError, "points", redeem, ana, "stars", 1, idempotency_key="k")
    # Points and money are never floating point: a float is a TypeError, not rounded.
    for value in (1.0, 1.5, decimal.Decimal(1), "1", True):
        with pytest.raises(TypeError, match="points"):
            earn(ana, "stars", points=value, idempotency_key="k")
        with pytest.raises(TypeError, match="amount"):
            earn(ana, "stars", amount=value, idempotency_key="k")
        with pytest.raises(TypeError, match="points"):
            redeem(ana, "stars", value, idempotency_key="k")
    with pytest.raises(TypeError, match="floating point"):
        earn(ana, "stars", points=1.0, idempotency_key="k")
    with pytest.raises(TypeError):
        earn(ana, "stars", points=1)  # the key is required
    with pytest.raises(TypeError):
        redeem(ana, "stars", 1, "k")  # and keyword-only
    with pytest.raises(TypeError):
        earn(ana, "stars", points=1, idempotency_key="k", pending_until="soon")
    raises(patron.NotFoundError, "customer", loyalty.account, "NOBODY", "stars")
    raises(patron.NotFoundError, "program", loyalty.account, ana, "nope")
    raises(patron.NotFoundError, "customer", loyalty.accounts, "NOBODY")
    raises(patron.ValidationError, "limit", loyalty.entries, ana, "stars", limit=0)
    raises(patron.ValidationError, "limit", loyalty.entries, ana, "stars", limit=1001)
    with pytest.raises(TypeError):
        loyalty.entry("1")
    assert loyalty.accounts(ana) == []
    assert loyalty.entries(ana, "stars") == []
    # The bounds themselves are allowed.
    big = earn(ana, "stars", points=10**12, idempotency_key="k" * 200, reference="r" * 200)
    assert big.balance_after == 10**12


def test_concurrent_earns_and_redemptions_count_once(db, stars, ana):
    loyalty = db.loyalty
    loyalty.earn(ana, "stars", points=1000, idempotency_key="seed")
    written = {}  # key -> entry id

    def till(n):
        for i in range(10):
            key = f"till-{n}/{i}"
            if i % 2 == 0:
                written[key] = loyalty.earn(ana, "stars", points=10, idempotency_key=key).id
            else:
                written[key] = loyalty.redeem(ana, "stars", 5, idempotency_key=key).id

    threads = [threading.Thread(target=till, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # 20 earns of 10 and 20 redemptions of 5; each entry counts once.
    assert len(written) == 40
    assert len(set(written.values())) == 40
    entries = loyalty.entries(ana, "stars", limit=1000)
    assert len(entries) == 41
    assert loyalty.account(ana, "stars").balance == 1000 + 200 - 100 == sum(e.points for e in entries)
    # The running balance follows the ledger, entry by entry.
    running = 0
    for e in sorted(entries, key=lambda e: e.id):
        running += e.points
        assert e.balance_after == running
    # A till that lost an answer retries: the same entry back, nothing written.
    for key, id in written.items():
        n, i = key[5:].split("/")
        replay = (loyalty.earn(ana, "stars", points=10, idempotency_key=key) if int(i) % 2 == 0 else
                  loyalty.redeem(ana, "stars", 5, idempotency_key=key))
        assert replay.id == id
    assert loyalty.account(ana, "stars").balance == 1100


def test_classes_are_exported(db):
    for name in ("Loyalty", "Program", "Tier", "Reward", "PointsAccount", "PointsEntry", "PointsLot", "TierChange",
                 "TierProgress", "TierEvaluation", "ExpiryRun"):
        assert name in patron.__all__
        assert getattr(patron, name).__module__ == "patron"
    assert isinstance(db.loyalty, patron.Loyalty)
    assert db.loyalty is db.loyalty
    assert repr(db.loyalty).startswith("<patron.Loyalty of ")
    with pytest.raises(TypeError):
        patron.PointsEntry()
