"""Orders, bookings and enquiries from Python (db.orders, db.bookings,
db.enquiries) on a file database: exact values, each refusal with its
exception class and field, customer resolution, and that a refusal leaves
nothing behind. Mirrors tests/cpp/test_commerce.cpp."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest

import patron
from helpers import INVALID_PHONE, MOBILE, MOBILE_E164, UTC, raises

T0 = dt.datetime(2024, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)  # FakeClock's start


def at(day: int) -> dt.datetime:
    return T0 + dt.timedelta(days=day)


@pytest.fixture
def db(clocked_db):
    return clocked_db


@pytest.fixture
def ana(db):
    return db.customers.create(first_name="Ana", last_name="Silva", email="ana@example.com", number="ANA-01")


def order(db, ref, **fields):
    """Records a simple order of Ana's from the till."""
    args = dict(customer="ANA-01", source="pos", external_ref=ref, currency="gbp", total=4200)
    args.update(fields)
    return db.orders.record(**args)


def booking(db, ref, start, **fields):
    args = dict(customer="ANA-01", source="spa", external_ref=ref, service="massage 60", starts_at=start,
                ends_at=start + dt.timedelta(hours=1))
    args.update(fields)
    return db.bookings.record(**args)


def refs(records):
    return [r.external_ref for r in records]


def everyone(db):
    return db.customers.search("", limit=1000)


# --- orders -------------------------------------------------------------------------


def test_record_and_read_back(db, ana, db_path):
    pushed = order(db, "R-1", total=5400, placed_at=at(-2),
                   items=[dict(name="Espresso", quantity=2, unit_price=250, category="drinks"),
                          dict(name="Cake", unit_price=4900)],
                   payments=[dict(amount=5000, method="card"),
                             dict(amount=400, method="cash",
                                  at=dt.datetime(2024, 3, 1, 13, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))))])
    assert isinstance(pushed, patron.Pushed)
    assert pushed.customer_match == "given"
    o = pushed.record
    assert isinstance(o, patron.Order)
    assert o.id == 1
    assert o.customer == ana.id
    assert (o.source, o.external_ref) == ("pos", "R-1")
    assert o.placed_at == at(-2) and o.placed_at.tzinfo is UTC
    assert o.status == "created"
    assert o.currency == "GBP"
    assert (o.total, o.paid) == (5400, 5400)  # paid: the sum of the payments
    assert [i.to_dict() for i in o.items] == [
        {"name": "Espresso", "quantity": 2, "unit_price": 250, "category": "drinks"},
        {"name": "Cake", "quantity": 1, "unit_price": 4900, "category": ""},
    ]
    assert isinstance(o.items[0], patron.OrderItem)
    assert isinstance(o.payments[0], patron.Payment)
    assert [(p.amount, p.method, p.at) for p in o.payments] == [
        (5000, "card", T0), (400, "cash", dt.datetime(2024, 3, 1, 12, 30, tzinfo=UTC))]
    assert o.payments[0].at.tzinfo is UTC
    assert o.created_at == T0 and o.updated_at == T0
    assert db.orders.get(1) == o
    assert db.orders.find("pos", "R-1") == o
    assert db.orders.find("web", "R-1") is None
    # It is in the file.
    db.close()
    with patron.open(db_path) as again:
        assert again.orders.get(1) == o
        assert again.orders.list(ana) == [o]


