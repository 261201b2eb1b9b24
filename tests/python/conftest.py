"""Shared fixtures for the patron Python tests.

The tests import the package from the build tree: run them through ctest
(which sets PYTHONPATH=<build>/python) or by hand with
    PYTHONPATH=<build>/python /usr/bin/python3 -m pytest -q tests/python
after building the `_patron` target.
"""

from __future__ import annotations

import pathlib
from typing import Iterator

import pytest

try:
    import patron
except ImportError as exc:  # pragma: no cover - a setup problem, not a test failure
    raise ImportError(
        f"cannot import patron ({exc}); build the _patron target and run pytest with "
        "PYTHONPATH=<build>/python (ctest sets it)"
    ) from exc

from helpers import FakeClock


@pytest.fixture
def db_path(tmp_path: pathlib.Path) -> pathlib.Path:
    return tmp_path / "crm.db"


@pytest.fixture
def db(db_path: pathlib.Path) -> Iterator[patron.Database]:
    with patron.open(db_path, default_region="GB") as database:
        yield database


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def clocked_db(db_path: pathlib.Path, clock: FakeClock) -> Iterator[patron.Database]:
    with patron.open(db_path, default_region="GB", clock=clock) as database:
        yield database


@pytest.fixture
def customers(db: patron.Database) -> patron.Customers:
    return db.customers


@pytest.fixture
def ana(db: patron.Database) -> patron.Customer:
    """Ana, number ANA-01 (test modules may override it)."""
    return db.customers.create(first_name="Ana", last_name="Silva", email="ana@example.com", number="ANA-01")


@pytest.fixture
def bo(db: patron.Database) -> patron.Customer:
    """Bo, number BO-01 (test modules may override it)."""
    return db.customers.create(first_name="Bo", last_name="Berg", email="bo@example.org", number="BO-01")
