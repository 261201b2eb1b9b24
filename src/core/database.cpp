#include "patron/database.hpp"

#include "core/company_ops.hpp"
#include "core/state.hpp"
#include "patron/error.hpp"
#include "patron/privacy.hpp"
#include "sqlite/sqlite_store.hpp"
#include "text/text.hpp"

namespace patron {

Database Database::open(const std::string& path, Options options) {
  if (!text::is_phone_region(options.default_region)) {
    throw Error(Errc::invalid_argument,
                "default_region: not a region code libphonenumber knows (e.g. \"GB\", \"US\")", "default_region");
  }
  if (options.max_readers == 0) {
    throw Error(Errc::invalid_argument, "max_readers: must be at least 1", "max_readers");
  }
  if (options.max_document_bytes < 0) {
    throw Error(Errc::invalid_argument, "max_document_bytes: must not be negative", "max_document_bytes");
  }
  if (options.busy_timeout.count() < 0) {
    throw Error(Errc::invalid_argument, "busy_timeout: must not be negative", "busy_timeout");
  }
  for (std::size_t i = 0; i < options.free_mail_domains.size(); ++i) {
    auto& d = options.free_mail_domains[i];
    d = text::registrable_domain(d, indexed_field("free_mail_domains", i));
  }
  auto state = std::make_unique<detail::DatabaseState>();
  state->options = std::move(options);
  state->store = sqlite::open_store(path, state->options);
  detail::index_pending_email_domains(*state->store);
  return Database(std::move(state));
}

struct Database::Services {
  explicit Services(detail::DatabaseState& state)
      : customers(state), orders(state), bookings(state), enquiries(state), analytics(state), companies(state),
        memberships(state), credentials(state), doors(state), connections(state), activity(state), notes(state),
        documents(state), custom_fields(state), purses(state), loyalty(state), promotions(state),
        visits(state), consent(state), duplicates(state), imports(state), exports(state), privacy(state) {}
  Customers customers;
  Orders orders;
  Bookings bookings;
  Enquiries enquiries;
  Analytics analytics;
  Companies companies;
  Memberships memberships;
  Credentials credentials;
  Doors doors;
  Connections connections;
  Activity activity;
  Notes notes;
  Documents documents;
  CustomFields custom_fields;
  Purses purses;
  Loyalty loyalty;
  Promotions promotions;
  Visits visits;
  Consent consent;
  Duplicates duplicates;
  Imports imports;
  Exports exports;
  Privacy privacy;
};

Database::Database(std::unique_ptr<detail::DatabaseState> state)
    : state_(std::move(state)), services_(std::make_unique<Services>(*state_)) {}
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;
Database::~Database() = default;

Customers& Database::customers() { return services_->customers; }
const Customers& Database::customers() const { return services_->customers; }
Orders& Database::orders() { return services_->orders; }
const Orders& Database::orders() const { return services_->orders; }
Bookings& Database::bookings() { return services_->bookings; }
const Bookings& Database::bookings() const { return services_->bookings; }
Enquiries& Database::enquiries() { return services_->enquiries; }
const Enquiries& Database::enquiries() const { return services_->enquiries; }
Analytics& Database::analytics() { return services_->analytics; }
const Analytics& Database::analytics() const { return services_->analytics; }
Companies& Database::companies() { return services_->companies; }
const Companies& Database::companies() const { return services_->companies; }
Memberships& Database::memberships() { return services_->memberships; }
const Memberships& Database::memberships() const { return services_->memberships; }
Credentials& Database::credentials() { return services_->credentials; }
const Credentials& Database::credentials() const { return services_->credentials; }
Doors& Database::doors() { return services_->doors; }
const Doors& Database::doors() const { return services_->doors; }
Connections& Database::connections() { return services_->connections; }
const Connections& Database::connections() const { return services_->connections; }
Activity& Database::activity() { return services_->activity; }
const Activity& Database::activity() const { return services_->activity; }
Notes& Database::notes() { return services_->notes; }
const Notes& Database::notes() const { return services_->notes; }
Documents& Database::documents() { return services_->documents; }
const Documents& Database::documents() const { return services_->documents; }
CustomFields& Database::custom_fields() { return services_->custom_fields; }
const CustomFields& Database::custom_fields() const { return services_->custom_fields; }
Purses& Database::purses() { return services_->purses; }
const Purses& Database::purses() const { return services_->purses; }
Loyalty& Database::loyalty() { return services_->loyalty; }
const Loyalty& Database::loyalty() const { return services_->loyalty; }
Promotions& Database::promotions() { return services_->promotions; }
const Promotions& Database::promotions() const { return services_->promotions; }
Visits& Database::visits() { return services_->visits; }
const Visits& Database::visits() const { return services_->visits; }
Consent& Database::consent() { return services_->consent; }
const Consent& Database::consent() const { return services_->consent; }
Duplicates& Database::duplicates() { return services_->duplicates; }
const Duplicates& Database::duplicates() const { return services_->duplicates; }
Imports& Database::imports() { return services_->imports; }
Exports& Database::exports() { return services_->exports; }
Privacy& Database::privacy() { return services_->privacy; }
int Database::schema_version() const { return state_->store->schema_version(); }
const Options& Database::options() const { return state_->options; }

BackupReport Database::backup(const std::string& path) const {
  if (text::trim(path).empty()) throw Error(Errc::invalid_argument, "path: must not be empty", "path");
  return BackupReport{path, state_->store->backup(path), schema_version()};
}

DatabaseStats Database::stats() const {
  const store::StoreStats found = state_->store->stats();
  DatabaseStats s;
  s.schema_version = schema_version();
  s.file_bytes = found.file_bytes;
  const auto count = [&](const char* name) { return found.counts.at(name); };
  s.customers = count("customers");
  s.merged = count("merged");
  s.erased = count("erased");
  s.banned = count("banned");
  s.with_email = count("with_email");
  s.with_phone = count("with_phone");
  s.companies = count("companies");
  s.memberships = count("memberships");
  s.credentials = count("credentials");
  s.orders = count("orders");
  s.bookings = count("bookings");
  s.enquiries = count("enquiries");
  s.visits = count("visits");
  s.notes = count("notes");
  s.documents = count("documents");
  s.events = count("events");
  for (const auto& [currency, accounts, balance] : found.purses) s.purses.push_back({currency, accounts, balance});
  for (const auto& [program, accounts, points] : found.points) s.points.push_back({program, accounts, points});
  return s;
}

CheckReport Database::check(bool quick) const {
  constexpr std::size_t kMaxProblems = 100;
  const store::StoreCheck found = state_->store->check(quick, kMaxProblems);
  CheckReport r;
  r.quick = quick;
  r.customers = found.customers;
  r.purse_accounts = found.purse_accounts;
  r.points_accounts = found.points_accounts;
  for (const auto& [check, detail] : found.problems) r.problems.push_back(CheckProblem{check, detail});
  r.ok = r.problems.empty();
  return r;
}

}  // namespace patron
