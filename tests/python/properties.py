"""Shared pieces of the property-based tests (test_properties.py): the
Hypothesis settings profiles, fresh databases, database snapshots, and the
strategies that generate patron's inputs with the values patron should give
back.

Profiles (environment variable PATRON_HYPOTHESIS_PROFILE, default "ci"):

* ``ci``: the default, what ctest runs. Derandomized (the same examples on
  every run, so CI is reproducible), no example database, about 50 examples
  per property (PATRON_HYPOTHESIS_EXAMPLES overrides the number), no
  deadline (a 2-core CI machine is slow and noisy).
* ``dev``: for long local runs hunting for new failures. Random, 1,000
  examples per property (or PATRON_HYPOTHESIS_EXAMPLES), failures remembered
  in Hypothesis's example database (``.hypothesis/`` in the working
  directory) and replayed first next time.

    PATRON_HYPOTHESIS_PROFILE=dev ctest -R python_properties --output-on-failure
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import pathlib
import sqlite3
import string
import tempfile
from typing import Any, Callable, Iterator

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

import patron
from helpers import T0, UTC, FakeClock

# --- profiles -----------------------------------------------------------------------

_EXAMPLES = os.environ.get("PATRON_HYPOTHESIS_EXAMPLES")
_SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]

settings.register_profile("ci", max_examples=int(_EXAMPLES or 50), deadline=None, derandomize=True, database=None,
                          print_blob=True, suppress_health_check=_SLOW)
settings.register_profile("dev", max_examples=int(_EXAMPLES or 1000), deadline=None, print_blob=True,
                          suppress_health_check=_SLOW)
PROFILE = os.environ.get("PATRON_HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)


def examples(fraction: float = 1.0) -> settings:
    """Settings for a property: `fraction` of the profile's examples (heavy
    properties run fewer), at least 10."""
    return settings(max_examples=max(10, int(settings.default.max_examples * fraction)))


# --- databases ----------------------------------------------------------------------


@contextlib.contextmanager
def fresh_path() -> Iterator[pathlib.Path]:
    """The path of a database file (not there yet) in a new temporary
    directory, removed after the block."""
    with tempfile.TemporaryDirectory(prefix="patron-prop-") as d:
        yield pathlib.Path(d) / "crm.db"


@contextlib.contextmanager
def fresh_db(clock: Callable[[], dt.datetime] | None = None) -> Iterator[patron.Database]:
    """A new database file in a new temporary directory, closed and removed
    after the block."""
    with fresh_path() as path:
        with patron.open(path, default_region="GB", clock=clock) as db:
            yield db


def snapshot(db: patron.Database) -> dict[str, tuple[int, str]]:
    """Every table of the database file (virtual tables through their shadow
    tables): its row count and a digest of its rows, read with Python's own
    sqlite3 module. Two equal snapshots mean nothing was written."""
    con = sqlite3.connect(f"file:{db.path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' "
            "ORDER BY name")]
        out = {}
        for t in tables:
            rows = sorted(repr(r) for r in con.execute(f'SELECT * FROM "{t}"'))
            out[t] = (len(rows), hashlib.sha256("\n".join(rows).encode("utf-8", "surrogatepass")).hexdigest())
        return out
    finally:
        con.close()


def changed_tables(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> list[str]:
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))


@contextlib.contextmanager
def writes_nothing(db: patron.Database) -> Iterator[None]:
    """Requires the block to leave every table of `db` as it was."""
    before = snapshot(db)
    last_event = db.activity.last_event_id()
    yield
    assert db.activity.last_event_id() == last_event
    changed = changed_tables(before, snapshot(db))
    assert not changed, f"a refused or repeated call wrote to {changed}"


def refused(db: patron.Database, cls: type[patron.Error], call: Callable[..., Any], *args: Any,
            **kwargs: Any) -> patron.Error:
    """Calls, requires exception `cls` (exactly) with a non-empty field, and
    requires that nothing was written. Returns the exception."""
    with writes_nothing(db):
        try:
            call(*args, **kwargs)
        except patron.Error as e:
            err = e
        else:
            raise AssertionError(f"{getattr(call, '__name__', call)} was not refused")
    assert type(err) is cls, repr(err)
    assert err.field, f"{err!r} names no field"
    return err


# --- text ---------------------------------------------------------------------------

#: What patron trims (ASCII white space) and refuses inside text (C0 and DEL).
SPACE = " \t\r\n\f\v"
CONTROLS = "".join(chr(c) for c in range(0x20)) + "\x7f"


def trim(s: str) -> str:
    return s.strip(SPACE)


#: Any code point a Python str can send as UTF-8 (no surrogates) but the
#: control characters.
text_char = st.characters(blacklist_categories=("Cs",), blacklist_characters=CONTROLS)
#: Any code point at all but surrogates (JSON strings may hold controls).
any_char = st.characters(blacklist_categories=("Cs",))
_padding = st.sampled_from(["", "", " ", "\t", " \r\n", "\f\v "])


def clean_text(max_chars: int) -> st.SearchStrategy[str]:
    """Text patron keeps as given but trimmed: arbitrary Unicode, at most
    `max_chars` code points, sometimes padded with ASCII white space."""
    return st.builds(lambda a, s, b: a + s + b, _padding, st.text(text_char, max_size=max_chars), _padding)


def required_text(max_chars: int) -> st.SearchStrategy[str]:
    return clean_text(max_chars).filter(lambda s: trim(s) != "")


def with_control(max_chars: int) -> st.SearchStrategy[str]:
    """Text with a control character inside it (not at an end, where \\t and
    \\n would be trimmed)."""
    side = st.text(text_char.filter(lambda c: c not in SPACE), min_size=1, max_size=max_chars // 2 - 1)
    return st.builds(lambda a, c, b: a + c + b, side, st.sampled_from(CONTROLS), side)


def too_long(max_chars: int) -> st.SearchStrategy[str]:
    return st.text(text_char.filter(lambda c: c not in SPACE), min_size=max_chars + 1, max_size=max_chars + 20)


# --- customers ----------------------------------------------------------------------

_ATEXT = string.ascii_letters + string.digits + "!#$%&'*+-/=?^_`{|}~" + "éüßñøÉÜÑØ"
_local = st.lists(st.text(st.sampled_from(_ATEXT), min_size=1, max_size=12), min_size=1, max_size=3).map(
    ".".join).filter(lambda s: len(s.encode()) <= 64)
_label = st.from_regex(r"[a-zA-Z0-9]([a-zA-Z0-9-]{0,10}[a-zA-Z0-9])?", fullmatch=True)
_tld = st.from_regex(r"[a-zA-Z][a-zA-Z0-9]{1,5}", fullmatch=True)
_domain = st.builds(lambda labels, tld: ".".join(labels + [tld]), st.lists(_label, min_size=1, max_size=3),
                    _tld).filter(lambda d: "xn--" not in d.lower())
#: (as typed, as stored): the part before @ lower-cased, the domain too.
emails = st.builds(lambda pad, local, domain: (f"{pad}{local}@{domain}{pad}", f"{local.lower()}@{domain.lower()}"),
                   st.sampled_from(["", " "]), _local, _domain)

_six = st.integers(0, 999_999).map(lambda n: f"{n:06d}")
_MOBILE_FORMS = ["07400 {d}", "07400{d}", "+44 7400 {d}", "+447400{d}", "0044 7400 {d}", "(07400) {a}-{b}"]
#: (as typed, as stored): valid GB mobiles (libphonenumber's 7400 range) in
#: the forms a till types them; stored as E.164.
mobiles = st.builds(lambda form, d: (form.format(d=d, a=d[:3], b=d[3:]), f"+447400{d}"),
                    st.sampled_from(_MOBILE_FORMS), _six)
#: Phone-like text (at least 3 digits, at most 40 characters): stored as
#: E.164 when libphonenumber validates it, else as typed (trimmed).
phone_texts = st.text(st.sampled_from("0123456789 +-()#*x."), min_size=3, max_size=40).filter(
    lambda s: sum(c.isdigit() for c in s) >= 3 and trim(s) != "")

#: The FakeClock's day: dates of birth up to it are accepted.
TODAY = T0.date()
dates_of_birth = st.dates(dt.date(1900, 1, 1), TODAY)
numbers = st.from_regex(r"[A-Za-z0-9._/-]{5,32}", fullmatch=True)
COUNTRIES = ["GB", "gb", "PT", "de", "Us", "FR", "JP", "BR", "ZA", "NZ"]
PURPOSES = ["billing", "shipping", "contact"]

addresses = st.fixed_dictionaries(
    {"purpose": st.sampled_from(PURPOSES), "country": st.sampled_from(COUNTRIES)},
    optional={"line1": clean_text(200), "line2": clean_text(200), "city": clean_text(100),
              "region": clean_text(100), "postal_code": clean_text(20), "is_default": st.booleans()},
).filter(lambda a: any(trim(a.get(k, "")) for k in ("line1", "city", "postal_code")))


@st.composite
def tag_lists(draw: Any) -> list[str]:
    """Up to 50 tags, distinct by construction: each starts with its index
    ("07:..."), so no two fold to the same text; sometimes padded."""
    texts = draw(st.lists(st.tuples(_padding, st.text(text_char, max_size=60), _padding),
                          max_size=draw(st.sampled_from([3, 8, 50]))))
    return [f"{a}{i:02d}:{t}{b}" for i, (a, t, b) in enumerate(texts)]


@st.composite
def new_customers(draw: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """A valid create() request and the customer fields patron should give
    back for it."""
    req: dict[str, Any] = {}
    want: dict[str, Any] = {}
    for key, limit in (("title", 32), ("first_name", 100), ("last_name", 100), ("lifecycle_stage", 64)):
        if draw(st.booleans()):
            req[key] = draw(clean_text(limit))
        want[key] = trim(req.get(key, ""))
    want["emails"] = []
    want["phones"] = []
    if draw(st.booleans()):
        typed, stored = draw(emails)
        req["email"] = typed
        want["emails"] = [(stored, True)]
    if draw(st.booleans()):
        label = draw(st.sampled_from(["mobile", "work", "home", "other", None]))
        if label is not None:
            req["phone_label"] = label
        if draw(st.booleans()):
            typed, stored = draw(mobiles)
            want["phones"] = [(stored, label or "mobile", True)]
        else:
            typed = draw(phone_texts)
            want["phones"] = [(None, label or "mobile", None)]  # E.164 if valid, else trim(typed)
        req["phone"] = typed
        want["phone_typed"] = typed
    named = want["first_name"] and want["last_name"]
    if not named and not want["emails"]:
        typed, stored = draw(emails)
        req["email"] = typed
        want["emails"] = [(stored, True)]
    if draw(st.booleans()):
        d = draw(dates_of_birth)
        req["date_of_birth"] = draw(st.sampled_from([d, d.isoformat()]))
        want["date_of_birth"] = d
    else:
        want["date_of_birth"] = None
    if draw(st.booleans()):
        req["tags"] = draw(tag_lists())
    want["tags"] = [trim(t) for t in req.get("tags", [])]
    if draw(st.booleans()):
        req["number"] = draw(numbers)
    if draw(st.booleans()):
        req["addresses"] = draw(st.lists(addresses, max_size=4))
    want["addresses"] = expected_addresses(req.get("addresses", []))
    if draw(st.booleans()):
        typed, stored = draw(mobiles)
        req["emergency_contact"] = {"name": draw(required_text(200)), "phone": typed}
        want["emergency_contact"] = (trim(req["emergency_contact"]["name"]), stored)
    else:
        want["emergency_contact"] = None
    return req, want


def expected_addresses(given: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Addresses as patron keeps them: trimmed, the country upper-case, the
    first of each purpose the default unless a later one is marked so (the
    last so marked wins)."""
    out: list[dict[str, Any]] = []
    for a in given:
        purpose = a["purpose"]
        first_of_purpose = not any(o["purpose"] == purpose for o in out)
        if a.get("is_default", False):
            for o in out:
                if o["purpose"] == purpose:
                    o["is_default"] = False
        out.append({"purpose": purpose, "line1": trim(a.get("line1", "")), "line2": trim(a.get("line2", "")),
                    "city": trim(a.get("city", "")), "region": trim(a.get("region", "")),
                    "postal_code": trim(a.get("postal_code", "")), "country": a["country"].upper(),
                    "is_default": a.get("is_default", False) or first_of_purpose})
    return out