def test_to_dict_to_json_repr_and_equality(db, ana):
    pushed = order(db, "R-1", items=[dict(name="Tea", quantity=1, unit_price=300)],
                   payments=[dict(amount=300, method="card")])
    o = pushed.record
    expected = {
        "id": 1, "customer": ana.id, "source": "pos", "external_ref": "R-1",
        "placed_at": "2024-03-01T12:00:00.123456Z", "status": "created", "currency": "GBP",
        "total": 4200, "paid": 300,
        "items": [{"name": "Tea", "quantity": 1, "unit_price": 300, "category": ""}],
        "payments": [{"amount": 300, "method": "card", "at": "2024-03-01T12:00:00.123456Z"}],
        "created_at": "2024-03-01T12:00:00.123456Z", "updated_at": "2024-03-01T12:00:00.123456Z",
    }
    assert o.to_dict() == expected
    assert json.loads(o.to_json()) == expected
    assert "\n" in o.to_json(indent=2)
    assert o.payments[0].to_dict() == expected["payments"][0]
    assert pushed.to_dict() == {"customer_match": "given", "order": expected}
    assert repr(o) == "<patron.Order 1 'pos'/'R-1' status=created total=4200 GBP paid=300>"
    assert repr(o.items[0]) == "OrderItem(name='Tea', quantity=1, unit_price=300, category='')"
    assert repr(o.payments[0]).startswith("Payment(amount=300, method='card', at=datetime.datetime(2024, 3, 1")
    assert repr(pushed) == "Pushed(customer_match='given', record=" + repr(o) + ")"
    assert "Orders" in repr(db.orders) and "Bookings" in repr(db.bookings) and "Enquiries" in repr(db.enquiries)
    # Equality by value, hash by id.
    again = db.orders.get(1)
    assert again == o and not (again != o) and hash(again) == hash(o) and len({o, again}) == 1
    assert o != o.id
    assert db.orders.set_status(1, "confirmed") != o
    assert o.items == again.items and o.payments == again.payments
    # Read-only.
    with pytest.raises(AttributeError):
        o.status = "completed"
    with pytest.raises(AttributeError):
        pushed.customer_match = "email"
    with pytest.raises(TypeError):
        patron.Order()
    assert patron.Order.__module__ == "patron" and patron.Pushed.__module__ == "patron"
    assert patron.Pushed[patron.Order] is not None  # generic in the stubs, subscriptable at run time


def test_defaults(db, ana):
    o = db.orders.record(customer=ana, source="web", external_ref="W-1", currency="EUR", total=100,
                         placed_at=None, status=None, paid=None, items=None, payments=None).record
    assert (o.placed_at, o.status, o.paid, o.items, o.payments) == (T0, "created", 0, [], [])
    assert o.customer == ana.id
    paid = order(db, "W-2", paid=1000, status="completed").record
    assert (paid.paid, paid.payments, paid.status, paid.id) == (1000, [], "completed", 2)
    # A naive datetime is refused, as everywhere in the binding: never guessed.
    e = raises(patron.ValidationError, "placed_at", order, db, "W-3", placed_at=dt.datetime(2024, 1, 2, 3, 4, 5))
    assert "must be timezone-aware" in str(e)
    assert db.orders.find("pos", "W-3") is None


def test_refusals(db, ana):
    first = order(db, "R-1").record

    def refused(cls, field, **fields):
        err = raises(cls, field, order, db, "R-2", **fields)
        assert db.orders.list(ana) == [first]
        assert everyone(db) == [ana]
        return err

    err = refused(patron.ValidationError, "currency", currency="GBX")
    assert "ISO 4217" in str(err)
    refused(patron.ValidationError, "currency", currency="")
    refused(patron.ValidationError, "total", total=-1)
    refused(patron.ValidationError, "status", status="shipped")
    refused(patron.ValidationError, "paid", paid=-1)
    refused(patron.ValidationError, "paid", paid=200, payments=[dict(amount=100, method="card")])
    refused(patron.ValidationError, "items[0].quantity", items=[dict(name="Tea", quantity=0)])
    refused(patron.ValidationError, "items[1].name", items=[dict(name="Tea"), dict(name="")])
    refused(patron.ValidationError, "items[0].unit_price", items=[dict(name="Tea", unit_price=-1)])
    refused(patron.ValidationError, "items[0].size", items=[dict(name="Tea", size="L")])
    refused(patron.ValidationError, "payments[0].amount", payments=[dict(amount=0, method="card")])
    refused(patron.ValidationError, "payments[0].method", payments=[dict(amount=1)])
    refused(patron.ValidationError, "payments[0].tip", payments=[dict(amount=1, method="card", tip=1)])
    refused(patron.ValidationError, "external_ref", external_ref=" ")
    refused(patron.ValidationError, "source", source="")
    refused(patron.NotFoundError, "customer", customer="99999")
    refused(patron.ValidationError, "customer", customer="no")
    refused(patron.ValidationError, "customer", customer=None)
    # Unknown keywords are refused, naming them.
    err = refused(patron.ValidationError, "coupon", coupon="X")
    assert "coupon" in str(err)
    refused(patron.ValidationError, "id", id=7)
    # Wrong Python types: TypeError naming the field.
    for fields, name in [(dict(total="42"), "total"), (dict(total=True), "total"), (dict(currency=826), "currency"),
                         (dict(placed_at="2024-03-01"), "placed_at"), (dict(items={"name": "Tea"}), "items"),
                         (dict(items=["Tea"]), "items[0]"), (dict(customer=5), "customer"),
                         (dict(payments=[dict(amount=1.5, method="card")]), "payments[0].amount")]:
        with pytest.raises(TypeError, match=name.replace("[", r"\[").replace("]", r"\]")):
            order(db, "R-2", **fields)
    # The same (source, external_ref) twice.
    err = raises(patron.AlreadyExistsError, "external_ref", order, db, "R-1")
    assert "already recorded" in str(err)
    raises(patron.AlreadyExistsError, "external_ref", order, db, " R-1 ")
    assert db.orders.list(ana) == [first]
    raises(patron.NotFoundError, "id", db.orders.get, 999)
    raises(patron.ValidationError, "source", db.orders.find, "", "R-1")
    with pytest.raises(TypeError):
        db.orders.get("1")
    # Nothing was consumed: the next order takes the next id.
    assert order(db, "R-2").record.id == 2


