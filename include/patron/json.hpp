// JSON forms of patron's records: what the C ABI speaks, and what a C++
// host can use to log or ship a record.
//
// Encoding is total; decoding validates shape and types and throws
// Error(invalid_argument) naming the offending field ("addresses[1].country").
// Business rules (valid email, phone, country) are checked by the services.
// The schema is documented in capi/include/patron.h.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/activity.hpp"
#include "patron/analytics.hpp"
#include "patron/companies.hpp"
#include "patron/connections.hpp"
#include "patron/consent.hpp"
#include "patron/privacy.hpp"
#include "patron/credentials.hpp"
#include "patron/database.hpp"
#include "patron/custom_fields.hpp"
#include "patron/customer.hpp"
#include "patron/documents.hpp"
#include "patron/doors.hpp"
#include "patron/duplicates.hpp"
#include "patron/exports.hpp"
#include "patron/imports.hpp"
#include "patron/loyalty.hpp"
#include "patron/memberships.hpp"
#include "patron/merge.hpp"
#include "patron/notes.hpp"
#include "patron/orders.hpp"
#include "patron/promotions.hpp"
#include "patron/purses.hpp"
#include "patron/visits.hpp"

namespace patron::json {

std::string encode(const Customer& customer);
std::string encode(const std::vector<Customer>& customers);
std::string encode(const std::vector<Identification>& matches);

// The whole database. A backup: {"path", "bytes", "schema_version"}. A
// check: {"ok", "quick", "customers", "purse_accounts", "points_accounts",
// "problems": [{"check": "integrity|foreign_keys|purse_balance|
// points_balance", "detail"}]}.
std::string encode(const BackupReport& report);
std::string encode(const CheckReport& report);
// {"schema_version", "file_bytes", "customers", "merged", "banned",
// "with_email", "with_phone", "companies", "memberships", "credentials",
// "orders", "bookings", "enquiries", "visits", "notes", "documents",
// "events", "purses": [{"currency", "accounts", "balance"}], "points":
// [{"program", "accounts", "points"}]}.
std::string encode(const DatabaseStats& stats);

// The type of each custom field by key (see decode_new_customer and
// decode_custom_value).
using FieldTypes = std::map<std::string, FieldType, std::less<>>;
FieldTypes field_types(const std::vector<FieldDefinition>& definitions);

// A new customer's "custom_fields" object ({"vip_level": "gold", ...}) is
// decoded with `types`: each value as decode_custom_value() reads it for its
// field's type; a key not in `types` is read by its JSON type alone (and
// refused by the service when no such field is defined).
NewCustomer decode_new_customer(std::string_view text, const FieldTypes& types = {});
std::vector<NewCustomer> decode_new_customers(std::string_view text, const FieldTypes& types = {});
CustomerUpdate decode_customer_update(std::string_view text);

// Merges. Options: {"by", "take": [field, ...], "dry_run"}; unknown keys are
// refused. A result: {"customer": {...}, "absorbed", "absorbed_number",
// "moved": {kind: count}, "filled": [...], "taken": [...], "dry_run",
// "event"}. A resolution: {"id", "number", "merged_from": id|null,
// "merged_from_number": text|null}, or null for nobody.
MergeOptions decode_merge_options(std::string_view text);
std::string encode(const MergeResult& result);
std::string encode(const std::optional<CustomerResolution>& resolution);

// Duplicates. Options: similar {"min_probability", "limit"}, scan
// {"min_probability", "offset", "limit"}, train {"by", "random_pairs",
// "max_iterations", "seed"}; absent members keep their defaults, unknown
// keys are refused (an empty text is all defaults, except for train). A
// probe is a new customer's document. An explanation: {"probability",
// "weight", "prior_weight", "fields": [{"field", "level", "weight", "m",
// "u", "term_frequency": number|null}, ...]}; a candidate adds "customer",
// "number", "first_name", "last_name"; a pair adds "a" and "b". A scan:
// {"pairs": [...], "clusters": [[id, ...], ...], "total_pairs",
// "candidate_pairs", "customers"}. A model: {"prior", "fields": [{"field",
// "levels": [{"level", "m", "u"}, ...]}, ...], "trained_at": time|null,
// "trained_by", "profiles", "candidate_pairs", "random_pairs",
// "labelled_pairs", "iterations", "converged"}.
SimilarOptions decode_similar_options(std::string_view text);
ScanOptions decode_scan_options(std::string_view text);
TrainOptions decode_train_options(std::string_view text);
std::string encode(const std::vector<DuplicateCandidate>& candidates);
std::string encode(const ScanResult& result);
std::string encode(const MatchModel& model);
Address decode_address(std::string_view text);

// Imports. Options: {"mapping": {"columns": {column: field}, "policy":
// "overwrite|fill_blanks", "fill_blanks": [field, ...], "overwrite": [...]},
// or "mapping_file": path (.json or .toml), "format": "detect|csv|jsonl",
// "encoding", "delimiter": ", ; | tab", "mode": "create|update|upsert",
// "duplicates": "list|hold|off", "duplicate_probability", "date_order":
// "day_first|month_first", "dry_run", "rejects": path, "batch_size",
// "max_listed", "by"}; absent members keep their defaults, unknown keys are
// refused. A report: {"file", "format", "encoding", "delimiter", "dry_run",
// "completed", "resumed_after", "rows", "created", "updated", "unchanged",
// "rejected", "same_as_earlier_line", "possible_duplicates", "columns":
// {column: field}, "unknown_columns": [...], "rejected_rows": [{"line",
// "field", "code", "message"}], "same_as_rows": [{"line", "earlier_line",
// "customer"}], "possible_duplicate_rows": [{"line", "customer": id|null,
// "resembles", "probability"}]}.
ImportOptions decode_import_options(std::string_view text);
std::string encode(const ImportReport& report);

// Exports. Options: {"format": "detect|jsonl|csv", "fields": [...],
// "delimiter": ", ; tab", "overwrite", "select": {"customers": [ref, ...],
// "company": id, "rfm_currency", "rfm_segment", "created_since",
// "changed_since"}}; absent members keep their defaults, unknown keys are
// refused. A report: {"file", "format", "completed", "customers", "bytes",
// "columns": [...]} (columns: a CSV's header).
ExportOptions decode_export_options(std::string_view text);
std::string encode(const ExportReport& report);

// Orders, bookings, enquiries. A pushed record encodes as
// {"customer_match": "given|email|phone|created", "<order|booking|enquiry>": {...}}.
std::string encode(const Order& order);
std::string encode(const std::vector<Order>& orders);
std::string encode(const Pushed<Order>& pushed);
std::string encode(const Booking& booking);
std::string encode(const std::vector<Booking>& bookings);
std::string encode(const Pushed<Booking>& pushed);
std::string encode(const Enquiry& enquiry);
std::string encode(const std::vector<Enquiry>& enquiries);
std::string encode(const Pushed<Enquiry>& pushed);

// A customer's history: an array of {"kind": "order|booking|enquiry", "id",
// "source", "external_ref", "at", "status", "label", "total", "currency"}.
std::string encode(const std::vector<RecordSummary>& history);
// {"kinds": ["order", ...], "statuses": [...], "from": ts, "until": ts}; "" or "{}" = no filter.
HistoryFilter decode_history_filter(std::string_view text);

NewOrder decode_new_order(std::string_view text);
NewBooking decode_new_booking(std::string_view text);
NewEnquiry decode_new_enquiry(std::string_view text);
Payment decode_payment(std::string_view text);
// {"statuses": ["created", ...], "from": "<timestamp>", "until": "<timestamp>"}; "" or "{}" = no filter.
OrderFilter decode_order_filter(std::string_view text);
BookingFilter decode_booking_filter(std::string_view text);
EnquiryFilter decode_enquiry_filter(std::string_view text);

// Analytics. Options objects: {"currency": "GBP", "cutoff": ts, "unit": "weeks"}
// and {"currency": "GBP", "at": ts, "horizon_days": 365, "period_days": 30,
// "discount_rate": 0.01, "coverage": 0.8}; absent members keep their defaults.
std::string encode(const CustomerStats& stats);
std::string encode(const RfmScore& score);
std::string encode(const std::optional<RfmScore>& score);  // null when absent
std::string encode(const std::vector<RfmScore>& scores);
std::string encode(const ModelFit& fit);
std::string encode(const std::optional<ModelFit>& fit);  // null when absent
std::string encode(const Prediction& prediction);
std::string encode(const std::vector<Prediction>& predictions);
ModelOptions decode_model_options(std::string_view text);
PredictionOptions decode_prediction_options(std::string_view text);

// Companies. A company: {"id", "name", "sector", "contact_person", "notes",
// "domains": [...], "created_at", "updated_at"}; a link: {"company",
// "customer", "source": "email_domain|manual", "role", "billing", "domain",
// "linked_at"}.
std::string encode(const Company& company);
std::string encode(const std::vector<Company>& companies);
std::string encode(const CompanyLink& link);
std::string encode(const std::vector<CompanyLink>& links);
// {"name", "sector", "contact_person", "notes", "domains": [...]}; unknown keys are refused.
NewCompany decode_new_company(std::string_view text);
// {"name", "sector", "contact_person", "notes"}: only the keys present change; null is "".
CompanyUpdate decode_company_update(std::string_view text);

// Memberships. A plan: {"id", "name", "kind", "benefits", "billing_period",
// "created_at"}; a membership: {"id", "plan", "customer": id|null, "company":
// id|null, "starts_at", "ends_at": ts|null, "status", "created_at",
// "updated_at"}; an effective membership: {"membership": {...},
// "via_company": id|null}.
std::string encode(const Plan& plan);
std::string encode(const std::vector<Plan>& plans);
std::string encode(const Membership& membership);
std::string encode(const std::vector<Membership>& memberships);
std::string encode(const std::vector<EffectiveMembership>& memberships);
// {"name", "kind", "benefits", "billing_period"}; unknown keys are refused.
NewPlan decode_new_plan(std::string_view text);
// {"plan", "customer": ref, "company": id, "starts_at", "ends_at"}; unknown keys are refused.
NewMembership decode_new_membership(std::string_view text);

// Credentials. A credential: {"id", "kind", "value", "customer", "status",
// "valid_from": ts|null, "valid_until": ts|null, "label", "wallet":
// {"provider", "serial", "pass_type"}|null, "replaces": id|null,
// "replaced_by": id|null, "created_at", "updated_at"}; a check: {"verdict",
// "credential": {...}|null, "customer": {...}|null}.
std::string encode(const Credential& credential);
std::string encode(const std::vector<Credential>& credentials);
std::string encode(const CredentialCheck& check);
// {"kind", "value", "customer": ref, "label", "valid_from", "valid_until",
// "wallet": {"provider", "serial", "pass_type"}}; "kind" is required;
// unknown keys are refused.
NewCredential decode_new_credential(std::string_view text);
// {"value", "label", "valid_until", "wallet"}: absent or null keeps the old
// credential's label, window end and wallet data; unknown keys are refused.
Replacement decode_replacement(std::string_view text);

// Doors. A door: {"id", "name", "notes", "created_at", "updated_at"}; a
// permission: {"id", "customer", "door", "starts_at": ts|null, "ends_at":
// ts|null, "notes", "required_plan": id|null, "created_at"}; an access
// decision: {"allowed", "reason", "customer": id|null, "credential":
// id|null, "permission": id|null}.
std::string encode(const Door& door);
std::string encode(const std::vector<Door>& doors);
std::string encode(const Permission& permission);
std::string encode(const std::vector<Permission>& permissions);
std::string encode(const AccessDecision& decision);
// {"id", "name", "notes"}; unknown keys are refused.
NewDoor decode_new_door(std::string_view text);
// {"customer": ref, "door", "starts_at", "ends_at", "notes",
// "required_plan"}; unknown keys are refused.
NewPermission decode_new_permission(std::string_view text);

// The social graph. A connection: {"id", "from", "to", "type", "source",
// "note", "created_at"}; a referral: {"referrer", "referred", "note", "at"};
// a neighbour: {"id", "distance", "via"}; an inference report:
// {"colleagues_added", "referrals_added", "removed", "companies_skipped"}.
std::string encode(const Connection& connection);
std::string encode(const std::vector<Connection>& connections);
std::string encode(const Referral& referral);
std::string encode(const std::optional<Referral>& referral);  // null when absent
std::string encode(const std::vector<Referral>& referrals);
std::string encode(const Neighbour& neighbour);
std::string encode(const std::vector<Neighbour>& neighbours);
std::string encode(const InferenceReport& report);
// {"from": ref, "to": ref, "type", "note"}; unknown keys are refused.
NewConnection decode_new_connection(std::string_view text);
// {"max_company_size": 500}; "" or "{}" keeps the defaults.
InferenceOptions decode_inference_options(std::string_view text);

// Activity. An event: {"id", "customer": id|null, "at", "category", "type",
// "source", "actor", "action", "summary", "details": {...}|null (null when
// erased), "details_erased"}; a page: {"events": [...], "next": cursor|null};
// a field change: {"event", "at", "actor", "source", "field", "old": value,
// "new": value, "erased"} (old and new are JSON values, null when erased).
std::string encode(const Event& event);
std::string encode(const std::vector<Event>& events);
std::string encode(const EventPage& page);
std::string encode(const FieldChange& change);
std::string encode(const std::vector<FieldChange>& changes);
// {"customer": ref, "at", "category", "type", "source", "actor", "action",
// "summary", "details": {...}}; unknown keys are refused.
NewEvent decode_new_event(std::string_view text);
// An array of new events; a refusal names "[i].field".
std::vector<NewEvent> decode_new_events(std::string_view text);
// {"categories": [...], "types": [...], "sources": [...], "from", "until",
// "actor", "text"}; "" or "{}" = no filter.
TimelineFilter decode_timeline_filter(std::string_view text);

// Notes. A note: {"id", "customer", "body", "author", "pinned", "mentions":
// [...], "created_at", "edited_at": ts|null, "revisions"}; a revision:
// {"note", "number", "body", "author", "written_at", "replaced_at"}; a hit:
// {"note": {...}, "snippet", "rank"}.
std::string encode(const Note& note);
std::string encode(const std::vector<Note>& notes);
std::string encode(const NoteRevision& revision);
std::string encode(const std::vector<NoteRevision>& revisions);
std::string encode(const NoteHit& hit);
std::string encode(const std::vector<NoteHit>& hits);

// Documents. A document: {"id", "customer", "name", "media_type", "kind",
// "size", "sha256", "created_at"}.
std::string encode(const Document& document);
std::string encode(const std::vector<Document>& documents);
// {"customer": ref, "name", "media_type", "kind"}; unknown keys are refused.
NewDocument decode_new_document(std::string_view text);

// Custom fields. A value's JSON form follows its field's type: text, select,
// url: a string; number: a number; date: "YYYY-MM-DD"; multi_select: an
// array of strings; checkbox: true or false; file: an integer (a document
// id). Encoding needs no type (each CustomValue alternative has one form);
// decoding does, since "2024-05-01" may be a text or a date and 3 a number or
// a file: decode_custom_value() reads the JSON for `type`, and
// as_field_type() converts a value read without it (an int64 for a number
// field becomes a double; a string for a date field is parsed) — what a
// binding that cannot know the type up front uses. Both refuse a value of
// the wrong JSON type with invalid_argument naming `field`.
std::string encode(const CustomValue& value);
std::string encode(const std::map<std::string, CustomValue>& values);  // {"key": value, ...}
// Without a type (std::nullopt), a value is read by its JSON type alone
// (string, number: int64 when integral, else double, true/false, array of
// strings).
CustomValue decode_custom_value(std::string_view text, std::optional<FieldType> type, std::string_view field);
CustomValue as_field_type(CustomValue value, FieldType type, std::string_view field);
// A definition: {"key", "label", "type", "required", "default": value|null,
// "options": [...], "visible_to": [...], "created_at", "updated_at"}.
std::string encode(const FieldDefinition& definition);
std::string encode(const std::vector<FieldDefinition>& definitions);
// {"key", "label", "type", "required", "default", "options", "visible_to"};
// "default" is read for "type" ("text" when absent); unknown keys are refused.
NewFieldDefinition decode_new_field_definition(std::string_view text);
// {"label", "type", "required", "default", "options", "visible_to"}: only the
// keys present change; "default": null clears the default, which is read
// for the document's "type", else for `current` (the field's type now).
FieldDefinitionUpdate decode_field_definition_update(std::string_view text, FieldType current);

// Purses. An account: {"customer", "currency", "balance", "credit_limit",
// "category_credit_limit", "available"}; an entry: {"id", "customer",
// "currency", "kind":
// "top_up|charge|refund", "amount", "balance_after", "refund_of": id|null,
// "refunded", "reference", "idempotency_key", "actor", "at"}.
std::string encode(const PurseAccount& account);
std::string encode(const std::vector<PurseAccount>& accounts);
std::string encode(const PurseEntry& entry);
std::string encode(const std::vector<PurseEntry>& entries);
// {"customer": ref, "currency", "amount", "idempotency_key", "reference"};
// unknown keys are refused.
PurseRequest decode_purse_request(std::string_view text);

// Loyalty. A program: {"id", "name", "points_name", "currency",
// "earn_points", "per_amount", "rounding": "down|nearest|up",
// "expiry_months": n|null, "redemption_order":
// "soonest_expiring|oldest_earned", "tier_window_months", "created_at",
// "updated_at"}; a tier: {"program", "id", "name", "threshold",
// "earn_multiplier_percent", "benefits"}; an account: {"customer",
// "program", "balance", "pending", "expired", "spendable", "tier": id|null};
// an entry: {"id", "customer", "program", "kind", "points", "balance_after",
// "amount": n|null, "currency", "pending_until": ts|null, "expires_at":
// ts|null, "reverses": id|null, "reversed", "counterpart": id|null,
// "reward": id|null, "qualifying", "reference", "reason", "idempotency_key",
// "actor", "at"}; a lot: {"id", "entry", "points", "remaining",
// "earned_at", "pending_until": ts|null, "expires_at": ts|null}; a tier
// change: {"id", "customer", "program", "from": id|null, "to": id|null,
// "reason", "qualifying_points", "at"}; progress: {"tier": id|null,
// "qualifies_for": id|null, "qualifying_points", "window_start",
// "next_tier": id|null, "points_to_next"}; an evaluation: {"accounts",
// "upgraded", "downgraded"}; an expiry run: {"accounts", "lots", "points"};
// a reward: {"id", "program", "name", "cost", "active_from": ts|null,
// "active_until": ts|null, "description"}.
std::string encode(const Program& program);
std::string encode(const std::vector<Program>& programs);
std::string encode(const Tier& tier);
std::string encode(const std::optional<Tier>& tier);  // null when absent
std::string encode(const std::vector<Tier>& tiers);
std::string encode(const PointsAccount& account);
std::string encode(const std::vector<PointsAccount>& accounts);
std::string encode(const PointsEntry& entry);
std::string encode(const std::vector<PointsEntry>& entries);
std::string encode(const PointsLot& lot);
std::string encode(const std::vector<PointsLot>& lots);
std::string encode(const TierChange& change);
std::string encode(const std::vector<TierChange>& changes);
std::string encode(const TierProgress& progress);
std::string encode(const TierEvaluation& evaluation);
std::string encode(const ExpiryRun& run);
std::string encode(const Reward& reward);
std::string encode(const std::vector<Reward>& rewards);
// The members of a program, tier or reward as encoded, without the ones
// patron sets ("created_at", "updated_at"); absent members keep the
// struct's defaults; unknown keys are refused.
Program decode_program(std::string_view text);
Tier decode_tier(std::string_view text);
Reward decode_reward(std::string_view text);
// {"customer": ref, "program", "points", "amount", "currency",
// "pending_until", "reference", "idempotency_key"}; unknown keys are refused.
EarnRequest decode_earn_request(std::string_view text);
// An array of earn requests; a refusal names "[i].field".
std::vector<EarnRequest> decode_earn_requests(std::string_view text);
// {"customer": ref, "program", "points", "reference", "idempotency_key"}.
RedeemRequest decode_redeem_request(std::string_view text);
std::vector<RedeemRequest> decode_redeem_requests(std::string_view text);
// {"customer": ref, "program", "points", "reason", "qualifying", "actor",
// "idempotency_key"}.
AdjustRequest decode_adjust_request(std::string_view text);
// {"from": ref, "to": ref, "program", "points", "reason", "idempotency_key"}.
TransferRequest decode_transfer_request(std::string_view text);

// Promotions. A category: {"id", "name", "discount_basis_points",
// "earn_multiplier_percent", "credit_limit", "credit_currency",
// "created_at", "updated_at"}; an applied category: {"category": {...},
// "direct", "companies": [id, ...]}; a quote: {"amount", "currency",
// "discount_basis_points", "discount", "to_pay", "program": id|null,
// "points", "tier": id|null, "tier_multiplier_percent",
// "category_multiplier_percent", "credit_limit", "credit_available",
// "categories": [id, ...]}.
std::string encode(const PromotionCategory& category);
std::string encode(const std::vector<PromotionCategory>& categories);
std::string encode(const AppliedCategory& applied);
std::string encode(const std::vector<AppliedCategory>& applied);
std::string encode(const Quote& quote);
// {"id", "name", "discount_basis_points", "earn_multiplier_percent",
// "credit_limit", "credit_currency"}; absent members keep the defaults;
// unknown keys are refused.
PromotionCategory decode_promotion_category(std::string_view text);

// Visits. A visit: {"id", "customer", "place", "credential": id|null, "at"}.
std::string encode(const Visit& visit);
std::string encode(const std::vector<Visit>& visits);

// Consent. An entry: {"id", "customer", "channel", "purpose", "status",
// "legal_basis": name|null, "source", "text_version", "evidence",
// "recorded_by", "at", "expires_at": time|null, "confirms": id|null, and
// "token" only in a double opt-in's answer}; a state: {"channel", "purpose",
// "status", "can_contact", "entry", "since"}; a purpose: {"name",
// "description", "opt_out", "built_in"}; a page of reachable customers:
// {"customers": [id, ...], "next": cursor|null}; preferences: {"channel":
// name|null, "language", "time_zone", "windows": [{"days": ["mon", ...],
// "from": "HH:MM", "to": "HH:MM"}]}.
std::string encode(const ConsentEntry& entry);
std::string encode(const std::vector<ConsentEntry>& entries);
std::string encode(const std::vector<ConsentState>& states);
std::string encode(const ConsentPurpose& purpose);
std::string encode(const std::vector<ConsentPurpose>& purposes);
std::string encode(const ReachablePage& page);
std::string encode(const ContactPreferences& preferences);
// {"legal_basis", "source", "text_version", "evidence", "double_opt_in",
// "valid_for_seconds", "reaffirmed"}; absent members keep the defaults.
ConsentGrant decode_consent_grant(std::string_view text);
// {"source", "evidence"}.
ConsentWithdrawal decode_consent_withdrawal(std::string_view text);
// As encoded.
ContactPreferences decode_contact_preferences(std::string_view text);

// Privacy. A subject access export: {"path", "bytes", "customer", "merged":
// [id, ...], "events", "documents", "version"}. A tombstone: {"customer", "number", "erased_at", "erased_by",
// "requested_by", "reason", "merged_into": id|null}; an erasure's report:
// {"tombstone", "customers": [id, ...], "removed": {kind: rows},
// "kept": {kind: rows}, "suppressed"}.
std::string encode(const AccessExport& report);
std::string encode(const Tombstone& tombstone);
std::string encode(const std::vector<Tombstone>& tombstones);
std::string encode(const ErasureReport& report);
// {"requested_by", "reason"}, both required; unknown keys are refused.
ErasureRequest decode_erasure_request(std::string_view text);
// A retention policy: {"name", "category", "days", "document_kind":
// kind|null, "description", "created_at", "updated_at"}; decoded from
// {"name", "category", "days", "document_kind", "description"} (the first
// three required). A run: {"id", "dry_run", "actor", "started_at",
// "finished_at": time|null, "outcomes": [{"policy": policy, "cutoff", "customers":
// [id, ...], "documents": [id, ...], "events", "skipped": [{"customer",
// "reason"}, ...], "held"}, ...]}.
std::string encode(const RetentionPolicy& policy);
std::string encode(const std::vector<RetentionPolicy>& policies);
std::string encode(const RetentionRun& run);
std::string encode(const std::vector<RetentionRun>& runs);
RetentionPolicy decode_retention_policy(std::string_view text);

}  // namespace patron::json