def check_customer(c: patron.Customer, req: dict[str, Any], want: dict[str, Any], now: dt.datetime) -> None:
    """`c` is the customer `req` asked for, field by field."""
    for key in ("title", "first_name", "last_name", "lifecycle_stage", "date_of_birth", "tags"):
        assert getattr(c, key) == want[key], key
    assert [(e.address, e.primary) for e in c.emails] == want["emails"]
    assert len(c.phones) == len(want["phones"])
    for p, (number, label, verified) in zip(c.phones, want["phones"]):
        assert p.label == label
        if number is not None:
            assert (p.number, p.verified) == (number, verified)
        elif p.verified:  # validated by libphonenumber: E.164
            assert p.number.startswith("+") and p.number[1:].isdigit(), p
        else:  # kept as typed
            assert p.number == trim(want["phone_typed"]), p
    got = [{k: v for k, v in a.to_dict().items() if k != "id"} for a in c.addresses]
    assert got == want["addresses"]
    assert len({a.id for a in c.addresses}) == len(c.addresses)
    if want["emergency_contact"] is None:
        assert c.emergency_contact is None
    else:
        assert (c.emergency_contact.name, c.emergency_contact.phone) == want["emergency_contact"]
    if "number" in req:
        assert c.number == req["number"]
    else:
        assert len(c.number) >= 5 and c.number.isdigit()
    assert len(c.id) == 32 and all(ch in "0123456789abcdef" for ch in c.id)
    assert (c.status, c.ban, c.presence) == ("active", None, "offline")
    assert c.created_at == c.updated_at == now
    assert c.created_at.tzinfo is UTC


