"""Bad input at the edges of the Python surface (issue 11): naive datetimes,
times outside 0001-9999, details nested without end, money beyond 10**15
and integers past 2**63. Each is refused with patron.ValidationError naming
the argument, and writes nothing. Mirrors tests/capi/test_capi_hardening.cpp
and tests/cpp/test_hardening.cpp."""

from __future__ import annotations

import datetime as dt
import math

import pytest

import patron
from helpers import UTC, raises

TIME_RULE = "must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z"


def nested(depth: int) -> dict:
    out: dict = {"a": 1}
    for _ in range(depth - 1):
        out = {"a": out}
    return out


def order(db, ref, **fields):
    args = dict(customer="ANA-01", source="pos", external_ref=ref, currency="GBP", total=100)
    args.update(fields)
    return db.orders.record(**args)


def test_naive_datetimes_are_refused_everywhere(db, ana):
    naive = dt.datetime(2024, 1, 2, 3, 4, 5)
    e = raises(patron.ValidationError, "placed_at", order, db, "N-1", placed_at=naive)
    assert "must be timezone-aware" in str(e)
    raises(patron.ValidationError, "at", db.activity.record, customer=ana, action="a.b", summary="s", at=naive)
    raises(patron.ValidationError, "starts_at", db.bookings.record, customer=ana, source="spa", external_ref="B-1",
           service="massage", starts_at=naive, ends_at=naive + dt.timedelta(hours=1))
    assert db.orders.find("pos", "N-1") is None
    assert db.bookings.find("spa", "B-1") is None
    # Aware ones in any zone are taken, and come back in UTC.
    plus_two = dt.timezone(dt.timedelta(hours=2))
    kept = order(db, "N-2", placed_at=dt.datetime(2024, 1, 2, 5, 4, 5, tzinfo=plus_two)).record
    assert kept.placed_at == dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert kept.placed_at.tzinfo is UTC


def test_times_outside_0001_to_9999_are_refused(db, ana):
    # datetime itself stops at years 1 and 9999; an offset moves past them.
    early = dt.datetime(1, 1, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    late = dt.datetime(9999, 12, 31, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-1)))
    for when in (early, late):
        e = raises(patron.ValidationError, "placed_at", order, db, "R-1", placed_at=when)
        assert str(e) == "placed_at: " + TIME_RULE
    assert db.orders.find("pos", "R-1") is None
    first = order(db, "R-2", placed_at=dt.datetime(1, 1, 1, tzinfo=UTC)).record
    last = order(db, "R-3", placed_at=dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)).record
    assert db.orders.get(first.id).placed_at == dt.datetime(1, 1, 1, tzinfo=UTC)
    assert db.orders.get(last.id).placed_at == dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)


def test_details_nest_at_most_64_levels(db, ana):
    before = db.activity.last_event_id()
    kept = db.activity.record(customer=ana, action="a.b", summary="s", details=nested(64))
    assert kept.details == nested(64)
    e = raises(patron.ValidationError, "details" + ".a" * 64, db.activity.record, customer=ana, action="a.b",
               summary="s", details=nested(65))
    assert "nested deeper than 64 levels" in str(e)
    # Deeper than Python's own recursion limit: still a ValidationError.
    e = raises(patron.ValidationError, "details", db.activity.record, customer=ana, action="a.b", summary="s",
               details=nested(100_000))
    assert "nested too deeply" in str(e)
    # NaN is not JSON.
    raises(patron.ValidationError, "details", db.activity.record, customer=ana, action="a.b", summary="s",
           details={"x": math.nan})
    assert db.activity.last_event_id() == before + 1


def test_money_and_integers_at_the_edges(db, ana):
    e = raises(patron.ValidationError, "total", order, db, "M-1", total=10**15 + 1)
    assert str(e) == "total: must be 0 to 10^15 minor units"
    raises(patron.ValidationError, "total", order, db, "M-1", total=2**63)
    raises(patron.ValidationError, "items[0].amount", order, db, "M-1",
           items=[dict(name="gold", quantity=10**6, unit_price=10**12)])
    raises(patron.ValidationError, "payments[0].amount", order, db, "M-1",
           payments=[dict(amount=10**15 + 1, method="card")])
    assert db.orders.find("pos", "M-1") is None
    order(db, "M-2", total=10**15)
    order(db, "M-3", total=10**15)
    assert db.analytics.stats(ana).by_currency[0].spend == 2 * 10**15
