#include "patron/privacy.hpp"

#include <filesystem>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "core/consent_ops.hpp"
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
                     sources, recipients, retention, your rights

Times are UTC (ISO 8601). Amounts are integers in the currency's minor unit
(cents, pence).
)";

Json information(const std::vector<ConsentPurpose>& purposes, const std::set<std::string>& sources,
                 const std::set<std::string>& recorded_by) {
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
  return {{"purposes", p},
          {"sources", Json(std::vector<std::string>(sources.begin(), sources.end()))},
          {"recipients",
           {{"description", "The business's staff and systems that recorded or read your data; the people and "
                            "systems below recorded it"},
            {"recorded_by", Json(std::vector<std::string>(recorded_by.begin(), recorded_by.end()))}}},
          {"retention",
           "Kept while you are a customer and erased on request (Art. 17); orders, bookings, payments and ledgers "
           "are kept, without your personal data, as long as the law requires"},
          {"automated_decisions",
           "RFM scores and the predictive lifetime-value model (analytics) are profiling; no decision with legal "
           "or similarly significant effect is made by them alone"},
          {"rights", rights}};
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
    doc["information"] = information(consent.purposes(), sources, recorded_by);

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
  ErasureReport report;
  state_->write([&](store::Transaction& tx) {
    const CustomerId survivor = detail::require_customer_id(tx.customers(), customer_ref);
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
    tx.privacy().purge_search_indexes();
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

}  // namespace patron
