#!/usr/bin/env python3
"""bench_python: patron's Python API against raw SQLite read from Python, in
the same run.

N customers (PATRON_BENCH_CUSTOMERS, default 1,000,000), each with a name, an
email and a GB mobile, are created through ``customers.create_many`` in
batches of 10,000 into a file database. Then, for random existing customers:

- patron: ``db.customers.find_by_email(email)`` (mixed case, so patron's
  normalisation runs) returning a ``patron.Customer``; and
  ``db.identify_ids(email)``;
- baseline: Python's ``sqlite3`` module on a second connection to the same
  file, running in one read transaction the statements patron's adapter runs
  (email -> customer row by seq with the same 20 columns, its emails, phones
  and addresses; statements cached by the module), given the lower-cased
  email, and building a tuple per row.

Each figure is the median of 3 timed passes of 20,000 lookups. Usage:

    PYTHONPATH=build/python /usr/bin/python3 benchmarks/bench_python.py
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import tempfile
import time

import patron

N = int(os.environ.get("PATRON_BENCH_CUSTOMERS", "1000000"))
BATCH = 10_000
LOOKUPS = 20_000
PASSES = 3

FIRST = ["Ana", "Bo", "Chen", "Dara", "Eli", "Femi", "Gus", "Hana", "Ivo", "Jo"]
LAST = ["Silva", "Berg", "Okafor", "Novak", "Haddad", "Kim", "Lopez", "Meyer"]

CUSTOMER_SQL = (
    "SELECT seq, id, number, title, first_name, last_name, date_of_birth, lifecycle_stage, tags, "
    "emergency_name, emergency_phone, status, ban_reason, banned_by, banned_at, online_until, "
    "created_at, updated_at, first_active_at, last_active_at FROM customers WHERE seq = ?"
)


def phone(i: int) -> str:
    # 07400..07999 prefixes are allocated mobile ranges libphonenumber validates
    # for these subscriber numbers (checked by bench_customers for 498 of them).
    return f"07{400 + i % 100} {i // 100:06d}"


def email(i: int) -> str:
    return f"guest.{i}@example{i % 97}.com"


def build(db: patron.Database) -> None:
    t0 = time.perf_counter()
    for start in range(0, N, BATCH):
        db.customers.create_many(
            [
                {"first_name": FIRST[i % len(FIRST)], "last_name": LAST[i % len(LAST)], "email": email(i), "phone": phone(i)}
                for i in range(start, min(N, start + BATCH))
            ]
        )
    dt = time.perf_counter() - t0
    print(f"created {N:,} customers in {dt:.1f} s ({N / dt:,.0f}/s through Python)")


def timed(fn, keys) -> float:
    """Median ns per call over PASSES passes."""
    per_call = []
    for _ in range(PASSES):
        t0 = time.perf_counter_ns()
        for k in keys:
            fn(k)
        per_call.append((time.perf_counter_ns() - t0) / len(keys))
    return statistics.median(per_call)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "patron.db")
        db = patron.open(path)
        build(db)
        rng = random.Random(20240607)
        picks = [rng.randrange(N) for _ in range(LOOKUPS)]
        mixed = [email(i).upper() if i % 2 else email(i).title() for i in picks]
        lower = [email(i) for i in picks]

        raw = sqlite3.connect(path, isolation_level=None, cached_statements=64)

        def raw_find(address: str):
            raw.execute("BEGIN")
            row = raw.execute("SELECT customer FROM customer_emails WHERE address = ?", (address,)).fetchone()
            seq = row[0]
            customer = raw.execute(CUSTOMER_SQL, (seq,)).fetchone()
            emails = raw.execute(
                "SELECT address, is_primary FROM customer_emails WHERE customer = ? ORDER BY is_primary DESC, position",
                (seq,),
            ).fetchall()
            phones = raw.execute(
                "SELECT number, label, verified FROM customer_phones WHERE customer = ? ORDER BY id", (seq,)
            ).fetchall()
            addresses = raw.execute(
                "SELECT id, purpose, line1, line2, city, region, postal_code, country, is_default "
                "FROM customer_addresses WHERE customer = ? ORDER BY id",
                (seq,),
            ).fetchall()
            raw.execute("COMMIT")
            return customer, emails, phones, addresses

        def raw_ids(address: str):
            return raw.execute(
                "SELECT c.id, c.seq FROM customer_emails e JOIN customers c ON c.seq = e.customer WHERE e.address = ?",
                (address,),
            ).fetchone()

        assert db.customers.find_by_email(mixed[0]).id == raw_find(lower[0])[0][1]
        find_ns = timed(db.customers.find_by_email, mixed)
        raw_find_ns = timed(raw_find, lower)
        ids_ns = timed(db.identify_ids, mixed)
        raw_ids_ns = timed(raw_ids, lower)
        db.close()
        raw.close()

    print()
    print(f"| lookup by email ({N:,} customers) | patron (Python) | raw SQLite (Python sqlite3) | patron / raw | goal |")
    print("|---|---:|---:|---:|---|")
    print(f"| `customers.find_by_email` → Customer | {find_ns / 1000:.1f} µs | {raw_find_ns / 1000:.1f} µs | "
          f"**{find_ns / raw_find_ns:.2f}×** | ≤ 2.5× |")
    print(f"| `identify_ids` → ids | {ids_ns / 1000:.1f} µs | {raw_ids_ns / 1000:.1f} µs | "
          f"**{ids_ns / raw_ids_ns:.2f}×** | ≤ 2.5× |")


if __name__ == "__main__":
    main()
