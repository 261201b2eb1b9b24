"""Opening, options, the injected clock, closing and persistence."""

from __future__ import annotations

import datetime as dt
import os
import pathlib

import pytest

import patron
from helpers import UTC, FakeClock


def test_open_creates_a_file_database(db_path):
    assert not db_path.exists()
    db = patron.open(str(db_path))
    try:
        assert db_path.exists()
        assert isinstance(db, patron.Database)
        assert isinstance(db.schema_version, int) and db.schema_version >= 1
        assert db.default_region == "GB"
        assert db.path == str(db_path)
        assert db.closed is False
        assert isinstance(db.customers, patron.Customers)
        assert db.customers is db.customers
        assert str(db_path) in repr(db)
    finally:
        db.close()
    assert db.closed is True
    assert "closed" in repr(db)


def test_open_takes_path_like_and_bytes(tmp_path):
    with patron.open(tmp_path / "a.db") as a:
        a.customers.create(first_name="A", last_name="B")
    with patron.open(os.fsencode(tmp_path / "b.db")) as b:
        b.customers.create(first_name="A", last_name="B")
    assert (tmp_path / "a.db").exists() and (tmp_path / "b.db").exists()


def test_memory_database():
    with patron.open(":memory:") as db:
        c = db.customers.create(email="ana@example.com")
        assert db.customers.get(c.id) == c


def test_data_persists_across_reopen(db_path):
    with patron.open(db_path, synchronous="full") as db:
        c = db.customers.create(first_name="Ana", last_name="Silva", email="ana@example.com",
                                phone="07400 123456", tags=["vip"],
                                addresses=[{"line1": "1 High St", "country": "GB"}])
        c = db.customers.ban(c.id, "rude", "staff")
        version = db.schema_version
    with patron.open(db_path) as db:
        assert db.schema_version == version
        again = db.customers.get(c.id)
        assert again == c
        assert db.customers.find_by_email("ana@example.com") == c
        assert [m.matched_on for m in db.identify(c.number)] == ["number"]
        # Generated numbers continue after a reopen.
        assert int(db.customers.create(first_name="B", last_name="C").number) == int(c.number) + 1


def test_two_handles_on_one_file_see_each_other(db_path):
    with patron.open(db_path) as a, patron.open(db_path) as b:
        c = a.customers.create(email="ana@example.com")
        assert b.customers.find_by_email("ana@example.com") == c
        with pytest.raises(patron.AlreadyExistsError):
            b.customers.create(email="ana@example.com")


def test_context_manager_closes(db_path):
    with patron.open(db_path) as db:
        customers = db.customers
        assert not db.closed
    assert db.closed
    with pytest.raises(patron.PreconditionError) as info:
        customers.create(first_name="A", last_name="B")
    assert "closed" in str(info.value)
    with pytest.raises(patron.PreconditionError):
        db.identify("x@example.com")
    with pytest.raises(patron.PreconditionError):
        db.schema_version
    db.close()  # closing twice is fine


def test_context_manager_does_not_swallow_exceptions(db_path):
    with pytest.raises(KeyError):
        with patron.open(db_path) as db:
            raise KeyError("x")
    assert db.closed


def test_customers_keeps_working_after_the_database_object_is_dropped(db_path):
    customers = patron.open(db_path).customers
    assert customers.create(first_name="A", last_name="B").first_name == "A"


@pytest.mark.parametrize("options, field", [
    ({"default_region": "XX"}, "default_region"),
    ({"default_region": ""}, "default_region"),
    ({"synchronous": "sometimes"}, "synchronous"),
    ({"busy_timeout_ms": -1}, "busy_timeout_ms"),
    ({"max_readers": 0}, "max_readers"),
    ({"default_region": "G\udcff"}, "default_region"),
])
def test_bad_options_are_refused(db_path, options, field):
    with pytest.raises(patron.ValidationError) as info:
        patron.open(db_path, **options)
    assert info.value.field == field


def test_option_types(db_path):
    with pytest.raises(TypeError, match="clock"):
        patron.open(db_path, clock="now")
    with pytest.raises(TypeError, match="busy_timeout_ms"):
        patron.open(db_path, busy_timeout_ms=1.5)
    with pytest.raises(TypeError):
        patron.open(db_path, "GB")  # options are keyword-only


def test_other_region_reads_national_numbers(db_path):
    with patron.open(db_path, default_region="US") as db:
        c = db.customers.create(first_name="Bo", phone="(201) 555-0123")
        assert c.phones[0].number == "+12015550123"
        assert db.default_region == "US"


def test_unopenable_path_is_a_storage_error(tmp_path):
    with pytest.raises(patron.StorageError) as info:
        patron.open(tmp_path / "no" / "such" / "dir" / "crm.db")
    assert info.value.code == "storage"


