"""Credentials from Python (db.credentials, db.identify_credential) on a
file database: exact values, status moves, replacement, validity windows
under the injected clock, identification by credential, and each refusal
with its exception class and field. Mirrors tests/capi/test_capi_credentials.cpp."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import patron
from helpers import H1, H2, MOBILE, MOBILE_E164, T0, T1, UTC, raises, ts


@pytest.fixture
def db(clocked_db):
    return clocked_db


def fields(c):
    """A Credential as a dict of Python values."""
    return dict(id=c.id, kind=c.kind, value=c.value, customer=c.customer, status=c.status, valid_from=c.valid_from,
                valid_until=c.valid_until, label=c.label, wallet=c.wallet, replaces=c.replaces,
                replaced_by=c.replaced_by, created_at=c.created_at, updated_at=c.updated_at)


def card(id, kind, value, customer, status="active", label="", created=T0, updated=T0, **changes):
    out = dict(id=id, kind=kind, value=value, customer=customer, status=status, valid_from=None, valid_until=None,
               label=label, wallet=None, replaces=None, replaced_by=None, created_at=created, updated_at=updated)
    out.update(changes)
    return out


def test_issue_and_read_on_a_file(db, db_path, clock, ana, bo):
    creds = db.credentials
    assert creds.of_customer(ana) == []
    smart = creds.issue("smart_card", "  04A1B2C3 ", customer="ana-01", label="front desk")
    assert isinstance(smart, patron.Credential)
    assert fields(smart) == card(1, "smart_card", "04A1B2C3", ana.id, label="front desk")
    assert smart.created_at.tzinfo is UTC
    assert smart.to_dict() == {"id": 1, "kind": "smart_card", "value": "04A1B2C3", "customer": ana.id,
                               "status": "active", "valid_from": None, "valid_until": None, "label": "front desk",
                               "wallet": None, "replaces": None, "replaced_by": None, "created_at": ts(T0),
                               "updated_at": ts(T0)}
    assert json.loads(smart.to_json()) == smart.to_dict()
    assert "patron.Credential" in repr(smart) and "smart_card" in repr(smart)
    with pytest.raises(AttributeError):
        smart.value = "x"

    clock.advance(minutes=1)
    phone = creds.issue("phone", MOBILE, customer=ana, label=None)
    assert fields(phone) == card(2, "phone", MOBILE_E164, ana.id, created=T1, updated=T1)

    wallet = patron.WalletPass("SER-9", provider="google", pass_type="access")
    assert (wallet.provider, wallet.serial, wallet.pass_type) == ("google", "SER-9", "access")
    assert wallet == patron.WalletPass("SER-9", provider="google", pass_type="access")
    assert hash(wallet) == hash(patron.WalletPass("SER-9", provider="google", pass_type="access"))
    assert wallet != patron.WalletPass("SER-9")
    assert "SER-9" in repr(wallet)
    pass_ = creds.issue("wallet_pass", "PASS-1", customer=bo.id, wallet=wallet, valid_from=H1, valid_until=H2)
    assert fields(pass_) == card(3, "wallet_pass", "PASS-1", bo.id, created=T1, updated=T1, wallet=wallet,
                                 valid_from=H1, valid_until=H2)
    assert pass_.to_dict()["wallet"] == {"provider": "google", "serial": "SER-9", "pass_type": "access"}
    default = patron.WalletPass("S")
    assert (default.provider, default.pass_type) == ("apple", "membership")

    assert creds.get(1) == smart
    assert creds.get(smart) == smart  # a Credential names itself
    assert hash(creds.get(1)) == hash(smart)
    assert creds.of_customer("ANA-01") == [phone, smart]  # newest first
    assert creds.find("smart_card", "04A1B2C3") == [smart]
    assert creds.find("phone", "+44 7400 123456") == [phone]  # normalised as on issue
    assert creds.find("barcode", "04A1B2C3") == []
    assert creds.find("smart_card", "04a1b2c3") == []  # case matters

    assert pass_.usable_at(H1) is True
    assert pass_.usable_at(T0) is False
    assert pass_.usable_at(H2) is False

    with patron.open(db_path) as again:
        assert again.credentials.get(3) == pass_
        assert again.credentials.of_customer(bo) == [pass_]


def test_issue_refusals_write_nothing(db, ana, bo):
    issue = db.credentials.issue
    raises(patron.ValidationError, "kind", issue, "card", "X1", customer=ana)
    raises(patron.ValidationError, "value", issue, "barcode", "   ", customer=ana)
    raises(patron.ValidationError, "value", issue, "barcode", "a\x01b", customer=ana)
    raises(patron.ValidationError, "value", issue, "barcode", "x" * 257, customer=ana)
    raises(patron.ValidationError, "value", issue, "phone", "07700 900123", customer=ana)
    raises(patron.ValidationError, "value", issue, "barcode", "\udcff", customer=ana)
    raises(patron.NotFoundError, "customer", issue, "barcode", "X1", customer="NOBODY-1")
    raises(patron.ValidationError, "customer", issue, "barcode", "X1", customer="!!")
    raises(patron.ValidationError, "label", issue, "barcode", "X1", customer=ana, label="x" * 201)
    raises(patron.ValidationError, "valid_until", issue, "barcode", "X1", customer=ana, valid_from=H1, valid_until=H1)
    raises(patron.ValidationError, "wallet", issue, "barcode", "X1", customer=ana, wallet=patron.WalletPass("S"))
    raises(patron.ValidationError, "wallet", issue, "wallet_pass", "X1", customer=ana)
    raises(patron.ValidationError, "wallet.serial", issue, "wallet_pass", "X1", customer=ana,
           wallet=patron.WalletPass(""))
    raises(patron.ValidationError, "wallet.provider", patron.WalletPass, "S", provider="samsung")
    raises(patron.ValidationError, "wallet.pass_type", patron.WalletPass, "S", pass_type="vip")
    assert db.credentials.of_customer(ana) == []

    issue("barcode", "X1", customer=ana)
    raises(patron.AlreadyExistsError, "value", issue, "barcode", "X1", customer=bo)
    assert issue("qr_code", "X1", customer=bo).kind == "qr_code"  # another kind may hold it

    raises(patron.NotFoundError, "id", db.credentials.get, 99)
    raises(patron.NotFoundError, "ref", db.credentials.of_customer, "NOBODY-1")
    raises(patron.ValidationError, "ref", db.credentials.of_customer, "")
    raises(patron.ValidationError, "kind", db.credentials.find, "card", "X1")
    with pytest.raises(TypeError):
        issue("barcode", "X2", customer=ana, wallet={"serial": "S"})
    with pytest.raises(TypeError):
        issue("barcode", "X2", customer=ana, valid_from="2024-01-01")
    with pytest.raises(TypeError):
        issue("barcode", "X2", ana)  # customer is keyword-only
    with pytest.raises(TypeError):
        issue("barcode", b"X2", customer=ana)
    with pytest.raises(TypeError):
        db.credentials.get("1")


def test_status_moves_and_reuse_of_a_value(db, clock, ana, bo):
    creds = db.credentials
    fob = creds.issue("key_fob", "FOB-7", customer=ana)
    clock.advance(minutes=1)
    blocked = creds.set_status(fob, "blocked")
    assert fields(blocked) == card(1, "key_fob", "FOB-7", ana.id, status="blocked", updated=T1)
    assert creds.set_status(1, "blocked") == blocked  # no change
    assert creds.set_status(1, "lost").status == "lost"
    assert creds.set_status(1, "active").status == "active"  # a found fob works again
    creds.set_status(1, "lost")

    again = creds.issue("key_fob", "FOB-7", customer=bo)
    assert again.id == 2
    raises(patron.AlreadyExistsError, "value", creds.set_status, 1, "active")
    assert creds.get(1).status == "lost"
    assert [c.id for c in creds.find("key_fob", "FOB-7")] == [2, 1]

    raises(patron.ValidationError, "status", creds.set_status, 1, "replaced")
    raises(patron.ValidationError, "status", creds.set_status, 1, "gone")
    raises(patron.NotFoundError, "id", creds.set_status, 99, "lost")

    labelled = creds.set_label(again, "Bo's fob")
    assert labelled.label == "Bo's fob"
    assert creds.set_label(2, None).label == ""
    raises(patron.ValidationError, "label", creds.set_label, 2, "x" * 201)
    raises(patron.NotFoundError, "id", creds.set_label, 99, "x")


def test_replace_links_old_and_new(db, clock, ana, bo):
    creds = db.credentials
    creds.issue("smart_card", "OLD-1", customer=ana, label="desk", valid_until=H2)
    creds.issue("smart_card", "TAKEN", customer=bo)
    clock.advance(minutes=1)
    successor = creds.replace(1, "NEW-1")
    assert fields(successor) == card(3, "smart_card", "NEW-1", ana.id, label="desk", created=T1, updated=T1,
                                     valid_from=T1, valid_until=H2, replaces=1)
    old = creds.get(1)
    assert (old.status, old.replaced_by, old.updated_at) == ("replaced", 3, T1)

    check = db.identify_credential("OLD-1")
    assert isinstance(check, patron.CredentialCheck)
    assert (check.verdict, check.credential, check.customer) == ("replaced", old, None)
    assert not check and check.accepted is False
    assert check.to_dict() == {"verdict": "replaced", "credential": old.to_dict(), "customer": None}
    assert db.identify_credential("NEW-1").verdict == "accepted"

    raises(patron.PreconditionError, "status", creds.replace, 1, "N2")
    raises(patron.PreconditionError, "status", creds.set_status, 1, "active")
    raises(patron.PreconditionError, "status", creds.set_label, 1, "x")
    raises(patron.PreconditionError, "status", creds.set_validity, 1)

    second = creds.replace(successor, "NEW-2", label="", valid_until=None)
    assert (second.label, second.valid_until, second.replaces) == ("", H2, 3)
    raises(patron.AlreadyExistsError, "value", creds.replace, 4, "TAKEN")
    raises(patron.ValidationError, "value", creds.replace, 4, "")
    raises(patron.ValidationError, "wallet", creds.replace, 4, "N3", wallet=patron.WalletPass("S"))
    raises(patron.NotFoundError, "id", creds.replace, 99, "N3")
    assert creds.get(4).status == "active"
    assert len(creds.of_customer(ana)) == 3


def test_validity_windows_and_identification(db, clock, ana):
    creds = db.credentials
    creds.issue("barcode", "BC-1", customer=ana)
    accepted = db.identify_credential("BC-1")
    assert accepted and accepted.accepted
    assert (accepted.verdict, accepted.credential, accepted.customer) == ("accepted", creds.get(1), ana)
    assert "accepted" in repr(accepted)

    found = db.identify("BC-1")
    assert [(m.matched_on, m.credential, m.customer) for m in found] == [("credential", 1, ana)]
    assert db.identify("ANA-01")[0].credential is None
    assert db.identify_ids("BC-1") == [ana.id]

    windowed = creds.set_validity(1, valid_from=H1, valid_until=H2)
    assert (windowed.valid_from, windowed.valid_until) == (H1, H2)
    assert db.identify_credential("BC-1").verdict == "not_yet_valid"
    assert db.identify_credential("BC-1").customer is None
    assert db.identify("BC-1") == []
    assert db.identify_credential("BC-1", at=H1).verdict == "accepted"  # from is inclusive
    assert db.identify_credential("BC-1", at=H2 - dt.timedelta(microseconds=1)).verdict == "accepted"
    assert db.identify_credential("BC-1", at=H2).verdict == "expired"  # until is exclusive
    clock.advance(hours=1)
    assert len(db.identify("BC-1")) == 1
    clock.advance(hours=1)
    assert db.identify_credential("BC-1").verdict == "expired"

    unbounded = creds.set_validity(1)
    assert (unbounded.valid_from, unbounded.valid_until) == (None, None)
    assert db.identify_credential("BC-1").verdict == "accepted"
    creds.set_status(1, "blocked")
    assert db.identify_credential("BC-1").verdict == "blocked"
    creds.set_status(1, "lost")
    lost = db.identify_credential("BC-1")
    assert (lost.verdict, lost.credential.id) == ("lost", 1)
    assert db.identify("BC-1") == []
    unknown = db.identify_credential("NO-SUCH-CARD")
    assert (unknown.verdict, unknown.credential, unknown.customer) == ("unknown", None, None)
    assert unknown.to_dict() == {"verdict": "unknown", "credential": None, "customer": None}

    raises(patron.ValidationError, "valid_until", creds.set_validity, 1, valid_from=H2, valid_until=H1)
    raises(patron.NotFoundError, "id", creds.set_validity, 99)
    raises(patron.ValidationError, "token", db.identify_credential, "")
    with pytest.raises(TypeError):
        db.identify_credential("BC-1", at="noon")
    with pytest.raises(TypeError):
        creds.set_validity(1, valid_from="soon")


def test_credential_holder_hot_path(db, clock, ana):
    creds = db.credentials
    assert db.credential_holder("BC-1") is None
    creds.issue("barcode", "BC-1", customer=ana, valid_until=H2)
    assert db.credential_holder(" BC-1 ") == ana.id
    # Only credentials count: the customer number finds nobody here.
    assert db.credential_holder("ANA-01") is None
    assert db.credential_holder("BC-1", at=H2 - dt.timedelta(microseconds=1)) == ana.id
    assert db.credential_holder("BC-1", at=H2) is None  # expired then
    creds.set_status(1, "lost")
    assert db.credential_holder("BC-1") is None
    raises(patron.ValidationError, "token", db.credential_holder, "")
    raises(patron.ValidationError, "token", db.credential_holder, "\udcff")
    with pytest.raises(TypeError):
        db.credential_holder(b"BC-1")
    with pytest.raises(TypeError):
        db.credential_holder("BC-1", at="noon")


def test_classes_are_exported(db):
    for name in ("Credentials", "Credential", "WalletPass", "CredentialCheck"):
        assert name in patron.__all__
        assert getattr(patron, name).__module__ == "patron"
    assert isinstance(db.credentials, patron.Credentials)
    assert db.credentials is db.credentials
    assert repr(db.credentials).startswith("<patron.Credentials of ")