def test_status_moves_forward_only(db, ana, clock):
    o = order(db, "R-1").record
    clock.advance(minutes=1)
    confirmed = db.orders.set_status(o.id, "confirmed")
    assert confirmed.status == "confirmed"
    assert confirmed.updated_at == T0 + dt.timedelta(minutes=1) and confirmed.created_at == T0
    err = raises(patron.PreconditionError, "status", db.orders.set_status, o.id, "created")
    assert "from confirmed to created" in str(err)
    raises(patron.PreconditionError, "status", db.orders.set_status, o.id, "confirmed")
    raises(patron.ValidationError, "status", db.orders.set_status, o.id, "shipped")
    raises(patron.ValidationError, "status", db.orders.set_status, o.id, "Completed")
    raises(patron.NotFoundError, "id", db.orders.set_status, 999, "confirmed")
    assert db.orders.get(o.id) == confirmed
    assert db.orders.set_status(o.id, "completed").status == "completed"
    for to in ["created", "confirmed", "cancelled"]:
        err = raises(patron.PreconditionError, "status", db.orders.set_status, o.id, to)
        assert f"from completed to {to}" in str(err)
    # created -> completed directly.
    assert db.orders.set_status(order(db, "R-2").record.id, "completed").status == "completed"


def test_payments_raise_paid(db, ana, clock):
    o = order(db, "R-1", total=1000).record
    clock.advance(minutes=5)
    paid = db.orders.add_payment(o.id, amount=600, method="card")
    assert paid.paid == 600
    assert [(p.amount, p.method, p.at) for p in paid.payments] == [(600, "card", T0 + dt.timedelta(minutes=5))]
    assert paid.updated_at == T0 + dt.timedelta(minutes=5)
    assert db.orders.get(o.id) == paid
    more = db.orders.add_payment(o.id, amount=400, method="voucher", at=at(-1))
    assert more.paid == 1000 and more.payments[1].at == at(-1)
    copied = db.orders.add_payment(o.id, **{"amount": 1, "method": "cash"})
    assert copied.paid == 1001
    # Items and payments of a snapshot can be pushed again (e.g. to another source).
    clone = order(db, "R-1", source="web", total=1000, items=[OrderItem for OrderItem in copied.items],
                  payments=copied.payments).record
    assert (clone.payments, clone.paid, clone.items) == (copied.payments, 1001, [])
    raises(patron.ValidationError, "payment.amount", db.orders.add_payment, o.id, amount=0, method="card")
    raises(patron.ValidationError, "payment.method", db.orders.add_payment, o.id, amount=1, method=" ")
    raises(patron.ValidationError, "payment.tip", db.orders.add_payment, o.id, amount=1, method="card", tip=2)
    raises(patron.NotFoundError, "id", db.orders.add_payment, 42, amount=1, method="card")
    with pytest.raises(TypeError, match="payment.at"):
        db.orders.add_payment(o.id, amount=1, method="card", at="now")
    assert db.orders.get(o.id) == copied
    db.orders.set_status(o.id, "cancelled")
    cancelled = db.orders.get(o.id)
    raises(patron.PreconditionError, "status", db.orders.add_payment, o.id, amount=1, method="card")
    assert db.orders.get(o.id) == cancelled


