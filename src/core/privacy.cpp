#include "patron/privacy.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "core/consent_ops.hpp"
#include "core/enum_names.hpp"
#include "core/customer_ops.hpp"
#include "core/event_builders.hpp"
#include "core/sealed.hpp"
#include "core/rules.hpp"
#include "core/state.hpp"
#include "io/files.hpp"
#include "io/zip.hpp"
#include "json/json_internal.hpp"
#include "patron/analytics.hpp"
#include "patron/commerce.hpp"
#include "patron/companies.hpp"
#include "patron/connections.hpp"
#include "patron/consent.hpp"
#include "patron/credentials.hpp"
#include "patron/custom_fields.hpp"
#include "patron/customers.hpp"
#include "patron/documents.hpp"
#include "patron/doors.hpp"
#include "patron/json.hpp"
#include "patron/loyalty.hpp"
#include "patron/memberships.hpp"
#include "patron/notes.hpp"
#include "patron/promotions.hpp"
#include "patron/purses.hpp"
#include "patron/visits.hpp"
#include "patron/activity.hpp"
#include "patron/error.hpp"
#include "patron/store/privacy_repository.hpp"
#include "text/text.hpp"

namespace patron {
namespace {

constexpr std::size_t kMaxRequestedBy = 200;
constexpr std::size_t kMaxReason = 500;

// "erased-" and 25 random hex digits: 32 characters, a valid customer
// number that says what it is and names nobody.
std::string erased_number() { return "erased-" + detail::random_hex(25); }

std::string money_list(const std::vector<std::pair<std::string, std::int64_t>>& money) {
  std::string out;
  for (const auto& [currency, balance] : money) {
    if (!out.empty()) out += ", ";
    out += std::to_string(balance) + " " + currency;
  }
  return out;
}

using Json = json::internal::json;  // ordered: the document keeps its parts in order
using json::internal::to_json;

// Every page of a paged read, in order (pages of 1,000).
template <typename Fetch>
auto all_pages(Fetch&& fetch) {
  constexpr std::size_t kPage = 1000;
  decltype(fetch(Page{})) out;
  for (std::size_t offset = 0;; offset += kPage) {
    auto page = fetch(Page{kPage, offset});
    const std::size_t got = page.size();
    for (auto& item : page) out.push_back(std::move(item));
    if (got < kPage) return out;
  }
}

template <typename T>
Json json_list(const std::vector<T>& items) {
  Json out = Json::array();
  for (const auto& item : items) out.push_back(to_json(item));
  return out;
}

// A document's entry in the archive: its id and its name (a stored name has
// no '/' or '\\': the database refuses them).
std::string document_entry(const Document& d) { return "documents/" + std::to_string(d.id) + "-" + d.name; }

// What the archive's README.txt says.
constexpr const char* kArchiveReadme = R"(Subject access export (GDPR Art. 15)
=====================================

This archive holds everything this business's customer file (patron) holds
on you: customer.json, and the documents kept on file under documents/.

customer.json (format "patron-subject-access", version 1) has these parts:

  subject            your customer id and number, and when this export was made
  profile            your profile: names, date of birth, contacts (emails,
                     phones, addresses), tags, emergency contact, status
  custom_fields      the business's own fields about you
  merged_customers   other records of you that were merged into this one,
                     with what they still held when merged
  companies          the companies you are linked to
  memberships        your memberships (yours and your companies')
  credentials        your cards, keys, wristbands and passes
  door_permissions   the doors you may open
  connections        people you are linked to, and referrals
  timeline           everything that happened on your record, oldest first,
                     with its details
  edit_history       every change to your profile fields: old and new values
  notes              notes the staff wrote about you, with earlier versions
  documents          documents kept on file; "file" names each one's copy in
                     this archive
  purses             stored-value and credit accounts, with every entry
  loyalty            points accounts, every entry, open lots, tier history
  orders, bookings, enquiries, visits
  promotions         promotion categories that apply to you
  consent            what you agreed to and withdrew (the full log), the
                     current state per channel and purpose, your contact
                     preferences
  analytics          figures computed from your orders: totals, RFM score,
                     and where a model is fitted, a prediction of your future
                     orders (profiling: see "information")
  information        the Art. 15 information: purposes and legal bases,
                     sources, recipients, how long data is kept (the
                     business's retention policies), your rights

Times are UTC (ISO 8601). Amounts are integers in the currency's minor unit
(cents, pence).
)";

// What a retention policy does, in a sentence a guest reads.
std::string retention_rule(const RetentionPolicy& p) {
  const std::string days = std::to_string(p.days) + (p.days == 1 ? " day" : " days");
  switch (p.category) {
    case RetentionCategory::inactive_customers:
      return "Customers with no activity for " + days + " are erased";
    case RetentionCategory::timeline_details:
      return "The details of events on a customer's timeline are removed " + days + " after the event";
    case RetentionCategory::documents:
      return "Documents of kind " + std::string(to_string(p.document_kind.value_or(DocumentKind::other))) +
             " are deleted " + days + " after upload";
  }
  return {};
}

Json information(const std::vector<ConsentPurpose>& purposes, const std::set<std::string>& sources,
                 const std::set<std::string>& recorded_by, const std::vector<RetentionPolicy>& policies) {
  Json p = Json::array();
  p.push_back({{"purpose", "customer_file"},
               {"description", "Serving you: your bookings, orders, memberships, accounts and visits"},
               {"legal_basis", "contract"}});
  p.push_back({{"purpose", "accounts"},
               {"description", "Keeping orders, payments and ledgers as accounting and tax law require"},
               {"legal_basis", "legal_obligation"}});
  for (const auto& c : purposes) {
    p.push_back({{"purpose", c.name},
                 {"description", c.description},
                 {"legal_basis", c.opt_out ? "legitimate_interests" : "consent"},
                 {"contact_purpose", true}});
  }
  Json rights = Json::array({"access (Art. 15)", "rectification (Art. 16)", "erasure (Art. 17)",
                             "restriction of processing (Art. 18)", "data portability (Art. 20)",
                             "objection, including to direct marketing and profiling (Art. 21)",
                             "withdrawing consent at any time, without affecting what was done before (Art. 7(3))",
                             "lodging a complaint with a supervisory authority (Art. 77)"});
  std::string retention =
      "Kept while you are a customer and erased on request (Art. 17); orders, bookings, payments and ledgers "
      "are kept, without your personal data, as long as the law requires";
  Json rules = Json::array();
  for (const auto& policy : policies) {
    const std::string rule = retention_rule(policy);
    retention += "; " + rule;
    rules.push_back({{"policy", policy.name},
                     {"category", std::string(to_string(policy.category))},
                     {"days", policy.days},
                     {"document_kind", policy.document_kind ? Json(std::string(to_string(*policy.document_kind)))
                                                            : Json()},
                     {"rule", rule},
                     {"description", policy.description}});
  }
  return {{"purposes", p},
          {"sources", Json(std::vector<std::string>(sources.begin(), sources.end()))},
          {"recipients",
           {{"description", "The business's staff and systems that recorded or read your data; the people and "
                            "systems below recorded it"},
            {"recorded_by", Json(std::vector<std::string>(recorded_by.begin(), recorded_by.end()))}}},
          {"retention", retention},
          {"retention_policies", rules},
          {"automated_decisions",
           "RFM scores and the predictive lifetime-value model (analytics) are profiling; no decision with legal "
           "or similarly significant effect is made by them alone"},
          {"rights", rights}};
}

// Erases `survivor` and every customer merged into it in the caller's
// transaction (the full-text indexes are purged by the caller, once per
// transaction), and records the erasure on the organisation's timeline.
ErasureReport erase_customer(store::Transaction& tx, const CustomerId& survivor, const std::string& requested_by,
                             const std::string& reason, Timestamp now) {
  ErasureReport report;
  report.customers.push_back(survivor);
  for (auto& absorbed : tx.customers().merged_into(survivor)) report.customers.push_back(std::move(absorbed));

  if (tx.privacy().import_open()) {
    throw Error(Errc::failed_precondition,
                "imports: an import is unfinished and could bring the customer back; finish or abandon it first",
                "imports");
  }
  if (const auto money = tx.privacy().purse_money(report.customers); !money.empty()) {
    throw Error(Errc::failed_precondition,
                "purses: the customer's purses hold " + money_list(money) + " (minor units); refund or settle "
                "them first",
                "purses");
  }
  report.suppressed = detail::suppress_for_erasure(tx, tx.privacy().emails(report.customers),
                                                   tx.privacy().phones(report.customers), now);
  const std::string erased_by(ActorScope::current_actor());
  for (const auto& id : report.customers) {
    Tombstone t{id, erased_number(), now, erased_by, requested_by, reason, {}};
    if (id != survivor) t.merged_into = survivor;
    tx.privacy().erase(t, report.removed, report.kept);
    if (id == survivor) report.tombstone = std::move(t);
  }
  // The customer's timeline can take no event now (its key is gone): the
  // erasure is recorded on the organisation's.
  detail::EventJson details{{"customer", survivor.str()},
                            {"requested_by", requested_by},
                            {"reason", reason},
                            {"removed", report.removed},
                            {"kept", report.kept},
                            {"suppressed", report.suppressed}};
  details["customers"] = detail::EventJson::array();
  for (const auto& id : report.customers) details["customers"].push_back(id.str());
  detail::record(tx, now,
                 detail::make_change(std::nullopt, EventCategory::customers, EventType::compliance,
                                     "customer.erased", "Customer erased", details));
  return report;
}

}  // namespace

AccessExport Privacy::export_archive(std::string_view customer_ref, const std::string& path) const {
  io::check_destination(path, false, "; an export never overwrites");
  detail::DatabaseState& state = *state_;
  const Customers customers(state);
  const Activity activity(state);
  const Customer who = customers.get(customer_ref);
  const std::string ref = who.id.str();

  AccessExport report;
  report.customer = who.id;
  Json doc;
  std::vector<Document> documents;
  // Read every part; again when the customer's timeline moved meanwhile.
  for (int attempt = 0;; ++attempt) {
    const std::int64_t mark = activity.last_event_id();
    doc = Json::object();
    std::set<std::string> sources;
    std::set<std::string> recorded_by;
    const Customer c = customers.get(ref);
    doc["format"] = "patron-subject-access";
    doc["version"] = access_export_version;
    doc["subject"] = {{"id", c.id.str()}, {"number", c.number}, {"exported_at", format_timestamp(state.now())}};
    doc["profile"] = to_json(c);
    Json custom = Json::object();
    for (const auto& [key, value] : CustomFields(state).values(ref)) custom[key] = json::internal::custom_value_json(value);
    doc["custom_fields"] = custom;

    const auto merged = state.read([&](store::Transaction& tx) { return tx.privacy().merged_profiles(c.id); });
    report.merged.clear();
    Json merged_json = Json::array();
    for (const auto& m : merged) {
      report.merged.push_back(m.id);
      merged_json.push_back({{"id", m.id.str()},
                             {"number", m.number},
                             {"title", m.title},
                             {"first_name", m.first_name},
                             {"last_name", m.last_name},
                             {"date_of_birth", m.date_of_birth.empty() ? Json() : Json(m.date_of_birth)},
                             {"lifecycle_stage", m.lifecycle_stage},
                             {"tags", Json::parse(m.tags)},
                             {"emergency_contact", m.emergency_name.empty() && m.emergency_phone.empty()
                                                       ? Json()
                                                       : Json{{"name", m.emergency_name}, {"phone", m.emergency_phone}}},
                             {"created_at", format_timestamp(m.created_at)},
                             {"merged_at", format_timestamp(m.merged_at)}});
    }
    doc["merged_customers"] = merged_json;

    doc["companies"] = json_list(Companies(state).companies_of(ref));
    doc["memberships"] = json_list(Memberships(state).effective(ref));
    doc["credentials"] = json_list(Credentials(state).of_customer(ref));
    doc["door_permissions"] = json_list(Doors(state).permissions_of(ref));
    const Connections graph(state);
    Json referrals = {{"referred_by", nullptr}, {"referred", json_list(graph.referrals_by(ref))}};
    if (const auto r = graph.referrer_of(ref)) referrals["referred_by"] = to_json(*r);
    doc["connections"] = {{"links", json_list(graph.of_customer(ref))}, {"referrals", referrals}};

    // The timeline, oldest first.
    std::vector<Event> events;
    std::optional<std::string> before;
    do {
      EventPage page = activity.timeline(ref, {}, before.value_or(""), 1000);
      for (auto& e : page.events) events.push_back(std::move(e));
      before = page.next;
    } while (before);
    std::reverse(events.begin(), events.end());
    for (const auto& e : events) {
      sources.insert(std::string(to_string(e.source)));
      if (!e.actor.empty()) recorded_by.insert(e.actor);
    }
    report.events = static_cast<std::int64_t>(events.size());
    doc["timeline"] = json_list(events);
    doc["edit_history"] = json_list(all_pages([&](Page p) { return activity.history(ref, {}, p); }));

    const Notes notes(state);
    Json notes_json = Json::array();
    for (const auto& n : all_pages([&](Page p) { return notes.of_customer(ref, p); })) {
      Json j = to_json(n);
      j["revisions"] = json_list(notes.revisions(n.id));
      notes_json.push_back(std::move(j));
    }
    doc["notes"] = notes_json;

    documents = Documents(state).of_customer(ref);
    Json documents_json = Json::array();
    for (const auto& d : documents) {
      Json j = to_json(d);
      j["file"] = document_entry(d);
      documents_json.push_back(std::move(j));
    }
    doc["documents"] = documents_json;

    const Purses purses(state);
    Json purses_json = Json::array();
    for (const auto& a : purses.accounts(ref)) {
      Json j = to_json(a);
      j["entries"] = json_list(all_pages([&](Page p) { return purses.entries(ref, a.currency, p); }));
      purses_json.push_back(std::move(j));
    }
    doc["purses"] = purses_json;

    const Loyalty loyalty(state);
    Json loyalty_json = Json::array();
    for (const auto& a : loyalty.accounts(ref)) {
      Json j = to_json(a);
      j["entries"] = json_list(all_pages([&](Page p) { return loyalty.entries(ref, a.program, p); }));
      j["lots"] = json_list(loyalty.lots(ref, a.program));
      j["tier_history"] = json_list(loyalty.tier_history(ref, a.program));
      loyalty_json.push_back(std::move(j));
    }
    doc["loyalty"] = loyalty_json;

    doc["orders"] = json_list(all_pages([&](Page p) { return Orders(state).list(ref, {}, p); }));
    doc["bookings"] = json_list(all_pages([&](Page p) { return Bookings(state).list(ref, {}, p); }));
    doc["enquiries"] = json_list(all_pages([&](Page p) { return Enquiries(state).list(ref, {}, p); }));
    doc["visits"] = json_list(all_pages([&](Page p) { return Visits(state).list(ref, {}, p); }));
    doc["promotions"] = json_list(Promotions(state).categories_of(ref));

    const Consent consent(state);
    const auto history = all_pages([&](Page p) { return consent.history(ref, p); });
    for (const auto& e : history) {
      sources.insert(e.source);
      if (!e.recorded_by.empty()) recorded_by.insert(e.recorded_by);
    }
    doc["consent"] = {{"state", json_list(consent.state(ref))},
                      {"log", json_list(history)},
                      {"preferences", Json::parse(json::encode(consent.preferences(ref)))}};

    const Analytics analytics(state);
    const CustomerStats stats = analytics.stats(ref);
    Json by_currency = Json::array();
    for (const auto& t : stats.by_currency) {
      Json j = {{"currency", t.currency}, {"rfm", nullptr}, {"prediction", nullptr}};
      if (const auto rfm = analytics.rfm(ref, t.currency)) j["rfm"] = to_json(*rfm);
      try {
        j["prediction"] = to_json(analytics.predict(ref, {.currency = t.currency}));
      } catch (const Error& e) {
        if (e.code() != Errc::failed_precondition && e.code() != Errc::not_found) throw;  // no fit: none
      }
      by_currency.push_back(std::move(j));
    }
    doc["analytics"] = {{"stats", to_json(stats)}, {"by_currency", by_currency}};
    doc["information"] = information(consent.purposes(), sources, recorded_by, retention_policies());

    const auto newest = activity.timeline(ref, {}, {}, 1).events;
    if (newest.empty() || newest.front().id <= mark || attempt == 4) break;
  }

  // The documents' bytes go to files beside the archive, so that none has
  // to fit in memory; they are removed whatever happens.
  const std::string partial = io::partial_name(path);
  const std::filesystem::path scratch = partial + ".documents";
  struct Scratch {
    std::filesystem::path dir;
    ~Scratch() {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  } cleanup{scratch};
  {
    io::ZipWriter zip(partial);
    zip.add("customer.json", doc.dump(2) + "\n");
    zip.add("README.txt", kArchiveReadme);
    if (!documents.empty()) {
      std::error_code made;
      std::filesystem::create_directory(scratch, made);
      if (made) throw Error(Errc::storage, "path: cannot write beside " + text::printable(path) + ": " + made.message(), "path");
      const Documents docs(state);
      for (const auto& d : documents) {
        const std::string file = (scratch / std::to_string(d.id)).string();
        docs.read_to_file(d.id, file);
        zip.add_file(document_entry(d), file);
      }
    }
    zip.close();
  }
  io::put_in_place(partial, path, false);
  report.path = path;
  report.documents = static_cast<std::int64_t>(documents.size());
  report.bytes = static_cast<std::int64_t>(std::filesystem::file_size(path));
  // Who was given what, and when: an access export is itself a disclosure.
  const Timestamp now = state.now();
  state.write([&](store::Transaction& tx) {
    detail::record(tx, now,
                   detail::make_change(who.id, EventCategory::customers, EventType::compliance,
                                       "customer.access_exported", "Subject access export written",
                                       detail::EventJson{{"events", report.events},
                                                         {"documents", report.documents},
                                                         {"bytes", report.bytes},
                                                         {"version", report.version}}));
  });
  return report;
}

ErasureReport Privacy::erase(std::string_view customer_ref, const ErasureRequest& request) {
  const std::string requested_by = text::clean_required(request.requested_by, "requested_by", kMaxRequestedBy);
  const std::string reason = text::clean_required(request.reason, "reason", kMaxReason);
  const Timestamp now = state_->now();
  ErasureReport report = state_->write([&](store::Transaction& tx) {
    ErasureReport r =
        erase_customer(tx, detail::require_customer_id(tx.customers(), customer_ref), requested_by, reason, now);
    tx.privacy().purge_search_indexes();
    return r;
  });
  // What the transaction overwrote is still in the write-ahead log until it
  // is checkpointed into the file.
  state_->store->checkpoint();
  return report;
}

std::optional<Tombstone> Privacy::tombstone(std::string_view customer_id) const {
  const auto id = CustomerId::try_parse(customer_id);
  if (!id) throw Error(Errc::invalid_argument, "customer_id: not a customer id (a UUID)", "customer_id");
  return state_->read([&](store::Transaction& tx) { return tx.privacy().tombstone(*id); });
}

std::vector<Tombstone> Privacy::erasures(Page page) const {
  rules::page(page);
  return state_->read([&](store::Transaction& tx) { return tx.privacy().tombstones(page); });
}

// ---------------------------------------------------------------------------
// Retention

namespace {

constexpr std::array<std::string_view, 3> kRetentionCategories{"inactive_customers", "timeline_details",
                                                                "documents"};
constexpr std::int64_t kMaxRetentionDays = 36500;  // a hundred years
constexpr std::size_t kMaxPolicyDescription = 500;
// Rows per transaction: a run never holds the file for long. Erasures are
// one per transaction; the full-text indexes are rewritten once per 100.
constexpr std::size_t kCustomersPerPurge = 100;
constexpr std::size_t kDocumentsPerTransaction = 100;
constexpr std::size_t kEventsPerTransaction = 10000;

RetentionPolicy checked_policy(const RetentionPolicy& in) {
  RetentionPolicy p;
  p.name = rules::host_id(in.name, "name", "a policy name");
  if (static_cast<std::size_t>(in.category) >= kRetentionCategories.size()) {
    throw Error(Errc::invalid_argument, "category: not a retention category", "category");
  }
  p.category = in.category;
  p.days = static_cast<int>(rules::in_range(in.days, "days", 1, kMaxRetentionDays, "1 to 36500 days"));
  if (p.category == RetentionCategory::documents) {
    if (!in.document_kind) {
      throw Error(Errc::invalid_argument, "document_kind: a documents policy names the kind it deletes",
                  "document_kind");
    }
    if (static_cast<int>(*in.document_kind) < 0 || *in.document_kind > DocumentKind::other) {
      throw Error(Errc::invalid_argument, "document_kind: not a document kind", "document_kind");
    }
  } else if (in.document_kind) {
    throw Error(Errc::invalid_argument, "document_kind: only a documents policy names a document kind",
                "document_kind");
  }
  p.document_kind = in.document_kind;
  p.description = text::clean(in.description, "description", kMaxPolicyDescription);
  return p;
}

detail::EventJson policy_json(const RetentionPolicy& p) {
  return {{"name", p.name},
          {"category", std::string(to_string(p.category))},
          {"days", p.days},
          {"document_kind", p.document_kind ? detail::EventJson(std::string(to_string(*p.document_kind)))
                                            : detail::EventJson()},
          {"description", p.description}};
}

// One retention run (or its dry run): each policy, by name, at
// `run.started_at`. A run records each policy's outcome as it starts and
// grows it in the transaction of each step, so a run stopped half way
// still says what it did.
class RetentionPass {
 public:
  RetentionPass(detail::DatabaseState& state, RetentionRun& run) : state_(state), run_(run) {}

  RetentionOutcome apply(const RetentionPolicy& policy) {
    RetentionOutcome o;
    o.policy = policy;
    o.cutoff = clamp_time(run_.started_at - std::chrono::days(policy.days));
    switch (policy.category) {
      case RetentionCategory::inactive_customers: inactive_customers(o); break;
      case RetentionCategory::timeline_details: timeline_details(o); break;
      case RetentionCategory::documents: documents(o); break;
    }
    return o;
  }

 private:
  static constexpr const char* kHeldForImport =
      "imports: an import is unfinished and could bring customers back; the policy waits for it";

  void begin(store::Transaction& tx, const RetentionOutcome& o) {
    tx.privacy().begin_retention_outcome(run_.id, o);
    if (!o.skipped.empty()) tx.privacy().add_retention_items(run_.id, o.policy.name, {}, {}, o.skipped);
  }

  void hold(RetentionOutcome& o, std::string why) {
    o.held = std::move(why);
    state_.write([&](store::Transaction& tx) { tx.privacy().hold_retention_outcome(run_.id, o.policy.name, o.held); });
  }

  void inactive_customers(RetentionOutcome& o) {
    const Timestamp now = run_.started_at;
    const bool import_open = state_.read([](store::Transaction& tx) { return tx.privacy().import_open(); });
    std::vector<CustomerId> erasable;
    if (import_open) {
      o.held = kHeldForImport;
    } else {
      for (auto& found : state_.read([&](store::Transaction& tx) {
             return tx.privacy().inactive_customers(o.cutoff, now, std::nullopt);
           })) {
        if (found.reason.empty()) {
          erasable.push_back(found.customer);
        } else {
          o.skipped.push_back(std::move(found));
        }
      }
    }
    if (run_.dry_run) {
      o.customers = std::move(erasable);
      return;
    }
    state_.write([&](store::Transaction& tx) { begin(tx, o); });
    if (import_open) return;

    const std::string requested_by = "retention policy " + o.policy.name;
    const std::string reason = "no activity for " + std::to_string(o.policy.days) + " days (none since " +
                               format_timestamp(o.cutoff) + "); retention run " + std::to_string(run_.id);
    std::size_t unpurged = 0;
    const auto purge = [&] {
      if (unpurged == 0) return;
      state_.write([](store::Transaction& tx) { tx.privacy().purge_search_indexes(); });
      unpurged = 0;
    };
    enum class Step { erased, skipped, gone, held };
    for (const auto& id : erasable) {
      // Each erasure is its own transaction, and looks at the customer
      // again: it may have come back, or gained what keeps it, since the
      // list was read.
      std::string why;
      Step step = Step::gone;
      try {
        step = state_.write([&](store::Transaction& tx) {
          if (tx.privacy().import_open()) return Step::held;
          auto again = tx.privacy().inactive_customers(o.cutoff, now, id);
          if (again.empty()) return Step::gone;
          if (!again.front().reason.empty()) {
            why = again.front().reason;
            tx.privacy().add_retention_items(run_.id, o.policy.name, {}, {}, {again.front()});
            return Step::skipped;
          }
          erase_customer(tx, id, requested_by, reason, state_.now());
          tx.privacy().add_retention_items(run_.id, o.policy.name, {id}, {}, {});
          return Step::erased;
        });
      } catch (const Error& e) {
        // What erasure refuses (the re-check missed it): the customer is
        // kept, and the reason recorded.
        if (e.code() != Errc::failed_precondition) throw;
        why = e.field();
        step = why == "imports" ? Step::held : Step::skipped;
        if (step == Step::skipped) {
          state_.write([&](store::Transaction& tx) {
            tx.privacy().add_retention_items(run_.id, o.policy.name, {}, {}, {{id, why}});
          });
        }
      }
      if (step == Step::erased) {
        o.customers.push_back(id);
        // The full-text indexes are rewritten once per 100 erasures (and at
        // the end): the rewrite costs what an erasure does many times over.
        if (++unpurged == kCustomersPerPurge) purge();
      } else if (step == Step::skipped) {
        o.skipped.push_back({id, why});
      } else if (step == Step::held) {
        hold(o, kHeldForImport);
        break;
      }
    }
    purge();
  }

  void timeline_details(RetentionOutcome& o) {
    if (run_.dry_run) {
      o.events = state_.read([&](store::Transaction& tx) { return tx.privacy().count_event_details(o.cutoff); });
      return;
    }
    state_.write([&](store::Transaction& tx) { begin(tx, o); });
    for (std::int64_t after = 0;;) {
      const auto [dropped, last] = state_.write([&](store::Transaction& tx) {
        const auto step = tx.privacy().drop_event_details(o.cutoff, state_.now(), after, kEventsPerTransaction);
        if (step.first > 0) tx.privacy().add_retention_events(run_.id, o.policy.name, step.first);
        return step;
      });
      o.events += dropped;
      if (last == after) break;
      after = last;
    }
  }

  void documents(RetentionOutcome& o) {
    const DocumentKind kind = o.policy.document_kind.value_or(DocumentKind::other);
    if (!run_.dry_run) state_.write([&](store::Transaction& tx) { begin(tx, o); });
    std::set<CustomerId> owners;
    struct Batch {
      std::vector<std::int64_t> documents;
      std::vector<CustomerId> owners;  // those not listed before
      std::int64_t last = 0;
    };
    const auto step = [&](store::Transaction& tx, std::int64_t after) {
      Batch b;
      b.last = after;
      const auto ids = tx.privacy().documents_before(kind, o.cutoff, after, kDocumentsPerTransaction);
      const Timestamp at = run_.dry_run ? run_.started_at : state_.now();
      for (const auto id : ids) {
        b.last = id;
        const auto d = tx.documents().get(id);
        if (!d) continue;
        if (!run_.dry_run) {
          tx.documents().remove(id);
          detail::record(tx, at,
                         detail::document_change(*d, "document.removed", "Document removed (retention)",
                                                 detail::EventJson{{"retention_policy", o.policy.name},
                                                                   {"retention_run", run_.id}}));
        }
        b.documents.push_back(id);
        // (a failed step throws and ends the run: `owners` may run ahead of it)
        if (owners.insert(d->customer).second) b.owners.push_back(d->customer);
      }
      if (!run_.dry_run && !b.documents.empty()) {
        tx.privacy().add_retention_items(run_.id, o.policy.name, b.owners, b.documents, {});
      }
      return b;
    };
    for (std::int64_t after = 0;;) {
      const Batch b = run_.dry_run ? state_.read([&](store::Transaction& tx) { return step(tx, after); })
                                   : state_.write([&](store::Transaction& tx) { return step(tx, after); });
      o.documents.insert(o.documents.end(), b.documents.begin(), b.documents.end());
      o.customers.insert(o.customers.end(), b.owners.begin(), b.owners.end());
      if (b.last == after) break;
      after = b.last;
    }
  }

  detail::DatabaseState& state_;
  RetentionRun& run_;
};

RetentionRun retention(detail::DatabaseState& state, bool dry_run) {
  RetentionRun run;
  run.dry_run = dry_run;
  run.actor = ActorScope::current_actor().empty() ? "retention" : std::string(ActorScope::current_actor());
  // What the run changes is the scheduled job's doing, on behalf of whoever
  // runs it; its own events are automated (and so no customer's activity).
  const ActorScope scope(run.actor, EventSource::automated);
  run.started_at = state.now();
  const auto policies = state.read([](store::Transaction& tx) { return tx.privacy().retention_policies(); });
  RetentionPass pass(state, run);
  if (dry_run) {
    for (const auto& policy : policies) run.outcomes.push_back(pass.apply(policy));
    return run;
  }
  run.id = state.write(
      [&](store::Transaction& tx) { return tx.privacy().begin_retention_run(run.actor, run.started_at); });
  try {
    for (const auto& policy : policies) run.outcomes.push_back(pass.apply(policy));
  } catch (...) {
    // What the committed steps overwrote leaves the write-ahead log anyway.
    state.store->checkpoint();
    throw;
  }
  run.finished_at = std::max(run.started_at, state.now());
  state.write([&](store::Transaction& tx) {
    tx.privacy().finish_retention_run(run.id, *run.finished_at);
    detail::EventJson outcomes = detail::EventJson::array();
    for (const auto& o : run.outcomes) {
      outcomes.push_back({{"policy", o.policy.name},
                          {"category", std::string(to_string(o.policy.category))},
                          {"customers", o.customers.size()},
                          {"documents", o.documents.size()},
                          {"events", o.events},
                          {"skipped", o.skipped.size()},
                          {"held", o.held}});
    }
    detail::record(tx, *run.finished_at,
                   detail::make_change(std::nullopt, EventCategory::system, EventType::compliance, "retention.run",
                                       "Retention run", detail::EventJson{{"run", run.id}, {"outcomes", outcomes}}));
  });
  // What the run overwrote leaves the write-ahead log for the file.
  state.store->checkpoint();
  return run;
}

}  // namespace

std::string_view to_string(RetentionCategory v) noexcept {
  return kRetentionCategories[static_cast<std::size_t>(v)];
}

RetentionCategory parse_retention_category(std::string_view text, std::string_view field) {
  return detail::parse_named<RetentionCategory>(kRetentionCategories, text, field);
}

RetentionPolicy Privacy::set_retention_policy(const RetentionPolicy& policy) {
  RetentionPolicy p = checked_policy(policy);
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    auto& repo = tx.privacy();
    p.created_at = now;
    p.updated_at = now;
    for (const auto& old : repo.retention_policies()) {
      if (old.name == p.name) p.created_at = old.created_at;
    }
    repo.put_retention_policy(p);
    detail::record(tx, now, detail::make_change(std::nullopt, EventCategory::system, EventType::compliance,
                                                "retention.policy_set", "Retention policy set", policy_json(p)));
    return p;
  });
}

void Privacy::remove_retention_policy(std::string_view name) {
  const std::string checked = rules::host_id(name, "name", "a policy name");
  const Timestamp now = state_->now();
  state_->write([&](store::Transaction& tx) {
    if (!tx.privacy().remove_retention_policy(checked)) {
      throw Error(Errc::not_found, "name: no retention policy " + checked, "name");
    }
    detail::record(tx, now, detail::make_change(std::nullopt, EventCategory::system, EventType::compliance,
                                                "retention.policy_removed", "Retention policy removed",
                                                detail::EventJson{{"name", checked}}));
  });
}

std::vector<RetentionPolicy> Privacy::retention_policies() const {
  return state_->read([](store::Transaction& tx) { return tx.privacy().retention_policies(); });
}

RetentionRun Privacy::preview_retention() const { return retention(*state_, true); }

RetentionRun Privacy::run_retention() { return retention(*state_, false); }

std::vector<RetentionRun> Privacy::retention_runs(Page page) const {
  rules::page(page);
  return state_->read([&](store::Transaction& tx) { return tx.privacy().retention_runs(page); });
}

}  // namespace patron
