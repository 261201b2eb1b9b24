"""Duplicate detection from Python (db.duplicates): candidates before a
customer is created and for a profile, explanations that add up, scans with
pages and clusters, dismissals and labels, training stored with the file,
and each refusal with its exception class and field. Mirrors
tests/cpp/test_duplicates.cpp and tests/capi/test_capi_duplicates.cpp."""

from __future__ import annotations

import datetime as dt
import math

import pytest

import patron
from helpers import MOBILE, raises

FIELDS = ["first_name", "last_name", "email", "phone", "date_of_birth", "postcode", "street", "city", "number"]


@pytest.fixture
def twin(db, ana):
    """Ana Silva again, from a booking site: a typo and another email."""
    return db.customers.create(first_name="Ana", last_name="Silvaa", email="ana@booking.example", number="ANA-02")


def test_similar_to_explains_the_candidate(db, ana, bo):
    db.customers.update(ana, date_of_birth=dt.date(1990, 4, 12))
    found = db.duplicates.similar_to(first_name="ana", last_name="SLIVA", email="ana@mail.example",
                                     date_of_birth=dt.date(1990, 4, 12), phone=MOBILE)
    assert len(found) == 1
    c = found[0]
    assert isinstance(c, patron.DuplicateCandidate)
    assert (c.customer, c.number, c.first_name, c.last_name) == (ana.id, "ANA-01", "Ana", "Silva")
    assert [f.field for f in c.fields] == FIELDS
    levels = {f.field: f.level for f in c.fields}
    assert levels == {"first_name": "exact", "last_name": "close", "email": "same_local_part", "phone": "missing",
                      "date_of_birth": "exact", "postcode": "missing", "street": "missing", "city": "missing",
                      "number": "missing"}
    assert math.isclose(c.prior_weight + sum(f.weight for f in c.fields), c.weight, abs_tol=1e-9)
    assert math.isclose(c.probability, 1 / (1 + 2 ** -c.weight))
    assert c.probability > 0.99
    for f in c.fields:
        if f.level != "missing":
            assert math.isclose(f.weight, math.log2(f.m / f.u))
        assert f.term_frequency is None
    assert db.duplicates.similar_to(first_name="Zeno", last_name="Quartermain") == []
    assert len(db.duplicates.similar_to(last_name="Silva", min_probability=0.0, limit=1)) == 1


def test_of_dismiss_label_and_merge(db, ana, twin, bo):
    found = db.duplicates.of(ana, min_probability=0.1)
    assert [c.customer for c in found] == [twin.id]
    db.duplicates.dismiss("ANA-01", twin, by="desk-jane")
    assert db.duplicates.of(ana, min_probability=0.1) == []
    latest = db.activity.timeline(twin).events[0]
    assert (latest.action, latest.actor) == ("customer.duplicate_dismissed", "desk-jane")
    db.duplicates.label(twin, ana, same=True, by="manager")
    assert len(db.duplicates.of("ANA-01", min_probability=0.1)) == 1
    db.customers.merge(ana, twin, by="manager")
    assert db.duplicates.of(ana, min_probability=0.0) == []
    assert db.duplicates.of("ANA-02", min_probability=0.0) == []  # leads to Ana


def test_scan_pages_and_clusters(db):
    people = [("Pedro", "Alvarez"), ("Pedro", "Alvares"), ("Pedro", "Alvarez"), ("Lena", "Fischer"),
              ("Lena", "Fischer"), ("Tom", "Baker")]
    made = [db.customers.create(first_name=f, last_name=l, date_of_birth=dt.date(1970, 1, 1) if f == "Pedro"
                                else dt.date(1990, 2, 2)) for f, l in people]
    result = db.duplicates.scan(min_probability=0.5)
    assert isinstance(result, patron.ScanResult)
    assert (result.customers, result.total_pairs, len(result.pairs)) == (6, 4, 4)
    weights = [p.weight for p in result.pairs]
    assert weights == sorted(weights, reverse=True)
    assert all(p.a < p.b for p in result.pairs)
    assert result.clusters == [sorted(c.id for c in made[:3]), sorted(c.id for c in made[3:5])]
    page = db.duplicates.scan(min_probability=0.5, offset=1, limit=2)
    assert page.pairs == result.pairs[1:3]
    assert page.total_pairs == 4


def test_train_stores_the_model(db_path, db, ana, twin, bo):
    default = db.duplicates.model()
    assert isinstance(default, patron.MatchModel)
    assert default.trained_at is None
    assert default.prior == 1e-4
    assert default.parameters["first_name"]["exact"] == (0.8, 0.01)
    assert set(default.parameters) == set(FIELDS)
    trained = db.duplicates.train(by="nightly", random_pairs=1000, seed=7)
    assert trained.trained_by == "nightly"
    assert trained.trained_at is not None
    assert (trained.profiles, trained.random_pairs, trained.labelled_pairs) == (3, 3, 0)
    assert db.duplicates.model() == trained
    db.close()
    with patron.open(str(db_path)) as again:
        assert again.duplicates.model() == trained


def test_refusals(db, ana, bo):
    d = db.duplicates
    raises(patron.ValidationError, "probe", d.similar_to, title="Dr")
    raises(patron.ValidationError, "email", d.similar_to, email="ana@")
    raises(patron.ValidationError, "min_probability", d.similar_to, last_name="Silva", min_probability=1.5)
    raises(patron.ValidationError, "limit", d.of, ana, limit=0)
    raises(patron.ValidationError, "limit", d.of, ana, limit=-1)
    raises(patron.NotFoundError, "ref", d.of, "NOBODY-1")
    raises(patron.ValidationError, "offset", d.scan, offset=-1)
    raises(patron.ValidationError, "limit", d.scan, limit=100001)
    raises(patron.ValidationError, "b", d.dismiss, ana, "ANA-01", by="jane")
    raises(patron.NotFoundError, "b", d.dismiss, ana, "NOBODY-1", by="jane")
    raises(patron.ValidationError, "by", d.dismiss, ana, bo, by=" ")
    raises(patron.ValidationError, "by", d.train, by="")
    raises(patron.ValidationError, "random_pairs", d.train, by="x", random_pairs=10)
    raises(patron.ValidationError, "max_iterations", d.train, by="x", max_iterations=0)
    raises(patron.ValidationError, "max_iterations", d.train, by="x", max_iterations=-4294967286)
    assert d.model().trained_at is None
    with pytest.raises(TypeError):
        d.scan(0.5)  # keyword-only
    with pytest.raises(TypeError):
        d.dismiss(ana, bo, "jane")


def test_classes_are_exported(db):
    for name in ("Duplicates", "DuplicateCandidate", "DuplicatePair", "FieldComparison", "ScanResult", "MatchModel"):
        assert name in patron.__all__
        assert getattr(patron, name).__module__ == "patron"
    assert isinstance(db.duplicates, patron.Duplicates)
    assert db.duplicates is db.duplicates
    assert repr(db.duplicates).startswith("<patron.Duplicates of ")