def test_listing_filters_and_pages(db, ana):
    for i in range(5):
        order(db, f"R-{i}", placed_at=at(-i))
    db.orders.set_status(db.orders.find("pos", "R-1").id, "cancelled")
    assert refs(db.orders.list(ana)) == ["R-0", "R-1", "R-2", "R-3", "R-4"]  # newest first
    assert db.orders.list("ANA-01") == db.orders.list(ana.id) == db.orders.list(ana)
    assert refs(db.orders.list(ana, statuses=["cancelled"])) == ["R-1"]
    assert refs(db.orders.list(ana, statuses=("created", "confirmed"))) == ["R-0", "R-2", "R-3", "R-4"]
    assert len(db.orders.list(ana, statuses=[])) == 5
    assert refs(db.orders.list(ana, since=at(-3), until=at(-1))) == ["R-2", "R-3"]
    assert refs(db.orders.list(ana, since=at(-1))) == ["R-0", "R-1"]
    assert refs(db.orders.list(ana, until=at(-3))) == ["R-4"]
    assert refs(db.orders.list(ana, limit=2, offset=1)) == ["R-1", "R-2"]
    assert db.orders.list(ana, offset=5) == []
    bo = db.customers.create(first_name="Bo", last_name="Li")
    assert db.orders.list(bo) == []
    raises(patron.ValidationError, "until", db.orders.list, ana, since=at(0), until=at(-1))
    raises(patron.ValidationError, "until", db.orders.list, ana, since=at(0), until=at(0))
    raises(patron.ValidationError, "limit", db.orders.list, ana, limit=0)
    raises(patron.ValidationError, "limit", db.orders.list, ana, limit=1001)
    raises(patron.ValidationError, "limit", db.orders.list, ana, limit=-1)
    raises(patron.ValidationError, "offset", db.orders.list, ana, offset=-1)
    raises(patron.ValidationError, "statuses[1]", db.orders.list, ana, statuses=["created", "shipped"])
    raises(patron.ValidationError, "statuses[0]", db.orders.list, ana, statuses=["scheduled"])
    raises(patron.NotFoundError, "ref", db.orders.list, "NOBODY-1")
    raises(patron.ValidationError, "ref", db.orders.list, "no")
    with pytest.raises(TypeError, match="statuses"):
        db.orders.list(ana, statuses="created")  # a bare str is a common mistake
    with pytest.raises(TypeError, match="since"):
        db.orders.list(ana, since="2024-01-01")


# --- customer resolution ------------------------------------------------------------


def test_finds_by_email_then_phone_else_creates(db, ana):
    def with_details(ref, **details):
        return order(db, ref, customer=details)

    by_email = with_details("E-1", first_name="Someone", email="ANA@example.com")
    assert by_email.customer_match == "email" and by_email.record.customer == ana.id

    db.customers.add_phone(ana, MOBILE)
    by_phone = with_details("P-1", first_name="ÁNA", phone="+44 7400 123456")
    assert by_phone.customer_match == "phone" and by_phone.record.customer == ana.id

    # The same phone with another first name: a new customer.
    created = with_details("C-1", first_name="Bruno", last_name=None, phone=MOBILE)
    assert created.customer_match == "created"
    bruno = db.customers.get(created.record.customer)
    assert bruno.first_name == "Bruno" and bruno.id != ana.id
    assert [p.number for p in bruno.phones] == [MOBILE_E164]
    assert bruno.created_at == T0
    assert db.orders.list(bruno) == [created.record]

    # An unknown email: created with it, then found by it.
    cy = with_details("N-1", email="Cy@Example.org", first_name="Cy")
    assert cy.customer_match == "created"
    assert db.customers.find_by_email("cy@example.org").id == cy.record.customer
    again = with_details("N-2", email="cy@example.org")
    assert (again.customer_match, again.record.customer) == ("email", cy.record.customer)

    # A Customer object or a reference is "given".
    given = order(db, "G-1", customer=bruno)
    assert (given.customer_match, given.record.customer) == ("given", bruno.id)