# --- time ---------------------------------------------------------------------------

#: The range of instants patron accepts (UTC, microseconds).
MIN_TIME = dt.datetime(1, 1, 1, tzinfo=UTC)
MAX_TIME = dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
_DAY_US = 86_400_000_000

#: Fixed offsets strictly inside +-24 h, to the microsecond (Python allows them).
offsets = st.one_of(
    st.sampled_from([0, 3600, -3600, 19800, -34200, 50400, -43200]).map(lambda s: s * 1_000_000),
    st.integers(-_DAY_US + 1, _DAY_US - 1),
).map(lambda us: dt.timezone(dt.timedelta(microseconds=us)))


def _zones() -> list[dt.tzinfo]:
    try:
        from zoneinfo import ZoneInfo
        return [ZoneInfo(z) for z in ("Europe/Lisbon", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe",
                                      "Pacific/Chatham", "America/St_Johns")]
    except Exception:  # no tz database: fixed offsets only
        return [UTC]


zones = st.one_of(st.just(UTC), offsets, st.sampled_from(_zones()))


def _in_zone(instant: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    try:
        return instant.astimezone(zone)
    except (OverflowError, ValueError):  # the local time would leave Python's range
        return instant


#: Aware datetimes, in any zone, whose instant patron accepts.
instants = st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31, 23, 59, 59, 999999)).map(
    lambda d: d.replace(tzinfo=UTC))
