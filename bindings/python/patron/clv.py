"""patron.clv: the predictive customer model, on any purchase summaries.

BG/NBD for how often a customer buys and when they drop out (Fader, Hardie &
Lee 2005, "Counting your customers the easy way") and Gamma-Gamma for how
much they spend per order (Fader & Hardie 2013), fitted by maximum
likelihood, and what follows from them per customer: probability alive,
expected orders over a horizon, expected order value, discounted lifetime
value and a central interval for the time to the next order::

    from patron import clv

    rows = [(2, 30.43, 38.86, 22.35), (1, 1.71, 38.86, 11.77), (0, 0, 38.86, 0), ...]
    bg = clv.fit_bg_nbd(rows)           # clv.BgNbd(r=..., alpha=..., a=..., b=...)
    gg = clv.fit_gamma_gamma(rows)      # on the rows with frequency > 0
    clv.probability_alive(bg, rows[0])
    clv.customer_lifetime_value(bg, gg, rows[0], periods=12, period_length=4.345, discount_rate=0.01)

A summary is a :class:`Summary` or a ``(frequency, recency, age[, monetary])``
tuple: ``frequency`` counts repeat purchase occasions (the first is not
counted), ``recency`` runs from the first occasion to the last one, ``age``
from the first occasion to the end of calibration, all in one time unit
(days, weeks) that the horizons and period lengths share; ``monetary`` is the
mean spend of the repeat occasions. ``db.analytics.summaries()`` gives them
for the customers in a database; ``db.analytics.fit_model()`` fits and stores
the model there.

Everything here is a pure function: thread-safe and deterministic; the GIL is
released while fitting and scoring. Bad input raises
:class:`patron.ValidationError` naming the field (``"summaries[12].recency"``,
``"summary.frequency"``, ``"t"``, ``"bg_nbd.alpha"`` for a model parameter);
a fit with no maximum (nobody ever came back) raises
:class:`patron.PreconditionError`.
"""

from __future__ import annotations

from ._patron import (
    BgNbd,
    GammaGamma,
    Interval,
    Score,
    Summary,
    customer_lifetime_value,
    expected_order_value,
    expected_orders,
    fit_bg_nbd,
    fit_gamma_gamma,
    next_order_interval,
    probability_alive,
    score,
)

__all__ = [
    "Summary",
    "BgNbd",
    "GammaGamma",
    "Interval",
    "Score",
    "fit_bg_nbd",
    "fit_gamma_gamma",
    "probability_alive",
    "expected_orders",
    "expected_order_value",
    "customer_lifetime_value",
    "next_order_interval",
    "score",
]

for _obj in (BgNbd, GammaGamma, Interval, Score, Summary):
    _obj.__module__ = __name__
del _obj