def test_not_a_database_file_is_a_storage_error(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not an SQLite database" * 100)
    with pytest.raises(patron.StorageError):
        with patron.open(path) as db:
            db.customers.create(first_name="A", last_name="B")


# --- the injected clock ---------------------------------------------------------


def test_the_clock_dates_every_write_exactly(clocked_db, clock):
    c = clocked_db.customers.create(first_name="Ana", last_name="Silva")
    assert clock.calls >= 1
    assert c.created_at == clock.now
    assert c.created_at.microsecond == 123456
    assert c.created_at.tzinfo is UTC
    assert clocked_db.customers.get(c.id).created_at == clock.now


def test_a_naive_clock_is_refused(db_path):
    naive = dt.datetime(2023, 7, 1, 8, 30, 0, 5)
    with patron.open(db_path, clock=lambda: naive) as db:
        with pytest.raises(patron.ValidationError) as info:
            db.customers.create(first_name="Ana", last_name="Silva")
        assert info.value.field == "clock()"
        assert "must be timezone-aware" in str(info.value)
    with patron.open(db_path) as db:
        assert db.customers.search("Ana") == []


def test_an_aware_clock_is_converted_to_utc(db_path):
    local = dt.datetime(2023, 7, 1, 10, 30, 0, 999999, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    with patron.open(db_path, clock=lambda: local) as db:
        c = db.customers.create(first_name="Ana", last_name="Silva")
    assert c.created_at == local
    assert (c.created_at.hour, c.created_at.microsecond, c.created_at.tzinfo) == (8, 999999, UTC)


def test_times_before_1970_and_far_ahead_round_trip(db_path):
    for when in [dt.datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
                 dt.datetime(2999, 12, 31, 23, 59, 59, 1, tzinfo=UTC)]:
        with patron.open(db_path, clock=lambda: when) as db:
            c = db.customers.create(first_name="Ana", last_name=f"Y{when.year}")
            assert c.created_at == when
            assert db.customers.get(c.id).created_at == when


def test_a_failing_clock_is_reported(db_path):
    def broken() -> dt.datetime:
        raise RuntimeError("clock is broken")

    with pytest.raises(patron.Error) as info:
        with patron.open(db_path, clock=broken) as db:
            db.customers.create(first_name="Ana", last_name="Silva")
    assert info.value.field == "clock"
    assert "clock is broken" in str(info.value)


def test_a_clock_returning_the_wrong_type_is_reported(db_path):
    with pytest.raises(patron.Error) as info:
        with patron.open(db_path, clock=lambda: 1700000000) as db:
            db.customers.create(first_name="Ana", last_name="Silva")
    assert info.value.field == "clock"
    assert "datetime" in str(info.value)


def test_database_is_released_when_unreferenced(tmp_path):
    import gc

    path = tmp_path / "gc.db"
    clock = FakeClock()
    db = patron.open(path, clock=clock)
    db.customers.create(first_name="A", last_name="B")
    del db
    gc.collect()
    # The file is free again: another handle writes to it at once.
    with patron.open(path, busy_timeout_ms=0) as again:
        again.customers.create(first_name="C", last_name="D")


def test_version():
    assert isinstance(patron.__version__, str) and patron.__version__.count(".") == 2


def test_backup_and_check(tmp_path):
    with patron.open(tmp_path / "crm.db", default_region="GB") as db:
        ana = db.customers.create(first_name="Ana", last_name="Silva", email="ana@example.com")
        report = db.backup(tmp_path / "copy.db")
        assert isinstance(report, patron.BackupReport)
        assert report.path == str(tmp_path / "copy.db") and report.bytes > 0
        assert report.schema_version == db.schema_version
        with pytest.raises(patron.AlreadyExistsError) as info:
            db.backup(tmp_path / "copy.db")
        assert info.value.field == "path"
        check = db.check()
        assert isinstance(check, patron.CheckReport)
        assert (check.ok, check.quick, check.customers, check.problems) == (True, False, 1, [])
        assert db.check(quick=True).quick
    with patron.open(tmp_path / "copy.db") as copy:
        assert copy.customers.get(ana.number).emails[0].address == "ana@example.com"


def test_another_programs_database_is_refused(tmp_path):
    import sqlite3

    host = tmp_path / "host.db"
    with sqlite3.connect(host) as conn:
        conn.execute("CREATE TABLE bookings (id INTEGER)")
    with pytest.raises(patron.PreconditionError, match="not a patron database") as info:
        patron.open(host)
    assert info.value.field == "path"


def test_stats(db):
    empty = db.stats()
    assert isinstance(empty, patron.DatabaseStats)
    assert (empty.customers, empty.merged, empty.purses, empty.points) == (0, 0, [], [])
    assert empty.schema_version == db.schema_version and empty.file_bytes > 0
    ana = db.customers.create(first_name="Ana", last_name="Silva", email="ana@example.com")
    db.customers.create(first_name="Bo", last_name="Berg")
    db.purses.top_up(ana, "EUR", 1250, idempotency_key="t-1")
    s = db.stats()
    assert (s.customers, s.with_email, s.with_phone, s.banned) == (2, 1, 0, 0)
    [eur] = s.purses
    assert (eur.currency, eur.accounts, eur.balance) == ("EUR", 1, 1250)
    assert s.events > 0
