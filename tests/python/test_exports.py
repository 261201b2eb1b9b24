"""Exports from Python (db.exports): JSON Lines and CSV files, the round trip
through db.imports into an empty database, selections and fields, a stop
from progress, and each refusal with its exception class and field.
Mirrors tests/cpp/test_exports.cpp and tests/capi/test_capi_exports.cpp."""

from __future__ import annotations

import datetime as dt
import json
import pathlib

import pytest

import patron
from helpers import MOBILE, raises


def fill(db: patron.Database) -> None:
    db.custom_fields.define("likes", "Likes", "multi_select", options=["spa", "golf"])
    db.customers.create(number="ANA-01", first_name="Ana", last_name="Silva", email="ana@example.com",
                        phone=MOBILE, tags=["vip", "a, b"], custom_fields={"likes": ["spa", "golf"]},
                        date_of_birth=dt.date(1985, 3, 14))
    db.customers.create(number="BO-002", first_name="Bo", last_name="Berg")


def test_json_lines_and_the_round_trip(db, tmp_path):
    fill(db)
    first = tmp_path / "first.jsonl"
    report = db.exports.customers(first)
    assert isinstance(report, patron.ExportReport)
    assert (report.format, report.customers, report.completed, report.columns) == ("jsonl", 2, True, [])
    assert report.bytes == first.stat().st_size
    ana = json.loads(first.read_text(encoding="utf-8").splitlines()[0])
    assert ana["number"] == "ANA-01"
    assert ana["tags"] == ["vip", "a, b"]
    assert ana["custom_fields"] == {"likes": ["spa", "golf"]}
    assert "presence" not in ana

    with patron.open(tmp_path / "fresh.db", default_region="GB") as fresh:
        fresh.custom_fields.define("likes", "Likes", "multi_select", options=["spa", "golf"])
        imported = fresh.imports.customers(first, duplicates="off")
        assert (imported.created, imported.rejected, imported.unknown_columns) == (2, 0, [])
        second = tmp_path / "second.jsonl"
        fresh.exports.customers(second)
        assert second.read_bytes() == first.read_bytes()
        assert fresh.customers.get("ANA-01").created_at == db.customers.get("ANA-01").created_at


def test_csv_with_chosen_fields_and_a_selection(db, tmp_path):
    fill(db)
    out = tmp_path / "few.csv"
    report = db.exports.customers(out, fields=["number", "tags"], customers=["ANA-01"], delimiter=";")
    assert report.format == "csv"
    assert report.columns == ["number", "tags.1", "tags.2"]
    assert out.read_bytes() == b'"number";"tags.1";"tags.2"\r\n"ANA-01";"vip";"a, b"\r\n'
    later = db.customers.get("BO-002").created_at
    report = db.exports.customers(tmp_path / "new.jsonl", created_since=later)
    assert report.customers == 1


def test_progress_stops_and_nothing_is_written(db, tmp_path):
    fill(db)
    seen = []
    out = tmp_path / "stopped.jsonl"
    report = db.exports.customers(out, progress=lambda done, total: seen.append((done, total)) or False)
    assert not report.completed
    assert seen == [(2, 2)]
    assert not out.exists()

    def boom(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        db.exports.customers(out, progress=boom)
    assert not out.exists()


def test_refusals(db, tmp_path):
    fill(db)
    out = tmp_path / "x.jsonl"
    db.exports.customers(out)
    raises(patron.AlreadyExistsError, "path", db.exports.customers, out)
    assert db.exports.customers(out, overwrite=True).customers == 2
    raises(patron.ValidationError, "path", db.exports.customers, tmp_path / "no" / "x.jsonl")
    raises(patron.ValidationError, "format", db.exports.customers, tmp_path / "y", format="xml")
    raises(patron.ValidationError, "fields[1]", db.exports.customers, tmp_path / "y", fields=["number", "fax"])
    raises(patron.ValidationError, "delimiter", db.exports.customers, tmp_path / "y.csv", delimiter="|")
    raises(patron.ValidationError, "rfm_segment", db.exports.customers, tmp_path / "y", rfm_segment="best")
    raises(patron.ValidationError, "select.rfm_currency", db.exports.customers, tmp_path / "y",
           rfm_segment="champions")
    raises(patron.NotFoundError, "select.customers[0]", db.exports.customers, tmp_path / "y", customers=["ZED-99"])
    raises(patron.NotFoundError, "select.company", db.exports.customers, tmp_path / "y", company=7)
    raises(patron.ValidationError, "progress", db.exports.customers, tmp_path / "y", progress=3)
    assert not (tmp_path / "y").exists()
    assert not (tmp_path / "y.csv").exists()
