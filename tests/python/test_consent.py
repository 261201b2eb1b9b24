"""Consent from Python (db.consent) on a file database: grants and
withdrawals and the state that follows, opt-out service messages, double
opt-in tokens, the suppression list, host purposes, reachable pages,
contact preferences, merges, and each refusal with its exception class and
field, leaving the log as it was. Mirrors tests/cpp/test_consent.cpp."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest

import patron
from helpers import T0, T1, raises, ts


@pytest.fixture
def db(clocked_db):
    return clocked_db


def logged(db_path):
    with sqlite3.connect(db_path) as c:
        return c.execute("SELECT count(*) FROM consent_log").fetchone()[0]


def test_grant_withdraw_and_state(db, clock, ana, bo):
    consent = db.consent
    assert isinstance(consent, patron.Consent)
    assert consent.can_contact(ana, "email", "marketing") is False
    with patron.acting_as("front-desk:maria"):
        e = consent.grant(ana, "email", "marketing", legal_basis="consent", source="till", text_version="v3",
                          evidence="paper form 42")
    assert isinstance(e, patron.ConsentEntry)
    assert e.to_dict() == {
        "id": 1, "customer": ana.id, "channel": "email", "purpose": "marketing", "status": "granted",
        "legal_basis": "consent", "source": "till", "text_version": "v3", "evidence": "paper form 42",
        "recorded_by": "front-desk:maria", "at": ts(T0), "expires_at": None, "confirms": None,
    }
    assert (e.status, e.legal_basis, e.recorded_by, e.at, e.token) == ("granted", "consent", "front-desk:maria", T0,
                                                                        None)
    assert json.loads(e.to_json()) == e.to_dict()
    assert consent.can_contact(ana, "email", "marketing") is True
    assert consent.can_contact(ana.number, "email", "marketing") is True
    assert consent.can_contact(bo, "email", "marketing") is False
    assert consent.can_contact(bo, "email", "service") is True

    clock.now = T1
    w = consent.withdraw("ANA-01", "email", "marketing", source="email_link")
    assert (w.status, w.legal_basis, w.at) == ("withdrawn", None, T1)
    assert consent.can_contact(ana, "email", "marketing") is False
    [s] = consent.state(ana)
    assert (s.channel, s.purpose, s.status, s.can_contact, s.entry, s.since) == (
        "email", "marketing", "withdrawn", False, w.id, T1)
    assert consent.history(ana) == [w, e]
    assert consent.history(ana, limit=1, offset=1) == [e]
    event = db.activity.timeline(ana, limit=1).events[0]
    assert event.action == "consent.withdrawn"
    assert event.type == "compliance"


def test_refusals_name_the_field_and_write_nothing(db, db_path, ana):
    consent = db.consent
    before = logged(db_path)
    raises(patron.ValidationError, "channel", consent.grant, ana, "fax", "marketing", legal_basis="consent",
           source="x")
    raises(patron.NotFoundError, "purpose", consent.grant, ana, "email", "newsletter", legal_basis="consent",
           source="x")
    raises(patron.ValidationError, "purpose", consent.grant, ana, "email", "Mark eting", legal_basis="consent",
           source="x")
    err = raises(patron.ValidationError, "legal_basis", consent.grant, ana, "email", "marketing", source="till")
    assert "legal basis" in str(err)
    raises(patron.ValidationError, "legal_basis", consent.grant, ana, "email", "marketing", legal_basis="whim",
           source="x")
    raises(patron.ValidationError, "source", consent.grant, ana, "email", "marketing", legal_basis="consent")
    raises(patron.ValidationError, "valid_for", consent.grant, ana, "email", "marketing", legal_basis="consent",
           source="x", double_opt_in=True, valid_for=dt.timedelta(seconds=10))
    # A timedelta too large for microseconds in 64 bits is out of range, never wrapped.
    raises(patron.ValidationError, "valid_for", consent.grant, ana, "email", "marketing", legal_basis="consent",
           source="x", double_opt_in=True, valid_for=dt.timedelta(days=213503983))
    raises(patron.ValidationError, "text_version", consent.grant, ana, "email", "marketing", legal_basis="consent",
           source="x", text_version="v" * 65)
    raises(patron.NotFoundError, "customer", consent.grant, "NOBODY-1", "email", "marketing",
           legal_basis="consent", source="x")
    raises(patron.ValidationError, "source", consent.withdraw, ana, "email", "marketing")
    raises(patron.NotFoundError, "purpose", consent.can_contact, ana, "email", "nope")
    raises(patron.ValidationError, "customer", consent.can_contact, "no such!", "email", "marketing")
    with pytest.raises(TypeError):
        consent.grant(ana, "email", "marketing", "consent")  # keywords only
    assert logged(db_path) == before


def test_double_opt_in(db, db_path, clock, ana):
    consent = db.consent
    req = consent.grant(ana, "email", "marketing", legal_basis="consent", source="web_form", double_opt_in=True,
                        valid_for=dt.timedelta(hours=1))
    assert (req.status, req.expires_at) == ("pending", T0 + dt.timedelta(hours=1))
    assert len(req.token) == 64
    assert consent.history(ana)[0].token is None
    assert consent.can_contact(ana, "email", "marketing") is False
    clock.now = T1
    ok = consent.confirm(req.token)
    assert (ok.status, ok.confirms, ok.at) == ("granted", req.id, T1)
    assert consent.can_contact(ana, "email", "marketing") is True
    before = logged(db_path)
    raises(patron.PreconditionError, "token", consent.confirm, req.token)
    raises(patron.NotFoundError, "token", consent.confirm, "0" * 64)
    raises(patron.ValidationError, "token", consent.confirm, "abc")
    assert logged(db_path) == before

    late = consent.grant(ana, "sms", "marketing", legal_basis="consent", source="web_form", double_opt_in=True,
                         valid_for=60)
    clock.now = T1 + dt.timedelta(minutes=2)
    assert "expired" in str(raises(patron.PreconditionError, "token", consent.confirm, late.token))


def test_suppression(db, ana, bo):
    consent = db.consent
    consent.withdraw(ana, "email", "marketing", source="email_link")
    assert consent.is_suppressed("email", "Ana@Example.com") is True
    assert consent.is_suppressed("email", "ana@example.com", "profiling") is False
    err = raises(patron.PreconditionError, "channel", consent.grant, ana, "email", "marketing",
                 legal_basis="consent", source="import")
    assert "only the person can grant it anew" in str(err)
    consent.grant(ana, "email", "marketing", legal_basis="consent", source="till", reaffirmed=True)
    assert consent.is_suppressed("email", "ana@example.com") is False

    consent.suppress("email", "bo@example.org")
    raises(patron.PreconditionError, "channel", consent.grant, bo, "email", "marketing", legal_basis="consent",
           source="web_form")
    raises(patron.ValidationError, "channel", consent.suppress, "post", "1 High Street")
    raises(patron.ValidationError, "address", consent.suppress, "email", "not an email")


def test_purposes_and_reachable_pages(db, ana, bo):
    consent = db.consent
    p = consent.define_purpose("wine-club", "Wine club tastings")
    assert p.to_dict() == {"name": "wine-club", "description": "Wine club tastings", "opt_out": False,
                           "built_in": False}
    raises(patron.AlreadyExistsError, "name", consent.define_purpose, "wine-club", "again")
    assert [q.name for q in consent.purposes()] == ["marketing", "profiling", "service", "third_party",
                                                     "wine-club"]
    consent.grant(ana, "email", "wine-club", legal_basis="consent", source="till")
    consent.grant(bo, "email", "wine-club", legal_basis="consent", source="till")
    low, high = sorted([ana.id, bo.id])  # pages go by id; the cursor is the last id of a page
    first = consent.reachable("email", "wine-club", limit=1)
    assert (first.customers, len(first), first.next) == ([low], 1, low)
    second = consent.reachable("email", "wine-club", after=first.next, limit=1)
    assert (second.customers, second.next) == ([high], None)  # full, and the last
    assert consent.reachable("sms", "service").customers == [low, high]
    raises(patron.ValidationError, "after", consent.reachable, "email", "wine-club", after="x")
    raises(patron.ValidationError, "limit", consent.reachable, "email", "wine-club", limit=0)


def test_contact_preferences(db, ana):
    consent = db.consent
    empty = consent.preferences(ana)
    assert (empty.channel, empty.language, empty.time_zone, empty.windows) == (None, "", "", [])
    p = consent.set_preferences(ana, channel="sms", language="EN-gb", time_zone="US/Pacific",
                                windows=[{"days": ["fri", "mon"], "from": "09:00", "to": "12:30"}])
    assert p.to_dict() == {"channel": "sms", "language": "en-GB", "time_zone": "America/Los_Angeles",
                           "windows": [{"days": ["mon", "fri"], "from": "09:00", "to": "12:30"}]}
    assert consent.preferences(ana) == p
    raises(patron.ValidationError, "language", consent.set_preferences, ana, language="not a language!")
    raises(patron.ValidationError, "time_zone", consent.set_preferences, ana, time_zone="Mars/Olympus")
    raises(patron.ValidationError, "windows[0].to", consent.set_preferences, ana,
           windows=[{"days": ["mon"], "from": "10:00", "to": "09:00"}])
    raises(patron.ValidationError, "windows[0].days[0]", consent.set_preferences, ana,
           windows=[{"days": ["funday"], "from": "10:00", "to": "11:00"}])
    raises(patron.ValidationError, "windows[0].colour", consent.set_preferences, ana,
           windows=[{"days": ["mon"], "colour": "red"}])
    raises(patron.ValidationError, "channel", consent.set_preferences, ana, channel="fax")
    assert consent.preferences(ana) == p


def test_a_merge_carries_consent(db, ana, bo):
    consent = db.consent
    consent.grant(bo, "email", "marketing", legal_basis="consent", source="till")
    consent.grant(bo, "sms", "marketing", legal_basis="consent", source="till", evidence="paper form 42")
    consent.withdraw(ana, "sms", "marketing", source="sms_stop")  # newer: Ana's stands
    result = db.customers.merge(ana, bo, by="staff:lee")
    assert result.moved["consent_states"] == 1
    assert consent.can_contact(ana, "email", "marketing") is True
    assert consent.can_contact(bo.id, "email", "marketing") is True
    assert consent.can_contact(bo.id, "sms", "marketing") is False  # Bo's id leads to Ana's states
    history = consent.history(ana)
    assert history[0].source == "merge"
    # The absorbed customer's own log is part of the survivor's proof.
    assert [(e.customer, e.evidence) for e in history if e.source == "till" and e.channel == "sms"] == [
        (bo.id, "paper form 42")]


def test_check_compares_the_states_with_the_log(db, db_path, ana):
    db.consent.grant(ana, "email", "marketing", legal_basis="consent", source="till")
    assert db.check().ok
    with sqlite3.connect(db_path) as c:
        c.execute("UPDATE consent_current SET status = 'withdrawn'")
    report = db.check()
    assert not report.ok
    [problem] = report.problems
    assert (problem.check, problem.detail) == (
        "consent_state",
        f"customer {ana.id} email/marketing: the log gives entry 1 (granted), the state holds entry 1 (withdrawn)")