aware_times = st.builds(_in_zone, instants, zones)


@st.composite
def times_outside(draw: Any) -> dt.datetime:
    """Aware datetimes whose instant is before 0001-01-01T00:00:00Z or after
    9999-12-31T23:59:59.999999Z: the local time is in Python's range, its
    offset takes it out."""
    us = draw(st.integers(1, _DAY_US - 1))
    into = draw(st.integers(0, us - 1))
    if draw(st.booleans()):
        local = dt.datetime(1, 1, 1) + dt.timedelta(microseconds=into)
        return local.replace(tzinfo=dt.timezone(dt.timedelta(microseconds=us)))
    local = dt.datetime(9999, 12, 31, 23, 59, 59, 999999) - dt.timedelta(microseconds=into)
    return local.replace(tzinfo=dt.timezone(-dt.timedelta(microseconds=us)))


def iso(t: dt.datetime) -> str:
    """patron's text of an instant: UTC, always six fractional digits."""
    u = t.astimezone(UTC)
    return f"{u.year:04d}-{u.month:02d}-{u.day:02d}T{u.hour:02d}:{u.minute:02d}:{u.second:02d}.{u.microsecond:06d}Z"


def same_instant(got: dt.datetime, given: dt.datetime) -> None:
    assert got.tzinfo is UTC, got
    assert got == given, (got, given)
    assert got - given == dt.timedelta(0)


# --- JSON ---------------------------------------------------------------------------

#: Integers patron's JSON keeps exactly: int64 and uint64. Larger ones come
#: back as floats, a library bug (test_event_details_with_integers_beyond_64_bits...).
JSON_INTS = (-(2**63), 2**64 - 1)
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(*JSON_INTS),
                         st.floats(allow_nan=False, allow_infinity=False), st.text(any_char, max_size=20))
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(any_char, max_size=8), inner, max_size=4),
    max_leaves=20)
json_objects = st.dictionaries(st.text(any_char, max_size=8), json_values, max_size=6)


def nested(depth: int) -> dict[str, Any]:
    """A JSON object `depth` containers deep (the object itself is level 1),
    alternating objects and arrays."""
    value: Any = 0
    for level in range(depth - 1, 0, -1):
        value = {"k": value} if level % 2 == 0 else [value]
    return {"k": value}


def json_depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((json_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((json_depth(v) for v in value), default=0)
    return 0


def canonical(value: Any) -> str:
    """JSON text that tells 1 from 1.0 and True from 1 (== does not)."""
    import json
    return json.dumps(value, sort_keys=True, ensure_ascii=False, allow_nan=False)


__all__ = [name for name in dir() if not name.startswith("_")] + ["FakeClock", "T0", "UTC"]
