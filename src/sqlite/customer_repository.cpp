#include "sqlite/customer_repository.hpp"

#include <sqlite3.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "patron/error.hpp"
#include "sqlite/time_columns.hpp"

namespace patron::sqlite {
namespace {

#define PATRON_CUSTOMER_COLUMNS                                                                       \
  "SELECT seq, id, number, title, first_name, last_name, date_of_birth, lifecycle_stage, tags, "     \
  "emergency_name, emergency_phone, status, ban_reason, banned_by, banned_at, online_until, "         \
  "created_at, updated_at, first_active_at, last_active_at, merged_into FROM customers "

// An erased customer's row is its tombstone (privacy.hpp): never loaded.
constexpr const char* kById = PATRON_CUSTOMER_COLUMNS "WHERE id = ? AND erased_at IS NULL";
constexpr const char* kBySeq = PATRON_CUSTOMER_COLUMNS "WHERE seq = ? AND erased_at IS NULL";
constexpr const char* kByNumber = PATRON_CUSTOMER_COLUMNS "WHERE number = ? AND erased_at IS NULL";

void bind_opt_text(SQLite::Statement& st, int index, const std::optional<std::string>& s) {
  if (s) {
    st.bind(index, *s);
  } else {
    st.bind(index);
  }
}

std::string tags_json(const std::vector<std::string>& tags) {
  return tags.empty() ? std::string("[]") : nlohmann::json(tags).dump();
}

bool is_unique_violation(const SQLite::Exception& e) {
  return e.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE ||
         e.getExtendedErrorCode() == SQLITE_CONSTRAINT_PRIMARYKEY;
}

// The scalar columns of a customer, bound from ?first on in the order of
// kScalarColumns below.
int bind_scalars(SQLite::Statement& st, int i, const Customer& c) {
  st.bind(i++, c.title);
  st.bind(i++, c.first_name);
  st.bind(i++, c.last_name);
  bind_opt_text(st, i++, c.date_of_birth ? std::optional<std::string>(format_date(*c.date_of_birth)) : std::nullopt);
  st.bind(i++, c.lifecycle_stage);
  st.bind(i++, tags_json(c.tags));
  bind_opt_text(st, i++, c.emergency_contact ? std::optional<std::string>(c.emergency_contact->name) : std::nullopt);
  bind_opt_text(st, i++, c.emergency_contact ? std::optional<std::string>(c.emergency_contact->phone) : std::nullopt);
  st.bind(i++, std::string(to_string(c.status)));
  bind_opt_text(st, i++, c.ban ? std::optional<std::string>(c.ban->reason) : std::nullopt);
  bind_opt_text(st, i++, c.ban ? std::optional<std::string>(c.ban->by) : std::nullopt);
  bind_time(st, i++, c.ban ? std::optional<Timestamp>(c.ban->at) : std::nullopt);
  bind_time(st, i++, c.online_until);
  bind_time(st, i++, c.updated_at);
  bind_time(st, i++, c.first_active_at);
  bind_time(st, i++, c.last_active_at);
  return i;
}

// An address from the columns id, purpose, line1, line2, city, region,
// postal_code, country, is_default, from column `i` on.
Address address_at(SQLite::Statement& st, int i) {
  Address a;
  a.id = st.getColumn(i).getInt64();
  a.purpose = parse_address_purpose(st.getColumn(i + 1).getText());
  a.line1 = st.getColumn(i + 2).getString();
  a.line2 = st.getColumn(i + 3).getString();
  a.city = st.getColumn(i + 4).getString();
  a.region = st.getColumn(i + 5).getString();
  a.postal_code = st.getColumn(i + 6).getString();
  a.country = st.getColumn(i + 7).getString();
  a.is_default = st.getColumn(i + 8).getInt() != 0;
  return a;
}

}  // namespace

Customer CustomerRepository::read_row(SQLite::Statement& row, Timestamp now) {
  Customer c;
  c.id = CustomerId::parse(row.getColumn(1).getText());
  c.number = row.getColumn(2).getString();
  c.title = row.getColumn(3).getString();
  c.first_name = row.getColumn(4).getString();
  c.last_name = row.getColumn(5).getString();
  if (!row.getColumn(6).isNull()) c.date_of_birth = parse_date(row.getColumn(6).getText(), "date_of_birth");
  c.lifecycle_stage = row.getColumn(7).getString();
  const std::string tags = row.getColumn(8).getString();
  if (tags != "[]") c.tags = nlohmann::json::parse(tags).get<std::vector<std::string>>();
  if (!row.getColumn(9).isNull()) {
    c.emergency_contact = EmergencyContact{row.getColumn(9).getString(), row.getColumn(10).getString()};
  }
  c.status = row.getColumn(11).getString() == "banned" ? CustomerStatus::banned : CustomerStatus::active;
  if (c.status == CustomerStatus::banned) {
    c.ban = Ban{row.getColumn(12).getString(), row.getColumn(13).getString(), from_micros(row.getColumn(14).getInt64())};
  }
  c.online_until = optional_time_at(row, 15);
  c.presence = c.online_until && *c.online_until > now ? Presence::online : Presence::offline;
  c.created_at = from_micros(row.getColumn(16).getInt64());
  c.updated_at = from_micros(row.getColumn(17).getInt64());
  c.first_active_at = optional_time_at(row, 18);
  c.last_active_at = optional_time_at(row, 19);
  return c;
}

void CustomerRepository::load_contacts(std::int64_t seq, Customer& c) {
  auto& emails = conn_.statement(
      "SELECT address, is_primary FROM customer_emails WHERE customer = ? ORDER BY is_primary DESC, position");
  emails.bind(1, static_cast<int64_t>(seq));
  while (emails.executeStep()) {
    c.emails.push_back(Email{emails.getColumn(0).getString(), emails.getColumn(1).getInt() != 0});
  }
  auto& phones = conn_.statement("SELECT number, label, verified FROM customer_phones WHERE customer = ? ORDER BY id");
  phones.bind(1, static_cast<int64_t>(seq));
  while (phones.executeStep()) {
    c.phones.push_back(Phone{phones.getColumn(0).getString(), parse_phone_label(phones.getColumn(1).getText()),
                             phones.getColumn(2).getInt() != 0});
  }
  auto& addresses = conn_.statement(
      "SELECT id, purpose, line1, line2, city, region, postal_code, country, is_default "
      "FROM customer_addresses WHERE customer = ? ORDER BY id");
  addresses.bind(1, static_cast<int64_t>(seq));
  while (addresses.executeStep()) c.addresses.push_back(address_at(addresses, 0));
}

std::optional<Customer> CustomerRepository::load(const char* sql, std::string_view key, Timestamp now) {
  auto& st = conn_.statement(sql);
  st.bind(1, std::string(key));
  if (!st.executeStep()) return std::nullopt;
  if (!st.getColumn(20).isNull()) {  // merged: the customer it leads to
    const std::int64_t live_seq = st.getColumn(20).getInt64();
    st.reset();
    auto c = load_seq(live_seq, now);
    if (c) conn_.remember_customer(c->id.str(), live_seq);
    return c;
  }
  const std::int64_t seq = st.getColumn(0).getInt64();
  Customer c = read_row(st, now);
  st.reset();
  conn_.remember_customer(c.id.str(), seq);
  load_contacts(seq, c);
  return c;
}

std::optional<Customer> CustomerRepository::load_seq(std::int64_t seq, Timestamp now) {
  auto& st = conn_.statement(kBySeq);
  st.bind(1, static_cast<int64_t>(seq));
  if (!st.executeStep()) return std::nullopt;
  Customer c = read_row(st, now);
  st.reset();
  load_contacts(seq, c);
  return c;
}

std::optional<Customer> CustomerRepository::by_id(const CustomerId& id, Timestamp now) {
  // identify() resolves a token to an id, then loads it: reuse the row id.
  if (const auto seq = conn_.remembered_seq(id.str())) return load_seq(*seq, now);
  return load(kById, id.str(), now);
}

std::optional<Customer> CustomerRepository::by_number(std::string_view number, Timestamp now) {
  return load(kByNumber, number, now);
}

std::optional<Customer> CustomerRepository::by_email(std::string_view normalized_email, Timestamp now) {
  auto& st = conn_.statement("SELECT customer FROM customer_emails WHERE address = ?");
  st.bind(1, std::string(normalized_email));
  if (!st.executeStep()) return std::nullopt;
  const std::int64_t seq = st.getColumn(0).getInt64();
  st.reset();
  return load_seq(seq, now);
}

std::vector<Customer> CustomerRepository::by_phone(std::string_view normalized_phone, Timestamp now) {
  std::vector<std::int64_t> seqs;
  auto& st = conn_.statement("SELECT DISTINCT customer FROM customer_phones WHERE number = ? ORDER BY customer");
  st.bind(1, std::string(normalized_phone));
  while (st.executeStep()) seqs.push_back(st.getColumn(0).getInt64());
  std::vector<Customer> out;
  for (auto seq : seqs) {
    if (auto c = load_seq(seq, now)) out.push_back(std::move(*c));
  }
  return out;
}

std::vector<Customer> CustomerRepository::search(const std::vector<std::string>& prefixes, Page page, Timestamp now) {
  std::vector<std::int64_t> seqs;
  if (prefixes.empty()) {
    auto& st = conn_.statement(
        "SELECT c.seq FROM customer_names JOIN customers c ON c.seq = customer_names.rowid "
        "ORDER BY customer_names.name_key, c.number LIMIT ? OFFSET ?");
    bind_page(st, 1, 2, page.limit, page.offset);
    while (st.executeStep()) seqs.push_back(st.getColumn(0).getInt64());
  } else {
    // Prefixes are [a-z0-9]+ (text::fold_words), safe inside FTS5 quotes.
    std::string match;
    for (const auto& p : prefixes) {
      if (!match.empty()) match += ' ';
      match += '"' + p + "\"*";
    }
    auto& st = conn_.statement(
        "SELECT c.seq FROM customer_names JOIN customers c ON c.seq = customer_names.rowid "
        "WHERE customer_names MATCH ? "
        "ORDER BY customer_names.name_key, c.number LIMIT ? OFFSET ?");
    st.bind(1, match);
    bind_page(st, 2, 3, page.limit, page.offset);
    while (st.executeStep()) seqs.push_back(st.getColumn(0).getInt64());
  }
  std::vector<Customer> out;
  out.reserve(seqs.size());
  for (auto seq : seqs) {
    if (auto c = load_seq(seq, now)) out.push_back(std::move(*c));
  }
  return out;
}

// The live customer a key leads to: itself, or the one it was merged into.
#define PATRON_LIVE_OF(key)                                                               \
  "SELECT c.id, c.seq FROM customers k JOIN customers c ON c.seq = coalesce(k.merged_into, k.seq) " \
  "WHERE k." key " = ? AND c.erased_at IS NULL"

std::optional<CustomerId> CustomerRepository::live(const char* sql, std::string_view key) {
  auto& st = conn_.statement(sql);
  st.bind(1, std::string(key));
  if (!st.executeStep()) return std::nullopt;
  CustomerId id = CustomerId::parse(st.getColumn(0).getText());
  conn_.remember_customer(id.str(), st.getColumn(1).getInt64());
  return id;
}

std::optional<CustomerId> CustomerRepository::live_id(const CustomerId& id) {
  return live(PATRON_LIVE_OF("id"), id.str());
}

std::optional<CustomerId> CustomerRepository::id_by_number(std::string_view number) {
  return live(PATRON_LIVE_OF("number"), number);
}

#define PATRON_RESOLVE_BY(key)                                                            \
  "SELECT c.id, c.number, k.id, k.number, k.merged_into IS NOT NULL FROM customers k "   \
  "JOIN customers c ON c.seq = coalesce(k.merged_into, k.seq) WHERE k." key " = ? AND c.erased_at IS NULL"

std::optional<CustomerResolution> CustomerRepository::resolve(const char* sql, std::string_view key) {
  auto& st = conn_.statement(sql);
  st.bind(1, std::string(key));
  if (!st.executeStep()) return std::nullopt;
  CustomerResolution r{CustomerId::parse(st.getColumn(0).getText()), st.getColumn(1).getString(), {}, {}};
  if (st.getColumn(4).getInt() != 0) {
    r.merged_from = CustomerId::parse(st.getColumn(2).getText());
    r.merged_from_number = st.getColumn(3).getString();
  }
  return r;
}

std::optional<CustomerResolution> CustomerRepository::resolve_id(const CustomerId& id) {
  return resolve(PATRON_RESOLVE_BY("id"), id.str());
}

std::optional<CustomerResolution> CustomerRepository::resolve_number(std::string_view number) {
  return resolve(PATRON_RESOLVE_BY("number"), number);
}

std::vector<CustomerId> CustomerRepository::merged_into(const CustomerId& survivor) {
  auto& st = conn_.statement(
      "SELECT id FROM customers WHERE merged_into = (SELECT seq FROM customers WHERE id = ?) "
      "ORDER BY merged_at, seq");
  st.bind(1, survivor.str());
  std::vector<CustomerId> out;
  while (st.executeStep()) out.push_back(CustomerId::parse(st.getColumn(0).getText()));
  return out;
}

std::optional<CustomerId> CustomerRepository::id_by_email(std::string_view normalized_email) {
  auto& st = conn_.statement(
      "SELECT c.id, c.seq FROM customer_emails e JOIN customers c ON c.seq = e.customer WHERE e.address = ?");
  st.bind(1, std::string(normalized_email));
  if (!st.executeStep()) return std::nullopt;
  CustomerId id = CustomerId::parse(st.getColumn(0).getText());
  conn_.remember_customer(id.str(), st.getColumn(1).getInt64());
  return id;
}

std::vector<CustomerId> CustomerRepository::ids_by_phone(std::string_view normalized_phone) {
  auto& st = conn_.statement(
      "SELECT DISTINCT c.id, c.seq FROM customer_phones p JOIN customers c ON c.seq = p.customer "
      "WHERE p.number = ? ORDER BY c.seq");
  st.bind(1, std::string(normalized_phone));
  std::vector<CustomerId> out;
  while (st.executeStep()) out.push_back(CustomerId::parse(st.getColumn(0).getText()));
  return out;
}

std::string CustomerRepository::claim_generated_number() {
  if (!next_number_) {
    auto& st = conn_.statement("SELECT value FROM patron_meta WHERE key = 'next_customer_number'");
    if (!st.executeStep()) throw Error(Errc::storage, "storage: the customer number counter is missing");
    next_number_ = st.getColumn(0).getInt64();
  }
  auto& taken = conn_.statement("SELECT 1 FROM customers WHERE number = ?");
  while (true) {
    std::string candidate = std::to_string((*next_number_)++);
    if (candidate.size() < 5) candidate.insert(0, 5 - candidate.size(), '0');
    next_number_dirty_ = true;
    taken.reset();
    taken.bind(1, candidate);
    if (!taken.executeStep()) return candidate;
  }
}

void CustomerRepository::flush() {
  if (!next_number_dirty_) return;
  auto& st = conn_.statement("UPDATE patron_meta SET value = ? WHERE key = 'next_customer_number'");
  st.bind(1, static_cast<int64_t>(*next_number_));
  st.exec();
  next_number_dirty_ = false;
}

std::int64_t CustomerRepository::seq_of(const CustomerId& id) {
  const auto seq = customer_seq(conn_, id.str());
  if (!seq) throw Error(Errc::not_found, "ref: no customer " + id.str(), "ref");
  return *seq;
}

void CustomerRepository::email_taken(std::string_view address, std::int64_t seq) {
  auto& st = conn_.statement(
      "SELECT c.id, c.number, c.seq FROM customer_emails e JOIN customers c ON c.seq = e.customer "
      "WHERE e.address = ?");
  st.bind(1, std::string(address));
  if (st.executeStep()) {
    const std::string holder = st.getColumn(0).getString();
    const std::string number = st.getColumn(1).getString();
    if (st.getColumn(2).getInt64() == seq) {
      throw Error(Errc::already_exists, "email: the customer already has " + std::string(address), "email");
    }
    throw Error(Errc::already_exists,
                "email: " + std::string(address) + " is already held by customer " + holder + " (number " + number + ")",
                "email");
  }
  throw Error(Errc::already_exists, "email: " + std::string(address) + " is already held by another customer", "email");
}

void CustomerRepository::number_taken(std::string_view number) {
  auto& st = conn_.statement("SELECT id FROM customers WHERE number = ?");
  st.bind(1, std::string(number));
  const std::string holder = st.executeStep() ? st.getColumn(0).getString() : std::string("another customer");
  throw Error(Errc::already_exists,
              "number: customer number '" + std::string(number) + "' is already taken by customer " + holder, "number");
}

void CustomerRepository::insert(Customer& c, std::string_view name_key) {
  auto& st = conn_.statement(
      "INSERT INTO customers (title, first_name, last_name, date_of_birth, lifecycle_stage, tags, "
      "emergency_name, emergency_phone, status, ban_reason, banned_by, banned_at, online_until, updated_at, "
      "first_active_at, last_active_at, id, number, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  int i = bind_scalars(st, 1, c);
  st.bind(i++, c.id.str());
  st.bind(i++, c.number);
  bind_time(st, i++, c.created_at);
  try {
    st.exec();
  } catch (const SQLite::Exception& e) {
    if (is_unique_violation(e)) number_taken(c.number);
    throw;
  }
  const std::int64_t seq = conn_.db().getLastInsertRowid();
  conn_.remember_customer(c.id.str(), seq);

  auto& email = conn_.statement(
      "INSERT INTO customer_emails (address, customer, is_primary, position) VALUES (?, ?, ?, ?)");
  for (std::size_t k = 0; k < c.emails.size(); ++k) {
    email.reset();
    email.bind(1, c.emails[k].address);
    email.bind(2, static_cast<int64_t>(seq));
    email.bind(3, c.emails[k].primary ? 1 : 0);
    email.bind(4, static_cast<int64_t>(k + 1));
    try {
      email.exec();
    } catch (const SQLite::Exception& e) {
      if (is_unique_violation(e)) email_taken(c.emails[k].address, seq);
      throw;
    }
  }
  auto& phone = conn_.statement("INSERT INTO customer_phones (customer, number, label, verified) VALUES (?, ?, ?, ?)");
  for (const auto& p : c.phones) {
    phone.reset();
    phone.bind(1, static_cast<int64_t>(seq));
    phone.bind(2, p.number);
    phone.bind(3, std::string(to_string(p.label)));
    phone.bind(4, p.verified ? 1 : 0);
    phone.exec();
  }
  for (auto& a : c.addresses) a.id = add_address(c.id, a);
  auto& names = conn_.statement("INSERT INTO customer_names (rowid, name_key) VALUES (?, ?)");
  names.bind(1, static_cast<int64_t>(seq));
  names.bind(2, std::string(name_key));
  names.exec();
}

void CustomerRepository::update(const Customer& c, const std::optional<std::string>& name_key) {
  const std::int64_t seq = seq_of(c.id);
  auto& st = conn_.statement(
      "UPDATE customers SET title = ?, first_name = ?, last_name = ?, date_of_birth = ?, lifecycle_stage = ?, "
      "tags = ?, emergency_name = ?, emergency_phone = ?, status = ?, ban_reason = ?, banned_by = ?, "
      "banned_at = ?, online_until = ?, updated_at = ?, first_active_at = ?, last_active_at = ? WHERE seq = ?");
  const int i = bind_scalars(st, 1, c);
  st.bind(i, static_cast<int64_t>(seq));
  st.exec();
  if (name_key) {
    auto& names = conn_.statement("UPDATE customer_names SET name_key = ? WHERE rowid = ?");
    names.bind(1, *name_key);
    names.bind(2, static_cast<int64_t>(seq));
    names.exec();
  }
}

void CustomerRepository::set_number(const CustomerId& id, std::string_view number) {
  auto& st = conn_.statement("UPDATE customers SET number = ? WHERE seq = ?");
  st.bind(1, std::string(number));
  st.bind(2, static_cast<int64_t>(seq_of(id)));
  try {
    st.exec();
  } catch (const SQLite::Exception& e) {
    if (is_unique_violation(e)) number_taken(number);
    throw;
  }
}

void CustomerRepository::add_email(const CustomerId& id, const Email& email) {
  const std::int64_t seq = seq_of(id);
  if (email.primary) {
    auto& demote = conn_.statement("UPDATE customer_emails SET is_primary = 0 WHERE customer = ? AND is_primary = 1");
    demote.bind(1, static_cast<int64_t>(seq));
    demote.exec();
  }
  auto& st = conn_.statement(
      "INSERT INTO customer_emails (address, customer, is_primary, position) "
      "VALUES (?1, ?2, ?3, (SELECT coalesce(max(position), 0) + 1 FROM customer_emails WHERE customer = ?2))");
  st.bind(1, email.address);
  st.bind(2, static_cast<int64_t>(seq));
  st.bind(3, email.primary ? 1 : 0);
  try {
    st.exec();
  } catch (const SQLite::Exception& e) {
    if (is_unique_violation(e)) email_taken(email.address, seq);
    throw;
  }
}

void CustomerRepository::remove_email(const CustomerId& id, std::string_view address) {
  auto& st = conn_.statement("DELETE FROM customer_emails WHERE address = ? AND customer = ?");
  st.bind(1, std::string(address));
  st.bind(2, static_cast<int64_t>(seq_of(id)));
  st.exec();
}

void CustomerRepository::set_primary_email(const CustomerId& id, std::string_view address) {
  const std::int64_t seq = seq_of(id);
  auto& demote = conn_.statement("UPDATE customer_emails SET is_primary = 0 WHERE customer = ? AND is_primary = 1");
  demote.bind(1, static_cast<int64_t>(seq));
  demote.exec();
  auto& promote = conn_.statement("UPDATE customer_emails SET is_primary = 1 WHERE customer = ? AND address = ?");
  promote.bind(1, static_cast<int64_t>(seq));
  promote.bind(2, std::string(address));
  promote.exec();
}

void CustomerRepository::add_phone(const CustomerId& id, const Phone& phone) {
  auto& st = conn_.statement("INSERT INTO customer_phones (customer, number, label, verified) VALUES (?, ?, ?, ?)");
  st.bind(1, static_cast<int64_t>(seq_of(id)));
  st.bind(2, phone.number);
  st.bind(3, std::string(to_string(phone.label)));
  st.bind(4, phone.verified ? 1 : 0);
  try {
    st.exec();
  } catch (const SQLite::Exception& e) {
    if (is_unique_violation(e)) {
      throw Error(Errc::already_exists, "phone: the customer already has " + phone.number, "phone");
    }
    throw;
  }
}

void CustomerRepository::remove_phone(const CustomerId& id, std::string_view number) {
  auto& st = conn_.statement("DELETE FROM customer_phones WHERE customer = ? AND number = ?");
  st.bind(1, static_cast<int64_t>(seq_of(id)));
  st.bind(2, std::string(number));
  st.exec();
}

std::int64_t CustomerRepository::add_address(const CustomerId& id, const Address& a) {
  const std::int64_t seq = seq_of(id);
  if (a.is_default) {
    auto& demote = conn_.statement(
        "UPDATE customer_addresses SET is_default = 0 WHERE customer = ? AND purpose = ? AND is_default = 1");
    demote.bind(1, static_cast<int64_t>(seq));
    demote.bind(2, std::string(to_string(a.purpose)));
    demote.exec();
  }
  auto& st = conn_.statement(
      "INSERT INTO customer_addresses (customer, purpose, line1, line2, city, region, postal_code, country, "
      "is_default) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, static_cast<int64_t>(seq));
  st.bind(2, std::string(to_string(a.purpose)));
  st.bind(3, a.line1);
  st.bind(4, a.line2);
  st.bind(5, a.city);
  st.bind(6, a.region);
  st.bind(7, a.postal_code);
  st.bind(8, a.country);
  st.bind(9, a.is_default ? 1 : 0);
  st.exec();
  return conn_.db().getLastInsertRowid();
}

void CustomerRepository::remove_address(const CustomerId& id, std::int64_t address_id) {
  auto& st = conn_.statement("DELETE FROM customer_addresses WHERE id = ? AND customer = ?");
  st.bind(1, static_cast<int64_t>(address_id));
  st.bind(2, static_cast<int64_t>(seq_of(id)));
  st.exec();
}

void CustomerRepository::set_default_address(const CustomerId& id, std::int64_t address_id) {
  const std::int64_t seq = seq_of(id);
  auto& demote = conn_.statement(
      "UPDATE customer_addresses SET is_default = 0 WHERE customer = ?1 AND is_default = 1 "
      "AND purpose = (SELECT purpose FROM customer_addresses WHERE id = ?2)");
  demote.bind(1, static_cast<int64_t>(seq));
  demote.bind(2, static_cast<int64_t>(address_id));
  demote.exec();
  auto& promote = conn_.statement("UPDATE customer_addresses SET is_default = 1 WHERE id = ? AND customer = ?");
  promote.bind(1, static_cast<int64_t>(address_id));
  promote.bind(2, static_cast<int64_t>(seq));
  promote.exec();
}


// Scans. Statements are cached by address, so the optional criteria are
// parameters that are NULL when not given.
#define PATRON_CUSTOMER_FILTER                                                                              \
  "merged_into IS NULL AND erased_at IS NULL "                                                              \
  "AND (:ids IS NULL OR id IN (SELECT value FROM json_each(:ids))) "                                         \
  "AND (:company IS NULL OR seq IN (SELECT customer FROM company_links WHERE company = :company)) "          \
  "AND (:currency IS NULL OR seq IN (SELECT customer FROM rfm_scores WHERE currency = :currency "            \
  "     AND segment = :segment)) "                                                                           \
  "AND (:created IS NULL OR created_at >= :created) AND (:changed IS NULL OR updated_at >= :changed) "
#define PATRON_FILTERED_SEQS "(SELECT seq FROM customers WHERE " PATRON_CUSTOMER_FILTER ")"

namespace {

void bind_filter(SQLite::Statement& st, const store::CustomerFilter& f) {
  if (f.ids) {
    nlohmann::json ids = nlohmann::json::array();
    for (const auto& id : *f.ids) ids.push_back(id.str());
    st.bind(":ids", ids.dump());
  }
  if (f.company) st.bind(":company", static_cast<int64_t>(*f.company));
  if (f.rfm) {
    st.bind(":currency", f.rfm->first);
    st.bind(":segment", f.rfm->second);
  }
  if (f.created_since) st.bind(":created", static_cast<int64_t>(to_micros(*f.created_since)));
  if (f.changed_since) st.bind(":changed", static_cast<int64_t>(to_micros(*f.changed_since)));
}

// The index of `seq` in the ascending `seqs`.
std::size_t index_of(const std::vector<std::int64_t>& seqs, std::int64_t seq) {
  return static_cast<std::size_t>(std::lower_bound(seqs.begin(), seqs.end(), seq) - seqs.begin());
}

}  // namespace

store::CustomerScan CustomerRepository::scan(const store::CustomerFilter& filter, std::int64_t after,
                                             std::size_t limit, Timestamp now) {
  // A list of ids drives the scan through the id index; otherwise it walks
  // the table in row order.
  auto& st = conn_.statement(filter.ids ? PATRON_CUSTOMER_COLUMNS
                                 "WHERE seq > :after AND seq IN (SELECT seq FROM customers WHERE id IN "
                                 "(SELECT value FROM json_each(:ids))) AND " PATRON_CUSTOMER_FILTER
                                 "ORDER BY seq LIMIT :limit"
                                        : PATRON_CUSTOMER_COLUMNS "WHERE seq > :after AND " PATRON_CUSTOMER_FILTER
                                                                  "ORDER BY seq LIMIT :limit");
  st.bind(":after", static_cast<int64_t>(after));
  st.bind(":limit", static_cast<int64_t>(limit));
  bind_filter(st, filter);
  store::CustomerScan out;
  std::vector<std::int64_t> seqs;
  while (st.executeStep()) {
    seqs.push_back(st.getColumn(0).getInt64());
    out.customers.push_back(read_row(st, now));
  }
  st.reset();
  if (seqs.empty()) return out;
  out.next = seqs.back();
  // Contacts of the page in three statements: a range of row ids when the
  // page is dense (a whole-base export), else the list of them.
  const bool dense = seqs.back() - seqs.front() < 2 * static_cast<std::int64_t>(seqs.size());
  const std::string list = dense ? std::string() : nlohmann::json(seqs).dump();
  const auto bind_page_of = [&](SQLite::Statement& contacts) {
    if (dense) {
      contacts.bind(1, static_cast<int64_t>(seqs.front()));
      contacts.bind(2, static_cast<int64_t>(seqs.back()));
    } else {
      contacts.bind(1, list);
    }
  };
  // The customer of a contact row, or nullptr when the range brought one
  // the page does not hold.
  const auto holder = [&](SQLite::Statement& contacts) -> Customer* {
    const std::int64_t seq = contacts.getColumn(0).getInt64();
    const std::size_t i = index_of(seqs, seq);
    return i < seqs.size() && seqs[i] == seq ? &out.customers[i] : nullptr;
  };
  auto& emails = conn_.statement(
      dense ? "SELECT customer, address, is_primary FROM customer_emails WHERE customer BETWEEN ? AND ? "
              "ORDER BY customer, is_primary DESC, position"
            : "SELECT customer, address, is_primary FROM customer_emails "
              "WHERE customer IN (SELECT value FROM json_each(?)) ORDER BY customer, is_primary DESC, position");
  bind_page_of(emails);
  while (emails.executeStep()) {
    if (Customer* c = holder(emails)) {
      c->emails.push_back(Email{emails.getColumn(1).getString(), emails.getColumn(2).getInt() != 0});
    }
  }
  auto& phones = conn_.statement(
      dense ? "SELECT customer, number, label, verified FROM customer_phones WHERE customer BETWEEN ? AND ? "
              "ORDER BY customer, id"
            : "SELECT customer, number, label, verified FROM customer_phones "
              "WHERE customer IN (SELECT value FROM json_each(?)) ORDER BY customer, id");
  bind_page_of(phones);
  while (phones.executeStep()) {
    if (Customer* c = holder(phones)) {
      c->phones.push_back(Phone{phones.getColumn(1).getString(), parse_phone_label(phones.getColumn(2).getText()),
                                phones.getColumn(3).getInt() != 0});
    }
  }
  auto& addresses = conn_.statement(
      dense ? "SELECT customer, id, purpose, line1, line2, city, region, postal_code, country, is_default "
              "FROM customer_addresses WHERE customer BETWEEN ? AND ? ORDER BY customer, id"
            : "SELECT customer, id, purpose, line1, line2, city, region, postal_code, country, is_default "
              "FROM customer_addresses WHERE customer IN (SELECT value FROM json_each(?)) ORDER BY customer, id");
  bind_page_of(addresses);
  while (addresses.executeStep()) {
    if (Customer* c = holder(addresses)) c->addresses.push_back(address_at(addresses, 1));
  }
  return out;
}

store::CustomerListSizes CustomerRepository::list_sizes(const store::CustomerFilter& filter) {
  store::CustomerListSizes out;
  {
    auto& st = conn_.statement(
        "SELECT count(*), coalesce(max(json_array_length(tags)), 0) FROM customers WHERE " PATRON_CUSTOMER_FILTER);
    bind_filter(st, filter);
    st.executeStep();
    out.customers = st.getColumn(0).getInt64();
    out.tags = static_cast<std::size_t>(st.getColumn(1).getInt64());
  }
  const auto most = [&](const char* sql) {
    auto& st = conn_.statement(sql);
    bind_filter(st, filter);
    st.executeStep();
    return static_cast<std::size_t>(st.getColumn(0).getInt64());
  };
  out.emails = most(
      "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM customer_emails "
      "WHERE customer IN " PATRON_FILTERED_SEQS " GROUP BY customer)");
  out.phones = most(
      "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM customer_phones "
      "WHERE customer IN " PATRON_FILTERED_SEQS " GROUP BY customer)");
  out.addresses = most(
      "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM customer_addresses "
      "WHERE customer IN " PATRON_FILTERED_SEQS " GROUP BY customer)");
  auto& st = conn_.statement(
      "SELECT key, max(n) FROM (SELECT v.key, count(*) AS n FROM custom_field_values v "
      "JOIN custom_fields f ON f.key = v.key AND f.type = 'multi_select' "
      "WHERE v.customer IN " PATRON_FILTERED_SEQS " GROUP BY v.customer, v.key) GROUP BY key");
  bind_filter(st, filter);
  while (st.executeStep()) {
    out.options.emplace(st.getColumn(0).getString(), static_cast<std::size_t>(st.getColumn(1).getInt64()));
  }
  return out;
}

}  // namespace patron::sqlite