def test_a_refused_record_creates_no_customer(db, ana):
    order(db, "X-2")
    before = db.orders.list(ana)
    nova = dict(first_name="Nova", last_name="Person", email="nova@example.com")

    def refused(cls, field, call, *args, **kwargs):
        raises(cls, field, call, *args, **kwargs)
        assert everyone(db) == [ana]
        assert db.customers.find_by_email("nova@example.com") is None
        assert db.orders.list(ana) == before

    refused(patron.ValidationError, "total", order, db, "X-1", customer=nova, total=-5)
    # The duplicate shows after the customer insert: that insert is rolled back too.
    refused(patron.AlreadyExistsError, "external_ref", order, db, "X-2", customer=nova)
    refused(patron.ValidationError, "customer", order, db, "X-3", customer=dict(first_name="Nova"))
    refused(patron.ValidationError, "customer", order, db, "X-3", customer={})
    refused(patron.ValidationError, "customer.email", order, db, "X-3", customer=dict(email="not-an-email"))
    refused(patron.ValidationError, "customer.phone", order, db, "X-3",
            customer=dict(first_name="Nova", phone=INVALID_PHONE))
    refused(patron.ValidationError, "customer.nickname", order, db, "X-3", customer=dict(nova, nickname="N"))
    with pytest.raises(TypeError, match="customer.first_name"):
        order(db, "X-3", customer=dict(first_name=7, last_name="Person"))
    refused(patron.ValidationError, "party_size", booking, db, "B-1", at(1), customer=nova, party_size=0)
    refused(patron.NotFoundError, "order_external_ref", booking, db, "B-1", at(1), customer=nova,
            order_external_ref="nope")
    refused(patron.ValidationError, "channel", db.enquiries.record, customer=nova, source="web", external_ref="Q-1",
            channel=" ")
    # Once the record is right, the same details create Nova.
    ok = order(db, "X-1", customer=nova, total=5)
    assert ok.customer_match == "created"
    created = db.customers.find_by_email("nova@example.com")
    assert created.id == ok.record.customer
    assert created.number == "00001"  # no number was consumed by the refusals


# --- bookings -----------------------------------------------------------------------


def test_bookings_move_and_link_orders(db, ana, clock):
    o = order(db, "R-9").record
    pushed = booking(db, "B-1", at(3), source="pos", party_size=2, order_external_ref="R-9",
                     service=" massage 60 ", ends_at=at(3) + dt.timedelta(hours=1))
    b = pushed.record
    assert pushed.customer_match == "given"
    assert isinstance(b, patron.Booking)
    assert b.to_dict() == {
        "id": 1, "customer": ana.id, "source": "pos", "external_ref": "B-1", "service": "massage 60",
        "starts_at": "2024-03-04T12:00:00.123456Z", "ends_at": "2024-03-04T13:00:00.123456Z",
        "status": "scheduled", "party_size": 2, "order_id": o.id,
        "created_at": "2024-03-01T12:00:00.123456Z", "updated_at": "2024-03-01T12:00:00.123456Z",
    }
    assert (b.starts_at, b.ends_at, b.order_id, b.party_size) == (at(3), at(3) + dt.timedelta(hours=1), o.id, 2)
    assert b.starts_at.tzinfo is UTC
    assert db.bookings.get(b.id) == b
    assert db.bookings.find("pos", "B-1") == b
    assert db.bookings.find("spa", "B-1") is None
    assert "massage 60" in repr(b) and "scheduled" in repr(b)

    clock.advance(minutes=1)
    moved = db.bookings.reschedule(b.id, at(4), at(4) + dt.timedelta(minutes=90))
    assert (moved.status, moved.starts_at, moved.ends_at) == ("rescheduled", at(4), at(4) + dt.timedelta(minutes=90))
    assert moved.updated_at == T0 + dt.timedelta(minutes=1)
    assert db.bookings.reschedule(b.id, at(4), at(5)).status == "rescheduled"  # again
    raises(patron.ValidationError, "ends_at", db.bookings.reschedule, b.id, at(5), at(5))
    raises(patron.NotFoundError, "id", db.bookings.reschedule, 7, at(4), at(5))
    with pytest.raises(TypeError, match="starts_at"):
        db.bookings.reschedule(b.id, "tomorrow", at(5))
    assert db.bookings.set_status(b.id, "checked_in").status == "checked_in"
    raises(patron.PreconditionError, "status", db.bookings.set_status, b.id, "scheduled")
    raises(patron.ValidationError, "status", db.bookings.set_status, b.id, "checked in")
    raises(patron.ValidationError, "status", db.bookings.set_status, b.id, "confirmed")
    done = db.bookings.set_status(b.id, "completed")
    assert done.status == "completed"
    err = raises(patron.PreconditionError, "status", db.bookings.reschedule, b.id, at(5), at(6))
    assert "from completed to rescheduled" in str(err)
    assert db.bookings.get(b.id) == done
    raises(patron.NotFoundError, "id", db.bookings.get, 2)


