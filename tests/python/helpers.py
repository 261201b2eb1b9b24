"""Constants and helpers shared by the patron Python tests."""

from __future__ import annotations

import datetime as dt
import os
import pathlib
import sqlite3

import pytest

import patron

UTC = dt.timezone.utc

# Valid GB mobile numbers (libphonenumber's example range 7400 ...), in the
# forms a till or a form may type them. 07700 900xxx (Ofcom's drama range)
# is deliberately *not* valid for libphonenumber, so it serves as the
# well-formed but invalid number.
MOBILE = "07400 123456"
MOBILE_E164 = "+447400123456"
MOBILE_FORMS = ["07400 123456", "07400123456", "+44 7400 123456", "+447400123456", "0044 7400 123456",
                "(07400) 123-456"]
OTHER_MOBILE = "07400 654321"
OTHER_MOBILE_E164 = "+447400654321"
INVALID_PHONE = "07700 900123"

SOURCE_DIR = pathlib.Path(os.environ.get("PATRON_SOURCE_DIR") or pathlib.Path(__file__).resolve().parents[2])


# FakeClock's start and moments after it, and the JSON text of a time.
T0 = dt.datetime(2024, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)
T1 = T0 + dt.timedelta(minutes=1)
H1 = T0 + dt.timedelta(hours=1)
H2 = T0 + dt.timedelta(hours=2)


def ts(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class FakeClock:
    """An injectable clock: returns `now` and counts the calls."""

    def __init__(self, start: dt.datetime = T0) -> None:
        self.now = start
        self.calls = 0

    def __call__(self) -> dt.datetime:
        self.calls += 1
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


def raises(cls, field, call, *args, **kwargs):
    """Calls and requires exception `cls` (exactly) naming `field`; returns it."""
    with pytest.raises(patron.Error) as info:
        call(*args, **kwargs)
    assert type(info.value) is cls, repr(info.value)
    assert info.value.field == field, repr(info.value)
    return info.value


def count_rows(db_path, table):
    """Rows of `table` read straight from the file, behind patron's back."""
    with sqlite3.connect(db_path) as c:
        return c.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
