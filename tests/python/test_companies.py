"""Companies from Python (db.companies, db.customers.companies) on a file
database: exact values, domains reduced to their registrable domain,
automatic links by email domain (new and existing customers, sub-domains),
manual links, each refusal with its exception class and field, and
free-mail domains from patron.open(). Mirrors
tests/capi/test_capi_companies.cpp."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import patron
from helpers import UTC, raises

T0 = dt.datetime(2024, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)  # FakeClock's start
T1 = T0 + dt.timedelta(minutes=1)


@pytest.fixture
def db(clocked_db):
    return clocked_db


@pytest.fixture
def ana(db):
    return db.customers.create(first_name="Ana", last_name="Silva", email="ana@eu.acme.co.uk", number="ANA-01")


@pytest.fixture
def bo(db):
    return db.customers.create(first_name="Bo", last_name="Berg", email="bo@acme.com", number="BO-01")


def domain_link(company, customer, domain, at=T0):
    return dict(company=company, customer=customer.id, source="email_domain", role="", billing=False,
                domain=domain, linked_at=at)


def manual_link(company, customer, role, billing, at=T0):
    return dict(company=company, customer=customer.id, source="manual", role=role, billing=billing, domain="",
                linked_at=at)


def fields(link):
    """A CompanyLink as a dict of Python values (datetimes, not text)."""
    return dict(company=link.company, customer=link.customer, source=link.source, role=link.role,
                billing=link.billing, domain=link.domain, linked_at=link.linked_at)


def links(items):
    return [fields(x) for x in items]


# --- companies ----------------------------------------------------------------------


def test_create_get_update_search_on_a_file(db, db_path, clock):
    acme = db.companies.create(name="Acme Ltd", sector="hospitality", contact_person="Rui Costa", notes="pays late",
                               domains=["EU.Acme.co.uk", "acme.com", "rui@shop.acme.org"])
    assert isinstance(acme, patron.Company)
    assert (acme.id, acme.name, acme.sector, acme.contact_person, acme.notes) == (
        1, "Acme Ltd", "hospitality", "Rui Costa", "pays late")
    assert acme.domains == ["acme.co.uk", "acme.com", "acme.org"]
    assert acme.created_at == T0 and acme.created_at.tzinfo is UTC
    assert acme.updated_at == T0
    assert db.companies.get(1) == acme
    assert db.companies.get(acme) == acme  # a Company names itself

    zeta = db.companies.create(name="Zeta", sector=None, domains=None)
    assert (zeta.id, zeta.sector, zeta.contact_person, zeta.notes, zeta.domains) == (2, "", "", "", [])

    clock.advance(minutes=1)
    changed = db.companies.update(1, sector="law", notes=None)
    assert (changed.sector, changed.notes, changed.name) == ("law", "", "Acme Ltd")
    assert changed.updated_at == T1 and changed.created_at == T0
    assert changed != acme and changed.id == acme.id
    assert db.companies.update(acme).sector == "law"  # nothing to change

    assert db.companies.search() == [changed, zeta]
    assert db.companies.search("ACM") == [changed]
    assert db.companies.search("zé") == [zeta]
    assert db.companies.search("cme") == []
    assert db.companies.search("", limit=1, offset=1) == [zeta]
    raises(patron.ValidationError, "limit", db.companies.search, "", limit=0)
    raises(patron.ValidationError, "limit", db.companies.search, "", limit=1001)

    db.close()
    with patron.open(db_path) as again:
        assert again.companies.get(1) == changed
        assert again.companies.get(2) == zeta


def test_company_value_forms(db):
    acme = db.companies.create(name="Acme Ltd", domains=["acme.co.uk"])
    d = acme.to_dict()
    assert d == {"id": 1, "name": "Acme Ltd", "sector": "", "contact_person": "", "notes": "",
                 "domains": ["acme.co.uk"], "created_at": "2024-03-01T12:00:00.123456Z",
                 "updated_at": "2024-03-01T12:00:00.123456Z"}
    assert json.loads(acme.to_json()) == d
    assert "\n" in acme.to_json(indent=2)
    assert hash(db.companies.get(1)) == hash(acme) and len({acme, db.companies.get(1)}) == 1
    r = repr(acme)
    assert r.startswith("<patron.Company 1 ") and "'Acme Ltd'" in r and "acme.co.uk" in r
    assert "Companies" in repr(db.companies)
    assert patron.Company.__module__ == "patron" and patron.CompanyLink.__module__ == "patron"
    with pytest.raises(AttributeError):
        acme.name = "X"
    acme.domains.append("mutating a returned list")
    assert acme.domains == ["acme.co.uk"]
    with pytest.raises(TypeError):
        patron.Company()
    assert acme != "Acme Ltd"


def test_registrable_domains_and_refusals(db, ana, bo):
    c = db.companies
    assert c.registrable_domain("eu.acme.co.uk") == "acme.co.uk"
    assert c.registrable_domain("acme.co.uk") == "acme.co.uk"
    assert c.registrable_domain("ana@eu.acme.co.uk") == "acme.co.uk"
    assert c.registrable_domain("Mail.ACME.com") == "acme.com"
    for refused in ["co.uk", "uk", "gmail.com", "mail.gmail.com", "ana@gmail.com", "outlook.com", "icloud.com",
                    "yahoo.co.uk", "", "not a domain"]:
        raises(patron.ValidationError, "domain", c.registrable_domain, refused)

    acme = c.create(name="Acme", domains=["acme.co.uk"])
    raises(patron.ValidationError, "domain", c.add_domain, 1, "co.uk")
    raises(patron.ValidationError, "domain", c.add_domain, 1, "gmail.com")
    raises(patron.ValidationError, "domain", c.add_domain, 1, "bo@hotmail.com")
    other = c.create(name="Other")
    raises(patron.AlreadyExistsError, "domain", c.add_domain, other, "acme.co.uk")
    raises(patron.AlreadyExistsError, "domain", c.add_domain, other, "shop.ACME.co.uk")
    raises(patron.NotFoundError, "id", c.add_domain, 999, "fresh.com")
    err = raises(patron.ValidationError, "domains[1]", c.create, name="New", domains=["new.com", "gmail.com"])
    assert "gmail.com" in str(err)
    raises(patron.ValidationError, "domains[0]", c.create, name="New", domains=["co.uk"])
    raises(patron.AlreadyExistsError, "domains[0]", c.create, name="New", domains=["eu.acme.co.uk"])
    assert len(c.search()) == 2
    assert c.get(1) == acme and c.get(2).domains == []

    assert c.find_by_domain("acme.co.uk") == acme
    assert c.find_by_domain("eu.acme.co.uk") == acme
    assert c.find_by_domain("rui@shop.acme.co.uk") == acme
    assert c.find_by_domain("acme.com") is None


def test_emails_link_customers_automatically(db, db_path, clock, ana, bo):
    c = db.companies
    c.create(name="Acme", domains=["acme.co.uk"])  # Ana's email is at a sub-domain
    ana_links = db.customers.companies("ANA-01")
    assert all(isinstance(x, patron.CompanyLink) for x in ana_links)
    assert links(ana_links) == [domain_link(1, ana, "acme.co.uk")]
    assert ana_links[0].linked_at.tzinfo is UTC
    assert db.customers.companies(bo) == []

    clock.advance(minutes=1)
    assert c.add_domain(1, "acme.com") == 1
    assert links(db.customers.companies("BO-01")) == [domain_link(1, bo, "acme.com", T1)]
    assert c.get(1).domains == ["acme.co.uk", "acme.com"]
    assert c.get(1).updated_at == T1
    raises(patron.AlreadyExistsError, "domain", c.add_domain, 1, "ACME.com")  # it has it already

    cy = db.customers.create(email="cy@sales.acme.co.uk", number="CY-01")
    assert links(db.customers.companies("CY-01")) == [domain_link(1, cy, "acme.co.uk", T1)]
    di = db.customers.create(email="di@gmail.com", number="DI-01")
    assert db.customers.companies("DI-01") == []
    db.customers.add_email("DI-01", "di@acme.com")
    assert links(db.customers.companies(di)) == [domain_link(1, di, "acme.com", T1)]

    assert links(c.customers(1)) == [domain_link(1, ana, "acme.co.uk"), domain_link(1, bo, "acme.com", T1),
                                     domain_link(1, cy, "acme.co.uk", T1), domain_link(1, di, "acme.com", T1)]
    assert links(c.customers(1, limit=2, offset=1)) == [domain_link(1, bo, "acme.com", T1),
                                                        domain_link(1, cy, "acme.co.uk", T1)]
    raises(patron.ValidationError, "limit", c.customers, 1, limit=0)

    db.customers.remove_email("DI-01", "di@acme.com")
    assert db.customers.companies("DI-01") == []

    assert c.remove_domain(1, "acme.com") == 1
    assert db.customers.companies("BO-01") == []
    assert c.get(1).domains == ["acme.co.uk"]
    raises(patron.NotFoundError, "domain", c.remove_domain, 1, "acme.com")

    c.create(name="Beta", domains=["beta.org"])
    db.customers.add_email("ANA-01", "ana@beta.org")
    assert links(db.customers.companies("ANA-01")) == [domain_link(1, ana, "acme.co.uk"),
                                                       domain_link(2, ana, "beta.org", T1)]

    db.close()
    with patron.open(db_path) as again:
        assert links(again.companies.customers(2)) == [domain_link(2, ana, "beta.org", T1)]


def test_manual_links_have_a_role_and_survive_domains(db, clock, ana, bo):
    c = db.companies
    c.create(name="Acme", domains=["acme.com"])  # links Bo by email
    billing = c.link(1, "bo-01", role="billing contact", billing=True)
    assert isinstance(billing, patron.CompanyLink)
    assert fields(billing) == manual_link(1, bo, "billing contact", True)
    assert billing.to_dict() == {"company": 1, "customer": bo.id, "source": "manual", "role": "billing contact",
                                 "billing": True, "domain": "", "linked_at": "2024-03-01T12:00:00.123456Z"}
    assert json.loads(billing.to_json()) == billing.to_dict()
    r = repr(billing)
    assert "manual" in r and "'billing contact'" in r and bo.id in r

    clock.advance(minutes=1)
    employee = c.link(1, bo, role=None)
    assert (employee.source, employee.role, employee.billing) == ("manual", "", False)
    both = db.customers.companies("BO-01")
    assert sorted(x.source for x in both) == ["email_domain", "manual"]
    email_link = next(x for x in both if x.source == "email_domain")
    assert "acme.com" in repr(email_link)
    assert hash(email_link) == hash(next(x for x in c.customers(1) if x.source == "email_domain"))

    assert c.remove_domain(1, "acme.com") == 1
    assert db.customers.companies("BO-01") == [employee]
    assert c.customers(1) == [employee]

    owner = c.link(1, "ANA-01", "owner")
    assert fields(owner) == manual_link(1, ana, "owner", False, T1)
    assert c.customers(1) == [owner, employee]

    assert c.unlink(1, "ANA-01") is None
    assert db.customers.companies("ANA-01") == []
    raises(patron.NotFoundError, "ref", c.unlink, 1, "ANA-01")
    c.add_domain(1, "acme.com")
    c.link(1, "BO-01", "employee")
    c.unlink(1, bo)
    assert links(db.customers.companies("BO-01")) == [domain_link(1, bo, "acme.com", T1)]


def test_refusals_name_the_field_and_write_nothing(db, ana):
    c = db.companies
    acme = c.create(name="Acme", domains=["acme.com"])

    raises(patron.NotFoundError, "id", c.get, 999)
    raises(patron.NotFoundError, "id", c.update, 999, name="X")
    raises(patron.NotFoundError, "id", c.customers, 999)
    raises(patron.NotFoundError, "id", c.link, 999, "ANA-01", "x")
    raises(patron.NotFoundError, "id", c.unlink, 999, "ANA-01")
    raises(patron.NotFoundError, "id", c.remove_domain, 999, "acme.com")

    raises(patron.NotFoundError, "ref", c.link, 1, "NOBODY-1")
    raises(patron.NotFoundError, "ref", db.customers.companies, "NOBODY-1")
    raises(patron.ValidationError, "ref", c.link, 1, "")
    raises(patron.ValidationError, "ref", c.unlink, 1, "")
    raises(patron.ValidationError, "ref", db.customers.companies, "")

    err = raises(patron.ValidationError, "website", c.create, name="X", website="x.com")
    assert "unknown field" in str(err)
    raises(patron.ValidationError, "name", c.create, sector="law")
    raises(patron.ValidationError, "name", c.update, 1, name="")
    raises(patron.ValidationError, "domains", c.update, 1, domains=["b.com"])
    raises(patron.ValidationError, "colour", c.update, 1, colour="red")

    with pytest.raises(TypeError, match="name"):
        c.create(name=7)
    with pytest.raises(TypeError, match="domains"):
        c.create(name="X", domains="x.com")  # a bare str is not a list of domains
    with pytest.raises(TypeError, match="domains"):
        c.create(name="X", domains=[1])
    with pytest.raises(TypeError, match="id"):
        c.get("1")
    with pytest.raises(TypeError, match="id"):
        c.get(True)
    with pytest.raises(TypeError, match="billing"):
        c.link(1, "ANA-01", billing=1)
    with pytest.raises(TypeError, match="domain"):
        c.add_domain(1, b"acme.org")
    raises(patron.ValidationError, "domain", c.add_domain, 1, "\udcff.com")

    assert c.search() == [acme]
    assert c.get(1) == acme
    assert db.customers.companies(ana) == []


def test_free_mail_domains_from_open(db_path):
    # Reduced to registrable domains: "mail.bigisp.net" refuses bigisp.net.
    with patron.open(db_path, free_mail_domains=("corpmail.org", "mail.bigisp.net")) as db:
        db.companies.create(name="Acme")
        for refused in ["bigisp.net", "ana@eu.bigisp.net", "corpmail.org", "gmail.com"]:
            raises(patron.ValidationError, "domain", db.companies.add_domain, 1, refused)
        raises(patron.ValidationError, "domain", db.companies.registrable_domain, "bigisp.net")
    with patron.open(db_path) as db:
        assert db.companies.add_domain(1, "bigisp.net") == 0
    with pytest.raises(TypeError, match="free_mail_domains"):
        patron.open(db_path, free_mail_domains="bigisp.net")
    with pytest.raises(TypeError, match=r"free_mail_domains\[1\]"):
        patron.open(db_path, free_mail_domains=["bigisp.net", None])
    raises(patron.ValidationError, "free_mail_domains[1]", patron.open, db_path,
           free_mail_domains=["bigisp.net", "co.uk"])
