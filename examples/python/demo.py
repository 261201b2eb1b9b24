#!/usr/bin/env python3
"""patron from Python: create customers, recognise them, refuse a duplicate,
earn and redeem loyalty points (a till's retry counts once), ban one and
print a profile as JSON.

    python3 demo.py [database-file]

The file must not exist yet. Without an argument the database lives in a
temporary file that is removed at the end. From a build tree: PYTHONPATH=<build>/python python3 demo.py
"""

from __future__ import annotations

import os
import sys
import tempfile

import patron


def run(path: str) -> None:
    with patron.open(path, default_region="GB") as db:
        customers = db.customers

        # The three ways to create a customer someone can recognise.
        ana = customers.create(first_name="Ana", last_name="Silva", title="Ms", tags=["vip"])
        bo = customers.create(email="Bo.Berg@Example.com")
        cy = customers.create(first_name="Cy", phone="07400 123456", number="CY-00001")
        for c in (ana, bo, cy):
            print(f"created {c.number}  {c.id}  {c.first_name or c.primary_email}")

        # Contacts can be added later; every change returns the new snapshot.
        ana = customers.add_email(ana.id, "ana@example.com")
        ana = customers.add_address(ana.id, purpose="billing", line1="1 High Street", city="London",
                                    postal_code="N1 1AA", country="GB")

        # Identification: one token from a till, a door or a form.
        for token in ("ANA@example.com", "+44 7400 123456", "cy-00001"):
            for match in db.identify(token):
                print(f"identify {token!r}: {match.customer.number} matched on {match.matched_on}")

        # An email belongs to one customer only.
        try:
            customers.create(first_name="Someone", last_name="Else", email="ana@EXAMPLE.com")
        except patron.AlreadyExistsError as err:
            print(f"refused: {type(err).__name__} ({err.code}, field {err.field!r}): {err}")

        # Loyalty: one point per pound; the same idempotency key from a
        # retrying till returns the first entry and earns nothing more.
        db.loyalty.create_program("stars", "Stars", "GBP", points_name="stars", expiry_months=24)
        first = db.loyalty.earn(bo.id, "stars", amount=2599, reference="T1", idempotency_key="till-1/T1")
        retry = db.loyalty.earn(bo.id, "stars", amount=2599, reference="T1", idempotency_key="till-1/T1")
        spent = db.loyalty.redeem(bo.id, "stars", 5, idempotency_key="till-1/R1")
        left = db.loyalty.account(bo.id, "stars").spendable
        print(f"earned {first.points} stars (entry {first.id}, retry entry {retry.id}), "
              f"redeemed {-spent.points}, {left} left")

        # A ban records why, by whom and when.
        ana = customers.ban(ana.id, "abusive to staff", "manager:jo")
        ban = ana.ban
        assert ban is not None
        print(f"{ana.number} is {ana.status}: {ban.reason} (by {ban.by} at {ban.at.isoformat()})")

        print(ana.to_json(indent=2))


def main(argv: list[str]) -> int:
    if len(argv) > 1:
        if os.path.exists(argv[1]):
            print(f"{argv[1]} exists; the demo wants a new database file", file=sys.stderr)
            return 2
        run(argv[1])
        return 0
    with tempfile.TemporaryDirectory(prefix="patron-demo-") as tmp:
        run(os.path.join(tmp, "demo.db"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