def test_booking_refusals_and_listing(db, ana):
    b1 = booking(db, "B-1", at(1)).record
    assert (b1.party_size, b1.order_id, b1.status) == (1, None, "scheduled")

    def refused(cls, field, ref="B-2", start=at(2), **fields):
        raises(cls, field, booking, db, ref, start, **fields)
        assert db.bookings.list(ana) == [b1]

    refused(patron.AlreadyExistsError, "external_ref", ref="B-1")
    refused(patron.ValidationError, "party_size", party_size=0)
    refused(patron.ValidationError, "party_size", party_size=10001)
    refused(patron.NotFoundError, "order_external_ref", order_external_ref="nope")
    refused(patron.ValidationError, "status", status="booked")
    refused(patron.ValidationError, "table", table=4)
    refused(patron.ValidationError, "starts_at", starts_at=None)
    refused(patron.ValidationError, "ends_at", ends_at=at(2))
    refused(patron.ValidationError, "ends_at", ends_at=at(1))
    refused(patron.ValidationError, "service", service="")
    assert everyone(db) == [ana]

    b2 = booking(db, "B-2", at(3), status="checked_in").record
    b3 = booking(db, "B-3", at(-1)).record
    assert db.bookings.list(ana) == [b2, b1, b3]  # latest start first
    assert refs(db.bookings.list(ana, statuses=["scheduled"])) == ["B-1", "B-3"]
    assert refs(db.bookings.list(ana, statuses=["checked_in", "no_show"])) == ["B-2"]
    assert refs(db.bookings.list(ana, since=at(0))) == ["B-2", "B-1"]
    assert refs(db.bookings.list(ana, until=at(1))) == ["B-3"]
    assert refs(db.bookings.list(ana, limit=1, offset=1)) == ["B-1"]
    raises(patron.ValidationError, "statuses[0]", db.bookings.list, ana, statuses=["created"])
    raises(patron.NotFoundError, "ref", db.bookings.list, "NOBODY-1")


# --- enquiries ----------------------------------------------------------------------


def test_enquiries(db, ana):
    pushed = db.enquiries.record(customer=dict(email="new.guest@example.org"), source="web", external_ref="Q-1",
                                 channel="web form", subject="Wedding in June", body="Hello,\nwe are 80 guests.")
    assert pushed.customer_match == "created"
    e = pushed.record
    assert isinstance(e, patron.Enquiry)
    guest = db.customers.find_by_email("new.guest@example.org")
    assert guest is not None and guest.id == e.customer
    assert e.to_dict() == {
        "id": 1, "customer": guest.id, "source": "web", "external_ref": "Q-1", "channel": "web form",
        "subject": "Wedding in June", "body": "Hello,\nwe are 80 guests.", "status": "open",
        "received_at": "2024-03-01T12:00:00.123456Z", "created_at": "2024-03-01T12:00:00.123456Z",
        "updated_at": "2024-03-01T12:00:00.123456Z",
    }
    assert e.received_at == T0 and e.received_at.tzinfo is UTC
    assert pushed.to_dict() == {"customer_match": "created", "enquiry": e.to_dict()}
    assert db.enquiries.get(1) == e
    assert db.enquiries.find("web", "Q-1") == e
    assert db.enquiries.find("web", "Q-2") is None
    assert db.enquiries.set_status(e.id, "resolved").status == "resolved"
    assert db.enquiries.set_status(e.id, "open").status == "open"  # reopened
    assert db.enquiries.set_status(e.id, "in_progress").status == "in_progress"
    raises(patron.PreconditionError, "status", db.enquiries.set_status, e.id, "open")
    closed = db.enquiries.set_status(e.id, "closed")
    for to in ["open", "in_progress", "resolved", "closed"]:
        raises(patron.PreconditionError, "status", db.enquiries.set_status, e.id, to)
    raises(patron.ValidationError, "status", db.enquiries.set_status, e.id, "reopened")
    raises(patron.NotFoundError, "id", db.enquiries.set_status, 5, "closed")
    assert db.enquiries.list(guest) == [closed]
    assert db.enquiries.list(ana) == []


