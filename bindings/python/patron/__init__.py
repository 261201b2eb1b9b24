"""patron: the customer side of a hospitality or point-of-sale product.

An embeddable customer library: who the customer is, how to recognise them
at a till, a door or a booking form. This package binds patron's C++ API::

    import patron

    with patron.open("crm.db", default_region="GB") as db:
        ana = db.customers.create(first_name="Ana", last_name="Silva",
                                  email="ana@example.com")
        for match in db.identify("ANA@example.com"):
            print(match.matched_on, match.customer.number)
        pushed = db.orders.record(customer=ana, source="pos", external_ref="R-1001",
                                  currency="GBP", total=4200)
        print(pushed.customer_match, pushed.record.id)
        db.analytics.fit_model("GBP")
        print(db.analytics.predict(ana, "GBP").lifetime_value)
        acme = db.companies.create(name="Acme Ltd", domains=["acme.co.uk"])
        print(db.customers.companies(ana))  # linked by email domain
        db.credentials.issue("smart_card", "04A1B2C3", customer=ana)
        db.doors.create("front-gate", "Front gate")
        db.doors.grant(customer=ana, door="front-gate")
        print(db.doors.open("04A1B2C3", "front-gate").allowed)
        with patron.acting_as("jane"):
            db.notes.add(ana, "Prefers the window table", author="jane")
        db.custom_fields.define("vip_level", "VIP level", "select", options=["silver", "gold"])
        db.custom_fields.set(ana, "vip_level", "gold")
        db.purses.top_up(ana, "GBP", 2500, idempotency_key="till-3/41")
        print(db.purses.account(ana, "GBP").balance)  # 2500: int minor units
        db.loyalty.create_program("stars", "Stars", "GBP")  # 1 star per 100 minor units
        db.loyalty.earn(ana, "stars", amount=4250, idempotency_key="till-3/42")
        print(db.loyalty.account(ana, "stars").spendable)  # 42
        db.visits.record_presented("04A1B2C3", "spa")
        print(db.activity.timeline(ana).events[0].action)

The customer model itself (BG/NBD and Gamma-Gamma, fitted on any purchase
summaries) is :mod:`patron.clv`.

Failures raise subclasses of :class:`patron.Error` (see :mod:`patron.errors`).
A :class:`Database` is safe to share between threads; the GIL is released
while the database works.
"""

from __future__ import annotations

from types import GenericAlias as _GenericAlias

from . import clv, errors
from ._patron import (
    AccessDecision,
    ActingAs,
    Activity,
    Address,
    Analytics,
    AppliedCategory,
    Ban,
    Booking,
    Bookings,
    Companies,
    Company,
    CompanyLink,
    Connection,
    Connections,
    Credential,
    CredentialCheck,
    Credentials,
    CurrencyTotals,
    CustomFields,
    Customer,
    Customers,
    CustomerStats,
    Database,
    Document,
    Documents,
    Door,
    DuplicateCandidate,
    DuplicatePair,
    Duplicates,
    Doors,
    BackupReport,
    CheckProblem,
    CheckReport,
    CurrencyTotal,
    DatabaseStats,
    ProgramTotal,
    ExportReport,
    Exports,
    ImportReport,
    Imports,
    PossibleDuplicateRow,
    RejectedRow,
    SameAsRow,
    EffectiveMembership,
    Email,
    EmergencyContact,
    Enquiries,
    Enquiry,
    Event,
    EventPage,
    ExpiryRun,
    FieldChange,
    FieldComparison,
    FieldDefinition,
    Identification,
    InferenceReport,
    Loyalty,
    Membership,
    Memberships,
    MergeResult,
    MatchModel,
    ModelFit,
    Neighbour,
    Note,
    NoteHit,
    NoteRevision,
    Notes,
    Order,
    OrderItem,
    Orders,
    Payment,
    Permission,
    Phone,
    Plan,
    PointsAccount,
    PointsEntry,
    PointsLot,
    Prediction,
    Program,
    PromotionCategory,
    Promotions,
    PurseAccount,
    PurseEntry,
    Purses,
    Pushed,
    Quote,
    RecordSummary,
    Referral,
    Resolution,
    ScanResult,
    Reward,
    RfmScore,
    Tier,
    TierChange,
    TierEvaluation,
    TierProgress,
    Visit,
    Visits,
    Consent,
    ConsentEntry,
    ConsentState,
    ConsentPurpose,
    ReachablePage,
    ContactPreferences,
    WalletPass,
    __version__,
    acting_as,
    open,
)
from .errors import (
    AlreadyExistsError,
    ConflictError,
    Error,
    InternalError,
    NotFoundError,
    PreconditionError,
    StorageError,
    ValidationError,
)

