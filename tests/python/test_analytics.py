"""Customer analytics from Python (db.analytics) on a file database, and the
pure model (patron.clv): exact values, each refusal with its exception class
and field, the CDNOW reference fit, and that the GIL is released while the
model works. Mirrors tests/cpp/test_analytics.cpp and tests/cpp/test_clv.cpp."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import random
import threading
import time

import pytest

import patron
from patron import clv
from helpers import SOURCE_DIR, UTC, raises

T0 = dt.datetime(2024, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)  # FakeClock's start
MIDNIGHT = dt.datetime(2024, 3, 1, tzinfo=UTC)


def day(d: int, hour: int = 12) -> dt.datetime:
    """Day `d` relative to T0's day, at `hour` o'clock UTC."""
    return MIDNIGHT + dt.timedelta(days=d, hours=hour)


class Shop:
    def __init__(self, db: patron.Database) -> None:
        self.db = db
        self.refs = 0

    def person(self, first: str, last: str = "Person") -> patron.Customer:
        return self.db.customers.create(first_name=first, last_name=last)

    def buy(self, customer, at: dt.datetime, total: int, currency: str = "GBP", status: str = "completed"):
        self.refs += 1
        return self.db.orders.record(customer=customer, source="pos", external_ref=f"R-{self.refs}",
                                     placed_at=at, currency=currency, total=total, status=status).record


@pytest.fixture
def db(clocked_db):
    return clocked_db


@pytest.fixture
def shop(db):
    return Shop(db)


# --- stats ------------------------------------------------------------------------------


def test_stats_totals_per_currency_without_cancelled_orders(db, shop, clock, db_path):
    ana = shop.person("Ana", "Silva")
    shop.buy(ana, T0 - dt.timedelta(days=30), 1000)
    shop.buy(ana, T0 - dt.timedelta(days=20), 2001)
    shop.buy(ana, T0 - dt.timedelta(days=10), 9999, status="cancelled")
    shop.buy(ana, T0 - dt.timedelta(days=5, hours=1), 500, "eur", status="created")
    s = db.analytics.stats(ana.number)
    assert isinstance(s, patron.CustomerStats)
    assert s.customer == ana.id
    assert s.orders == 3
    assert all(isinstance(t, patron.CurrencyTotals) for t in s.by_currency)
    assert [(t.currency, t.orders, t.spend, t.average_order_value) for t in s.by_currency] == [
        ("EUR", 1, 500, 500), ("GBP", 2, 3001, 1501)]  # 1500.5 rounds half away from zero
    assert s.first_order_at == T0 - dt.timedelta(days=30) and s.first_order_at.tzinfo is UTC
    assert s.last_order_at == T0 - dt.timedelta(days=5, hours=1)
    assert s.days_since_last_order == 5
    assert db.analytics.stats(ana) == s == db.analytics.stats(ana.id.upper())
    expected = {
        "customer": ana.id, "orders": 3,
        "by_currency": [{"currency": "EUR", "orders": 1, "spend": 500, "average_order_value": 500},
                        {"currency": "GBP", "orders": 2, "spend": 3001, "average_order_value": 1501}],
        "first_order_at": "2024-01-31T12:00:00.123456Z", "last_order_at": "2024-02-25T11:00:00.123456Z",
        "days_since_last_order": 5,
    }
    assert s.to_dict() == expected
    assert json.loads(s.to_json()) == expected
    assert s.by_currency[1].to_dict() == expected["by_currency"][1]
    assert repr(s) == f"<patron.CustomerStats {ana.id} orders=3 EUR=500 GBP=3001>"
    assert repr(s.by_currency[0]) == "CurrencyTotals(currency='EUR', orders=1, spend=500, average_order_value=500)"
    with pytest.raises(AttributeError):
        s.orders = 4
    with pytest.raises(TypeError):
        hash(s)
    clock.advance(days=2)
    assert db.analytics.stats(ana).days_since_last_order == 7
    # It is in the file.
    db.close()
    with patron.open(db_path) as again:
        assert again.analytics.stats(ana).by_currency == s.by_currency

    with patron.open(db_path) as again:
        bo = again.customers.create(first_name="Bo", last_name="Berg")
        none = again.analytics.stats(bo)
        assert (none.orders, none.by_currency, none.first_order_at, none.last_order_at,
                none.days_since_last_order) == (0, [], None, None, None)
        raises(patron.NotFoundError, "ref", again.analytics.stats, "99999")
        raises(patron.ValidationError, "ref", again.analytics.stats, "not a ref!")
        with pytest.raises(TypeError, match="ref"):
            again.analytics.stats(42)


# --- RFM --------------------------------------------------------------------------------

SEGMENTS = ["new_customer", "new_customer", "potential_loyalist", "potential_loyalist", "need_attention",
            "need_attention", "at_risk", "at_risk", "cannot_lose", "cannot_lose"]


def test_rfm_quintiles_and_segments(db, shop, clock, db_path):
    # Ten customers: customer i bought i+1 times for 1000*(i+1) each, the last
    # time i days (and an hour) ago, earlier ones 10 days apart.
    people = []
    for i in range(10):
        people.append(shop.person(f"P{i}"))
        for k in range(i + 1):
            shop.buy(people[-1], T0 - dt.timedelta(days=i + 10 * k, hours=1), 1000 * (i + 1))
    euro = shop.person("Euro", "Only")
    shop.buy(euro, T0 - dt.timedelta(days=1), 100, "EUR")

    assert db.analytics.recompute_rfm("gbp") == 10
    scores = []
    for i, p in enumerate(people):
        r = db.analytics.rfm(p.number, "GBP")
        assert isinstance(r, patron.RfmScore)
        assert (r.customer, r.currency, r.recency_days, r.frequency, r.monetary) == (
            p.id, "GBP", i, i + 1, 1000 * (i + 1) * (i + 1))
        assert (r.recency_score, r.frequency_score, r.monetary_score) == (
            1 + 5 * (9 - i) // 10, 1 + 5 * i // 10, 1 + 5 * i // 10), i
        assert r.segment == SEGMENTS[i]
        assert r.computed_at == T0
        scores.append(r)
    assert scores[9].to_dict() == {
        "customer": people[9].id, "currency": "GBP", "recency_days": 9, "frequency": 10, "monetary": 100000,
        "recency_score": 1, "frequency_score": 5, "monetary_score": 5, "segment": "cannot_lose",
        "computed_at": "2024-03-01T12:00:00.123456Z"}
    assert json.loads(scores[9].to_json()) == scores[9].to_dict()
    assert repr(scores[9]) == f"<patron.RfmScore {people[9].id} GBP R1 F5 M5 cannot_lose>"
    assert db.analytics.rfm(people[0], "gbp") == scores[0]
    # Not computed for EUR yet, nor for a customer without GBP orders.
    assert db.analytics.rfm(people[0], "EUR") is None
    assert db.analytics.rfm(euro, "GBP") is None

    assert db.analytics.rfm_segment("GBP", "cannot_lose") == [scores[8], scores[9]]
    assert db.analytics.rfm_segment("GBP", "at_risk", limit=1, offset=1) == [scores[7]]
    assert db.analytics.rfm_segment("GBP", "champions") == []
    assert db.analytics.rfm_segment("EUR", "cannot_lose") == []

    # Recomputing replaces the stored scores; `at` moves the computation time
    # and only orders before it count.
    clock.advance(hours=1)
    assert db.analytics.recompute_rfm("GBP", at=T0 - dt.timedelta(days=5)) == 9  # P0 had no order before then
    assert db.analytics.rfm(people[0], "GBP") is None
    earlier = db.analytics.rfm(people[9], "GBP")
    assert (earlier.computed_at, earlier.recency_days) == (T0 - dt.timedelta(days=5), 4)
    assert db.analytics.recompute_rfm("GBP") == 10
    assert len(db.analytics.rfm_segment("GBP", "cannot_lose")) == 2
    assert db.analytics.rfm(people[0], "GBP").computed_at == clock.now
    assert db.analytics.recompute_rfm("EUR", None) == 1
    alone = db.analytics.rfm(euro, "EUR")  # scored by mid-rank, a lone customer sits in the middle
    assert (alone.recency_days, alone.recency_score, alone.frequency_score, alone.segment) == (1, 3, 3, "need_attention")

    before = db.analytics.rfm_segment("GBP", "need_attention")
    raises(patron.ValidationError, "currency", db.analytics.recompute_rfm, "XYZ")
    raises(patron.ValidationError, "currency", db.analytics.recompute_rfm, "pounds")
    raises(patron.ValidationError, "currency", db.analytics.rfm, people[0], "XYZ")
    raises(patron.NotFoundError, "ref", db.analytics.rfm, "99999", "GBP")
    raises(patron.ValidationError, "segment", db.analytics.rfm_segment, "GBP", "lost")
    raises(patron.ValidationError, "segment", db.analytics.rfm_segment, "GBP", "At_Risk")
    raises(patron.ValidationError, "currency", db.analytics.rfm_segment, "XYZ", "at_risk")
    raises(patron.ValidationError, "limit", db.analytics.rfm_segment, "GBP", "at_risk", limit=0)
    raises(patron.ValidationError, "limit", db.analytics.rfm_segment, "GBP", "at_risk", limit=1001)
    raises(patron.ValidationError, "offset", db.analytics.rfm_segment, "GBP", "at_risk", offset=-1)
    for call, name in [(lambda: db.analytics.recompute_rfm(826), "currency"),
                       (lambda: db.analytics.recompute_rfm("GBP", at="2024-01-01"), "at"),
                       (lambda: db.analytics.rfm_segment("GBP", 3), "segment"),
                       (lambda: db.analytics.rfm_segment("GBP", "at_risk", limit="5"), "limit")]:
        with pytest.raises(TypeError, match=name):
            call()
    assert db.analytics.rfm_segment("GBP", "need_attention") == before
    # It is in the file.
    db.close()
    with patron.open(db_path) as again:
        assert again.analytics.rfm_segment("GBP", "need_attention") == before


# --- the model from the database --------------------------------------------------------


def test_summaries_follow_the_conventions(db, shop):
    ana = shop.person("Ana", "Silva")
    shop.buy(ana, day(-70, 9), 1000)  # first occasion
    shop.buy(ana, day(-70, 18), 500)  # same day: same occasion
    shop.buy(ana, day(-42), 3000)  # repeat occasion 1
    shop.buy(ana, day(-14, 8), 1000)  # repeat occasion 2 (two orders)
    shop.buy(ana, day(-14, 20), 2000)
    shop.buy(ana, day(-7), 9999, status="cancelled")  # does not count
    shop.buy(ana, day(-1), 5000, "EUR")  # other currency
    bo = shop.person("Bo", "Berg")
    shop.buy(bo, day(-21), 1500)
    shop.person("No", "Orders")

    rows = db.analytics.summaries("gbp", cutoff=day(0, 0))
    assert rows == [(ana.id, clv.Summary(2, 8, 10, 3000)), (bo.id, clv.Summary(0, 0, 3, 0))]
    customer, s = rows[0]
    assert isinstance(customer, str) and isinstance(s, clv.Summary)
    assert (s.frequency, s.recency, s.age, s.monetary) == (2.0, 8.0, 10.0, 3000.0)  # weeks; (3000 + 3000) / 2
    assert s.to_dict() == {"frequency": 2.0, "recency": 8.0, "age": 10.0, "monetary": 3000.0}
    assert repr(s) == "Summary(frequency=2.0, recency=8.0, age=10.0, monetary=3000.0)"
    assert db.analytics.summaries("GBP") == rows  # defaults: now (T0 is on day 0), weeks
    assert db.analytics.summaries("GBP", cutoff=day(0, 0), unit="days")[0][1] == clv.Summary(2, 56, 70, 3000)
    # The cut-off excludes later orders, and customers without earlier ones.
    assert db.analytics.summaries("GBP", cutoff=day(-30, 0)) == [(ana.id, clv.Summary(1, 4, 40 / 7, 3000))]
    assert db.analytics.summaries("USD") == []

    raises(patron.ValidationError, "unit", db.analytics.summaries, "GBP", unit="months")
    raises(patron.ValidationError, "unit", db.analytics.summaries, "GBP", unit="Weeks")
    raises(patron.ValidationError, "currency", db.analytics.summaries, "XYZ")
    raises(patron.ValidationError, "currency", db.analytics.summaries, "")
    with pytest.raises(TypeError, match="cutoff"):
        db.analytics.summaries("GBP", cutoff="2024-01-01")
    with pytest.raises(TypeError, match="unit"):
        db.analytics.summaries("GBP", unit=7)


def simulate(shop: Shop) -> list[patron.Customer]:
    """A base drawn from the BG/NBD story itself (fixed seed; the generator of
    tests/cpp/test_analytics.cpp): each customer buys at a gamma-distributed
    rate, may drop out after each purchase, and spends per Gamma-Gamma."""
    rng = random.Random(42)
    people = []
    for i in range(60):
        c = shop.person(f"C{i}", "Fit")
        people.append(c)
        nu = rng.gammavariate(4.0, 1.0 / 15.0)  # Gamma-Gamma: nu ~ Gamma(q, gamma)
        lam = rng.gammavariate(1.5, 1.0 / 40.0)  # purchases per day
        x = rng.gammavariate(1.0, 1.0)
        dropout = x / (x + rng.gammavariate(4.0, 1.0))

        def spend() -> int:
            return int(100 * rng.gammavariate(6.0, 1.0 / nu)) + 1

        t = -364.0 + i
        shop.buy(c, day(int(t)), spend())
        while rng.random() >= dropout:
            t += rng.expovariate(lam)
            if t >= -1.0:
                break
            shop.buy(c, day(int(t), 8), spend())
    return people


def test_fit_store_and_predict(db, shop, clock, db_path):
    people = simulate(shop)
    nobody = shop.person("No", "Orders")
    options = dict(at=day(0, 0), horizon=dt.timedelta(days=364), period=dt.timedelta(days=28),
                   discount_rate=0.01, coverage=0.8)
    assert db.analytics.latest_fit("GBP") is None
    err = raises(patron.PreconditionError, "currency", db.analytics.predict, "00012", "GBP")
    assert "no model" in str(err)
    raises(patron.PreconditionError, "currency", db.analytics.predict_all, "GBP")

    clock.advance(hours=1)
    fit = db.analytics.fit_model("gbp", cutoff=day(0, 0))
    assert isinstance(fit, patron.ModelFit)
    assert (fit.id, fit.currency, fit.unit, fit.customers) == (1, "GBP", "weeks", 60)
    assert fit.cutoff == day(0, 0) and fit.fitted_at == clock.now
    # The stored fit is the model's own fit of the same summaries.
    rows = db.analytics.summaries("GBP", cutoff=day(0, 0))
    assert [c for c, _ in rows] == [p.id for p in people]
    summaries = [s for _, s in rows]
    assert isinstance(fit.bg_nbd, clv.BgNbd) and isinstance(fit.gamma_gamma, clv.GammaGamma)
    assert fit.bg_nbd == clv.fit_bg_nbd(summaries)
    assert fit.gamma_gamma == clv.fit_gamma_gamma([s for s in summaries if s.frequency > 0])
    assert fit.bg_nbd.log_likelihood < 0 and fit.gamma_gamma.q > 1
    assert db.analytics.latest_fit("gbp") == fit and hash(db.analytics.latest_fit("GBP")) == hash(fit)
    assert db.analytics.latest_fit("EUR") is None
    d = fit.to_dict()
    assert d["bg_nbd"] == fit.bg_nbd.to_dict() and d["gamma_gamma"] == fit.gamma_gamma.to_dict()
    assert (d["id"], d["currency"], d["unit"], d["customers"]) == (1, "GBP", "weeks", 60)
    assert d["cutoff"] == "2024-03-01T00:00:00.000000Z" and json.loads(fit.to_json()) == d
    assert repr(fit).startswith("<patron.ModelFit 1 GBP unit=weeks cutoff=2024-03-01T00:00:00.000000Z "
                                "customers=60 BgNbd(r=")

    # A prediction is the model's functions on the customer's summary at `at`.
    p = db.analytics.predict("00012", "GBP", **options)
    assert isinstance(p, patron.Prediction)
    assert p.customer == people[11].id
    s = p.summary
    assert s == summaries[11]
    bg, gg = fit.bg_nbd, fit.gamma_gamma
    assert p.probability_alive == pytest.approx(clv.probability_alive(bg, s), rel=1e-9)
    assert 0 <= p.probability_alive <= 1
    assert p.expected_orders == pytest.approx(clv.expected_orders(bg, s, 52.0), rel=1e-9)
    assert p.expected_order_value == pytest.approx(clv.expected_order_value(gg, s), rel=1e-9)
    assert p.lifetime_value == pytest.approx(clv.customer_lifetime_value(bg, gg, s, 13, 4.0, 0.01), rel=1e-9)
    low, high = clv.next_order_interval(bg, s, 0.8)
    micros = (p.next_order_from - day(0, 0)) // dt.timedelta(microseconds=1)
    assert abs(micros - int(low * 7 * 86400e6)) <= 1
    micros = (p.next_order_until - day(0, 0)) // dt.timedelta(microseconds=1)
    assert abs(micros - int(high * 7 * 86400e6)) <= 1
    assert p.next_order_until > p.next_order_from >= day(0, 0)
    assert json.loads(p.to_json()) == p.to_dict()
    assert p.to_dict()["summary"] == s.to_dict()
    assert repr(p).startswith(f"<patron.Prediction {people[11].id} probability_alive=")

    every = db.analytics.predict_all("gbp", **options)
    assert len(every) == 60
    assert [q.customer for q in every] == [c.id for c in people]
    for q, one in zip(every, (db.analytics.predict(c, "GBP", **options) for c in people)):
        assert q.summary == one.summary
        assert q.probability_alive == pytest.approx(one.probability_alive, rel=1e-9)
        assert q.lifetime_value == pytest.approx(one.lifetime_value, rel=1e-9)
        assert (q.next_order_from, q.next_order_until) == (one.next_order_from, one.next_order_until)
        assert 0 <= q.probability_alive <= 1
        if q.summary.frequency == 0:
            assert q.probability_alive == 1
    # Scoring in bulk gives the same numbers.
    scores = clv.score(bg, gg, summaries, horizon=52.0, periods=13, period_length=4.0, discount_rate=0.01)
    assert [sc.lifetime_value for sc in scores] == pytest.approx([q.lifetime_value for q in every], rel=1e-12)
    # Defaults: at = now, 365 days, 30-day periods, 1% a period, 80% window.
    assert db.analytics.predict("00012", "GBP") == db.analytics.predict(
        "00012", "GBP", at=clock.now, horizon=dt.timedelta(days=365), period=dt.timedelta(days=30),
        discount_rate=0.01, coverage=0.8)

    # It is in the file.
    db.close()
    with patron.open(db_path, clock=clock) as again:
        assert again.analytics.latest_fit("GBP") == fit
        assert again.analytics.predict("00012", "GBP", **options) == p
        check_prediction_refusals(again, nobody)
        # Fits that cannot be made store nothing.
        raises(patron.PreconditionError, "currency", again.analytics.fit_model, "EUR")  # no orders
        raises(patron.PreconditionError, "currency", again.analytics.fit_model, "GBP", cutoff=day(-400))
        raises(patron.ValidationError, "unit", again.analytics.fit_model, "GBP", unit="months")
        raises(patron.ValidationError, "currency", again.analytics.fit_model, "XYZ")
        # One customer, no repeat purchase: the likelihood has no maximum.
        again.orders.record(customer=nobody, source="web", external_ref="USD-1", placed_at=day(-3), currency="USD",
                            total=100)
        err = raises(patron.PreconditionError, "", again.analytics.fit_model, "USD")
        assert "repeat" in str(err)
        assert again.analytics.latest_fit("USD") is None
        assert again.analytics.latest_fit("GBP") == fit
        # Refitting on demand: the new fit is the latest, in its own unit.
        clock.advance(hours=1)
        daily = again.analytics.fit_model("GBP", cutoff=day(0, 0), unit="days")
        assert (daily.id, daily.unit, daily.fitted_at) == (2, "days", clock.now)
        assert again.analytics.latest_fit("GBP") == daily
        assert daily.bg_nbd.r == pytest.approx(bg.r, rel=1e-4)
        assert daily.bg_nbd.alpha == pytest.approx(7 * bg.alpha, rel=1e-4)
        in_days = again.analytics.predict("00012", "GBP", **options)
        assert in_days.summary.age == 7 * p.summary.age
        assert in_days.probability_alive == pytest.approx(p.probability_alive, rel=1e-4)


def check_prediction_refusals(db, nobody):
    a = db.analytics
    raises(patron.PreconditionError, "ref", a.predict, nobody, "GBP")
    raises(patron.NotFoundError, "ref", a.predict, "99999", "GBP")
    raises(patron.PreconditionError, "currency", a.predict, "00012", "EUR")
    raises(patron.PreconditionError, "currency", a.predict_all, "EUR")
    raises(patron.ValidationError, "currency", a.predict, "00012", "XYZ")
    raises(patron.ValidationError, "coverage", a.predict, "00012", "GBP", coverage=1.0)
    raises(patron.ValidationError, "coverage", a.predict, "00012", "GBP", coverage=0)
    raises(patron.ValidationError, "coverage", a.predict_all, "GBP", coverage=float("nan"))
    raises(patron.ValidationError, "discount_rate", a.predict, "00012", "GBP", discount_rate=-0.01)
    raises(patron.ValidationError, "horizon", a.predict, "00012", "GBP", horizon=dt.timedelta(days=-1))
    raises(patron.ValidationError, "horizon", a.predict_all, "GBP", horizon=dt.timedelta(hours=36))
    raises(patron.ValidationError, "period", a.predict, "00012", "GBP", period=dt.timedelta(0))
    for kwargs, name in [(dict(horizon=365), "horizon"), (dict(period=30.0), "period"),
                         (dict(discount_rate="1%"), "discount_rate"), (dict(coverage=True), "coverage"),
                         (dict(at="2024-03-01"), "at")]:
        with pytest.raises(TypeError, match=name):
            a.predict("00012", "GBP", **kwargs)
    with pytest.raises(TypeError):
        a.predict("00012", "GBP", None)  # options are keyword-only
    # Nothing is expected within no time, and the window widens with coverage.
    none = a.predict("00012", "GBP", at=day(0, 0), horizon=dt.timedelta(0))
    assert (none.expected_orders, none.lifetime_value) == (0, 0)
    narrow = a.predict("00012", "GBP", at=day(0, 0))
    wide = a.predict("00012", "GBP", at=day(0, 0), coverage=0.95)
    assert wide.next_order_from < narrow.next_order_from < narrow.next_order_until < wide.next_order_until


def test_prediction_option_limits_name_the_option(db, shop):
    simulate(shop)
    db.analytics.fit_model("GBP", cutoff=day(0, 0))
    # 10,000,000 one-day periods: more than the 100,000 the model sums.
    raises(patron.ValidationError, "horizon", db.analytics.predict, "00012", "GBP",
           horizon=dt.timedelta(days=10_000_000), period=dt.timedelta(days=1))
    raises(patron.ValidationError, "discount_rate", db.analytics.predict, "00012", "GBP", discount_rate=math.inf)


def test_concurrent_predictions_from_threads(db, shop):
    simulate(shop)
    db.analytics.fit_model("GBP", cutoff=day(0, 0))
    expected = db.analytics.predict_all("GBP", at=day(0, 0))
    results: list[object] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(5):
                results.append(db.analytics.predict_all("GBP", at=day(0, 0)))
                db.analytics.recompute_rfm("GBP")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert len(results) == 20 and all(r == expected for r in results)


# --- patron.clv: the pure model -----------------------------------------------------------


def cdnow() -> list[tuple[int, clv.Summary]]:
    with open(SOURCE_DIR / "tests" / "data" / "cdnow" / "summary.csv", newline="") as f:
        return [(int(r["ID"]), clv.Summary(float(r["x"]), float(r["t_x"]), float(r["T"]), float(r["zbar"])))
                for r in csv.DictReader(f)]


# From tests/data/cdnow/README.md: ID, p_alive, expected orders in the next 39
# weeks, expected order value, CLV over 12 months (4.345 weeks) at 1% a month.
CDNOW_ROWS = [
    (1, 0.726609, 1.225910, 24.658616, 36.278496),
    (2, 0.212227, 0.203251, 18.911480, 4.637466),
    (3, 1.000000, 0.194781, 35.171002, 8.344093),
    (18, 0.310915, 0.297764, 17.674697, 6.349622),
    (42, 1.000000, 0.195965, 35.171002, 8.393664),
    (100, 0.646988, 0.626795, 28.951652, 21.886299),
    (1516, 0.968920, 20.750570, 39.890277, 972.125563),
    (2357, 1.000000, 0.258978, 35.171002, 11.017136),
]
CDNOW_BG = clv.BgNbd(0.242593, 4.413532, 0.792886, 2.425752)
CDNOW_GG = clv.GammaGamma(6.248802, 3.744588, 15.447748)


def check_cdnow_rows(bg, gg, rel):
    by_id = dict(cdnow())
    for cid, alive, orders, value, clv_12 in CDNOW_ROWS:
        s = by_id[cid]
        assert clv.probability_alive(bg, s) == pytest.approx(alive, rel=rel), cid
        assert clv.expected_orders(bg, s, 39) == pytest.approx(orders, rel=rel), cid
        assert clv.expected_order_value(gg, s) == pytest.approx(value, rel=rel), cid
        assert clv.customer_lifetime_value(bg, gg, s, 12, 4.345, 0.01) == pytest.approx(clv_12, rel=rel), cid


def test_clv_reproduces_the_cdnow_reference_fit():
    rows = [s for _, s in cdnow()]
    assert len(rows) == 2357
    bg = clv.fit_bg_nbd(rows)
    assert isinstance(bg, clv.BgNbd)
    assert bg.r == pytest.approx(0.2426, rel=0.005)
    assert bg.alpha == pytest.approx(4.4135, rel=0.005)
    assert bg.a == pytest.approx(0.7929, rel=0.005)
    assert bg.b == pytest.approx(2.4258, rel=0.005)
    assert bg.log_likelihood == pytest.approx(-9582.4, abs=0.05)
    gg = clv.fit_gamma_gamma(rows)  # the 946 customers with x > 0
    assert sum(1 for s in rows if s.frequency > 0) == 946
    assert gg.p == pytest.approx(6.2488, rel=0.005)
    assert gg.q == pytest.approx(3.7446, rel=0.005)
    assert gg.gamma == pytest.approx(15.4477, rel=0.005)
    check_cdnow_rows(bg, gg, 0.005)
    # Tuples work as well as Summary objects, and the fit is deterministic.
    assert clv.fit_bg_nbd([(s.frequency, s.recency, s.age) for s in rows]) == bg
    assert clv.fit_gamma_gamma((s.frequency, s.recency, s.age, s.monetary) for s in rows) == gg
    assert clv.fit_bg_nbd(rows, threads=1) == bg
    loose = clv.fit_bg_nbd(rows, tolerance=1e-6, max_evaluations=500)
    assert loose.r == pytest.approx(bg.r, rel=1e-3)


def test_clv_per_customer_figures_under_the_published_parameters():
    check_cdnow_rows(CDNOW_BG, CDNOW_GG, 1e-5)
    rows = [s for _, s in cdnow()]
    scores = clv.score(CDNOW_BG, CDNOW_GG, rows, horizon=39, periods=12, period_length=4.345, discount_rate=0.01)
    assert len(scores) == 2357 and isinstance(scores[0], clv.Score)
    assert sum(sc.expected_orders for sc in scores) == pytest.approx(1653.4233, rel=1e-6)
    assert sum(sc.lifetime_value for sc in scores) == pytest.approx(71509.8993, rel=1e-6)
    first = scores[0]
    assert first.probability_alive == pytest.approx(0.726609, rel=1e-5)
    assert first.next_order == clv.next_order_interval(CDNOW_BG, rows[0], 0.8)
    low, high = first.next_order
    assert 0 < low < high


def test_clv_values():
    s = clv.Summary(2, 30.43, 38.86, 22.35)
    assert s == clv.Summary(frequency=2, recency=30.43, age=38.86, monetary=22.35)
    assert s != clv.Summary(2, 30.43, 38.86) and hash(s) == hash(clv.Summary(2.0, 30.43, 38.86, 22.35))
    assert clv.Summary() == clv.Summary(0, 0, 0, 0)
    assert CDNOW_BG == clv.BgNbd(r=0.242593, alpha=4.413532, a=0.792886, b=2.425752, log_likelihood=0)
    assert CDNOW_BG.to_dict() == {"r": 0.242593, "alpha": 4.413532, "a": 0.792886, "b": 2.425752,
                                  "log_likelihood": 0.0}
    assert repr(CDNOW_GG) == "GammaGamma(p=6.248802, q=3.744588, gamma=15.447748, log_likelihood=0.0)"
    assert repr(CDNOW_BG) == "BgNbd(r=0.242593, alpha=4.413532, a=0.792886, b=2.425752, log_likelihood=0.0)"
    assert len({CDNOW_BG, clv.BgNbd(0.242593, 4.413532, 0.792886, 2.425752)}) == 1
    interval = clv.next_order_interval(CDNOW_BG, s)
    assert isinstance(interval, clv.Interval) and repr(interval).startswith("Interval(low=")
    with pytest.raises(AttributeError):
        s.frequency = 3
    for cls in (clv.Summary, clv.BgNbd, clv.GammaGamma, clv.Interval, clv.Score):
        assert cls.__module__ == "patron.clv"
    assert patron.clv is clv and "fit_bg_nbd" in clv.__all__
    # Numbers of any kind with __float__ or __index__.
    import fractions
    assert clv.Summary(fractions.Fraction(1), 2, 3.5) == clv.Summary(1, 2, 3.5)


def test_clv_refusals():
    good = (2, 30.43, 38.86, 22.35)
    raises(patron.ValidationError, "summaries[1].recency", clv.fit_bg_nbd, [good, (1, 40, 38.86, 5)])
    raises(patron.ValidationError, "summaries[0].frequency", clv.fit_bg_nbd, [(1.5, 1, 2)])
    raises(patron.ValidationError, "summaries", clv.fit_bg_nbd, [])
    err = raises(patron.PreconditionError, "", clv.fit_bg_nbd, [(0, 0, 10), (0, 0, 5)])  # nobody came back
    assert "repeat" in str(err)
    raises(patron.PreconditionError, "", clv.fit_gamma_gamma, [good, (0, 0, 5)])  # one spender
    raises(patron.ValidationError, "tolerance", clv.fit_bg_nbd, [good], tolerance=2.0)
    raises(patron.ValidationError, "max_evaluations", clv.fit_bg_nbd, [good], max_evaluations=1)
    raises(patron.ValidationError, "threads", clv.fit_bg_nbd, [good], threads=-1)
    raises(patron.ValidationError, "summary.frequency", clv.probability_alive, CDNOW_BG, (-1, 0, 3))
    raises(patron.ValidationError, "summary.recency", clv.probability_alive, CDNOW_BG, clv.Summary(0, 1, 3))
    raises(patron.ValidationError, "t", clv.expected_orders, CDNOW_BG, good, -1)
    raises(patron.ValidationError, "bg_nbd.alpha", clv.probability_alive, clv.BgNbd(1, 0, 1, 1), good)
    raises(patron.ValidationError, "gamma_gamma.q", clv.expected_order_value, clv.GammaGamma(6, 1, 15), good)
    raises(patron.ValidationError, "coverage", clv.next_order_interval, CDNOW_BG, good, 1.0)
    raises(patron.ValidationError, "periods", clv.customer_lifetime_value, CDNOW_BG, CDNOW_GG, good, 100_001, 4, 0)
    raises(patron.ValidationError, "discount_rate", clv.customer_lifetime_value, CDNOW_BG, CDNOW_GG, good, 12, 4, -1)
    raises(patron.ValidationError, "period_length", clv.score, CDNOW_BG, CDNOW_GG, [good], periods=1,
           period_length=0)
    raises(patron.ValidationError, "summaries[1].age", clv.score, CDNOW_BG, CDNOW_GG, [good, (0, 0, -1)])
    for call, name in [(lambda: clv.fit_bg_nbd("2,1,3"), "summaries"),
                       (lambda: clv.fit_bg_nbd([good, "x"]), r"summaries\[1\]"),
                       (lambda: clv.fit_bg_nbd([(1, 2)]), r"summaries\[0\]"),
                       (lambda: clv.fit_bg_nbd([(1, "2", 3)]), r"summaries\[0\].recency"),
                       (lambda: clv.fit_bg_nbd([(True, 2, 3)]), r"summaries\[0\].frequency"),
                       (lambda: clv.fit_bg_nbd(clv.Summary(1, 2, 3)), "summaries"),
                       (lambda: clv.probability_alive(CDNOW_GG, good), "model"),
                       (lambda: clv.probability_alive(CDNOW_BG, {"frequency": 1}), "summary"),
                       (lambda: clv.expected_orders(CDNOW_BG, good, "39"), "t"),
                       (lambda: clv.customer_lifetime_value(CDNOW_BG, CDNOW_BG, good, 1, 1, 0), "gamma_gamma"),
                       (lambda: clv.customer_lifetime_value(CDNOW_BG, CDNOW_GG, good, 1.5, 1, 0), "periods"),
                       (lambda: clv.Summary("1"), "frequency")]:
        with pytest.raises(TypeError, match=name):
            call()


def test_clv_fitting_releases_the_gil():
    # Many distinct summaries make a fit that takes a while; another thread
    # keeps running meanwhile only if the GIL is released.
    rng = random.Random(7)
    rows = [clv.Summary(s.frequency, s.recency, s.age + rng.uniform(0, 0.01), s.monetary)
            for _ in range(50) for _, s in cdnow()]
    ticks = 0
    done = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0)

    counter = threading.Thread(target=count)
    counter.start()
    try:
        time.sleep(0.01)
        before = ticks
        start = time.perf_counter()
        clv.fit_bg_nbd(rows, threads=1)
        clv.fit_gamma_gamma(rows, threads=1)
        elapsed = time.perf_counter() - start
        during = ticks - before
    finally:
        done.set()
        counter.join()
    if elapsed <= 0.02:
        pytest.skip(f"the fit took {elapsed:.3f} s: too quick to tell")
    assert during > 10, f"only {during} ticks in {elapsed:.3f} s: the GIL was held"