def test_enquiry_refusals_and_listing(db, ana):
    def enquiry(ref, **fields):
        args = dict(customer=ana, source="web", external_ref=ref, channel="email")
        args.update(fields)
        return db.enquiries.record(**args)

    q1 = enquiry("Q-1", received_at=at(-1)).record
    assert (q1.subject, q1.body, q1.received_at) == ("", "", at(-1))

    def refused(cls, field, **fields):
        raises(cls, field, enquiry, "Q-2", **fields)
        assert db.enquiries.list(ana) == [q1]

    refused(patron.AlreadyExistsError, "external_ref", external_ref="Q-1")
    refused(patron.ValidationError, "channel", channel="")
    refused(patron.ValidationError, "subject", subject="s" * 301)
    refused(patron.ValidationError, "body", body="b" * 20001)
    refused(patron.ValidationError, "body", body="caf\udcff")  # a lone surrogate: not UTF-8
    refused(patron.ValidationError, "status", status="pending")
    refused(patron.ValidationError, "priority", priority=1)
    q2 = enquiry("Q-2", body="b" * 20000, subject="s" * 300, status="in_progress").record
    assert q2.status == "in_progress" and len(q2.body) == 20000
    assert db.enquiries.list(ana) == [q2, q1]  # newest first
    assert db.enquiries.list(ana, statuses=["open"]) == [q1]
    assert db.enquiries.list(ana, until=at(0)) == [q1]
    raises(patron.ValidationError, "statuses[0]", db.enquiries.list, ana, statuses=["cancelled"])
    raises(patron.ValidationError, "limit", db.enquiries.list, ana, limit=1001)


# --- threads ------------------------------------------------------------------------


def test_concurrent_records_from_threads(db, ana):
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(10):
                order(db, f"T{n}-{i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(db.orders.list(ana, limit=1000)) == 40


def test_history_across_kinds(db, ana):
    first = order(db, "R-1", total=1500, placed_at=at(-3)).record
    booking(db, "B-1", at(-2))
    db.enquiries.record(customer="ANA-01", source="web", external_ref="Q-1", channel="email", subject="Allergies",
                        received_at=at(-1))
    order(db, "R-2", total=900, placed_at=at(-4), status="cancelled")

    def lines(**filters):
        return [f"{r.kind}:{r.external_ref}" for r in db.customers.history("ANA-01", **filters)]

    assert lines() == ["enquiry:Q-1", "booking:B-1", "order:R-1", "order:R-2"]
    assert lines(kinds=["order"]) == ["order:R-1", "order:R-2"]
    assert lines(statuses=["cancelled", "open"]) == ["enquiry:Q-1", "order:R-2"]
    assert lines(since=at(-3), until=at(-1)) == ["booking:B-1", "order:R-1"]
    assert lines(limit=1, offset=1) == ["booking:B-1"]
    row = db.customers.history(ana, kinds=["order"], limit=1)[0]
    assert (row.id, row.total, row.currency, row.status, row.at, row.label) == (first.id, 1500, "GBP", "created",
                                                                                 at(-3), "")
    assert isinstance(row, patron.RecordSummary)
    assert db.customers.history(ana, kinds=["booking"])[0].label == "massage 60"
    raises(patron.ValidationError, "kinds[1]", db.customers.history, ana, kinds=["order", "invoice"])
    raises(patron.ValidationError, "statuses[1]", db.customers.history, ana, statuses=["open", "gone"])
    raises(patron.ValidationError, "until", db.customers.history, ana, since=at(0), until=at(-1))
    raises(patron.NotFoundError, "ref", db.customers.history, "99999")