__all__ = [
    "open",
    "Database",
    "Customers",
    "Customer",
    "Email",
    "Phone",
    "Address",
    "EmergencyContact",
    "Ban",
    "Identification",
    "MergeResult",
    "MatchModel",
    "Resolution",
    "ScanResult",
    "Orders",
    "Order",
    "OrderItem",
    "Payment",
    "Bookings",
    "Booking",
    "Enquiries",
    "Enquiry",
    "RecordSummary",
    "Pushed",
    "Analytics",
    "CustomerStats",
    "CurrencyTotals",
    "RfmScore",
    "ModelFit",
    "Prediction",
    "Companies",
    "Company",
    "CompanyLink",
    "Memberships",
    "Plan",
    "Membership",
    "EffectiveMembership",
    "Credentials",
    "Credential",
    "WalletPass",
    "CredentialCheck",
    "Doors",
    "Door",
    "DuplicateCandidate",
    "DuplicatePair",
    "Duplicates",
    "Imports",
    "ImportReport",
    "Exports",
    "ExportReport",
    "BackupReport",
    "CheckReport",
    "CheckProblem",
    "DatabaseStats",
    "CurrencyTotal",
    "ProgramTotal",
    "RejectedRow",
    "SameAsRow",
    "PossibleDuplicateRow",
    "Permission",
    "AccessDecision",
    "Connections",
    "Connection",
    "Referral",
    "Neighbour",
    "InferenceReport",
    "Activity",
    "Event",
    "EventPage",
    "FieldChange",
    "FieldComparison",
    "acting_as",
    "ActingAs",
    "Notes",
    "Note",
    "NoteRevision",
    "NoteHit",
    "Documents",
    "Document",
    "CustomFields",
    "FieldDefinition",
    "Purses",
    "PurseAccount",
    "PurseEntry",
    "Loyalty",
    "Program",
    "Tier",
    "Reward",
    "PointsAccount",
    "PointsEntry",
    "PointsLot",
    "TierChange",
    "TierProgress",
    "TierEvaluation",
    "ExpiryRun",
    "Promotions",
    "PromotionCategory",
    "AppliedCategory",
    "Quote",
    "Visits",
    "Visit",
    "Consent",
    "ConsentEntry",
    "ConsentState",
    "ConsentPurpose",
    "ReachablePage",
    "ContactPreferences",
    "Error",
    "ValidationError",
    "NotFoundError",
    "AlreadyExistsError",
    "ConflictError",
    "PreconditionError",
    "StorageError",
    "InternalError",
    "errors",
    "clv",
    "__version__",
]

# The classes live in the compiled module; present them as patron.X.
for _obj in (Address, Analytics, Ban, Booking, Bookings, Companies, Company, CompanyLink, CurrencyTotals, Customer,
             Customers, CustomerStats, Database, Email, EmergencyContact, Enquiries, Enquiry, Identification, ModelFit,
             Order, OrderItem, Orders, Payment, Phone, Prediction, Pushed, RecordSummary, RfmScore, Plan, Membership,
             EffectiveMembership, Memberships, Credentials, Credential, WalletPass, CredentialCheck, Doors, Door,
             Permission, AccessDecision, Connections, Connection, Referral, Neighbour, InferenceReport, Activity, Event,
             EventPage, FieldChange, ActingAs, Notes, Note, NoteRevision, NoteHit, Documents, Document, CustomFields,
             FieldDefinition, Purses, PurseAccount, PurseEntry, Loyalty, Program, Tier, Reward, PointsAccount,
             PointsEntry, PointsLot, TierChange, TierProgress, TierEvaluation, ExpiryRun, Promotions, PromotionCategory,
             AppliedCategory, Quote, Visits, Visit, Consent, ConsentEntry, ConsentState, ConsentPurpose,
             ReachablePage, ContactPreferences, Duplicates, DuplicateCandidate, DuplicatePair, FieldComparison,
             ScanResult, MatchModel, Imports, ImportReport, Exports, ExportReport, RejectedRow, SameAsRow, PossibleDuplicateRow,
             BackupReport, CheckReport, CheckProblem, DatabaseStats, CurrencyTotal, ProgramTotal):
    _obj.__module__ = __name__
del _obj

# Pushed is generic in the stubs (Pushed[Order]); let annotations evaluated at
# run time subscript it too.
Pushed.__class_getitem__ = classmethod(lambda cls, item: _GenericAlias(cls, item))  # type: ignore[attr-defined]
