#include "sqlite/consent_repository.hpp"

#include <nlohmann/json.hpp>

#include <string>

#include "sqlite/time_columns.hpp"

namespace patron::sqlite {
namespace {

#define PATRON_CONSENT_COLUMNS                                                                                \
  "SELECT l.id, c.id, l.channel, l.purpose, l.status, l.legal_basis, l.source, l.text_version, l.evidence, " \
  "l.recorded_by, l.at, l.expires_at, l.confirms FROM consent_log l JOIN customers c ON c.seq = l.customer "

ConsentEntry read_entry(SQLite::Statement& row) {
  ConsentEntry e;
  e.id = row.getColumn(0).getInt64();
  e.customer = CustomerId::parse(row.getColumn(1).getText());
  e.channel = parse_channel(row.getColumn(2).getText());
  e.purpose = row.getColumn(3).getString();
  e.status = parse_consent_status(row.getColumn(4).getText());
  if (const auto basis = optional_text(row, 5)) e.legal_basis = parse_legal_basis(*basis);
  e.source = row.getColumn(6).getString();
  e.text_version = row.getColumn(7).getString();
  e.evidence = row.getColumn(8).getString();
  e.recorded_by = row.getColumn(9).getString();
  e.at = time_at(row, 10);
  e.expires_at = optional_time_at(row, 11);
  e.confirms = optional_int(row, 12);
  return e;
}

std::optional<ConsentEntry> one_entry(SQLite::Statement& st) {
  if (!st.executeStep()) return std::nullopt;
  return read_entry(st);
}

store::CurrentConsent read_current(SQLite::Statement& row, int first) {
  return {parse_consent_status(row.getColumn(first).getText()), row.getColumn(first + 1).getInt64(),
          time_at(row, first + 2)};
}

ConsentPurpose read_purpose(SQLite::Statement& row) {
  return {row.getColumn(0).getString(), row.getColumn(1).getString(), row.getColumn(2).getInt() != 0, false};
}

}  // namespace

void ConsentRepository::append(ConsentEntry& e, const std::string& token_hash) {
  const std::int64_t seq = require_customer_seq(conn_, e.customer.str());
  auto& st = conn_.statement(
      "INSERT INTO consent_log (customer, channel, purpose, status, legal_basis, source, text_version, evidence, "
      "recorded_by, at, token_hash, expires_at, confirms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, static_cast<int64_t>(seq));
  st.bind(2, std::string(to_string(e.channel)));
  st.bind(3, e.purpose);
  st.bind(4, std::string(to_string(e.status)));
  bind_optional(st, 5, e.legal_basis ? std::optional<std::string>(std::string(to_string(*e.legal_basis)))
                                     : std::nullopt);
  st.bind(6, e.source);
  st.bind(7, e.text_version);
  st.bind(8, e.evidence);
  st.bind(9, e.recorded_by);
  bind_time(st, 10, e.at);
  bind_optional(st, 11, token_hash.empty() ? std::nullopt : std::optional<std::string>(token_hash));
  bind_time(st, 12, e.expires_at);
  bind_optional(st, 13, e.confirms);
  st.exec();
  e.id = conn_.db().getLastInsertRowid();
}

std::optional<ConsentEntry> ConsentRepository::get(std::int64_t id) {
  auto& st = conn_.statement(PATRON_CONSENT_COLUMNS "WHERE l.id = ?");
  st.bind(1, static_cast<int64_t>(id));
  return one_entry(st);
}

std::optional<ConsentEntry> ConsentRepository::request_by_token(const std::string& token_hash) {
  auto& st = conn_.statement(PATRON_CONSENT_COLUMNS "WHERE l.token_hash = ?");
  st.bind(1, token_hash);
  return one_entry(st);
}

std::optional<std::int64_t> ConsentRepository::confirmation_of(std::int64_t request) {
  auto& st = conn_.statement("SELECT id FROM consent_log WHERE confirms = ?");
  st.bind(1, static_cast<int64_t>(request));
  if (!st.executeStep()) return std::nullopt;
  return st.getColumn(0).getInt64();
}

bool ConsentRepository::withdrawn_after(const CustomerId& customer, Channel channel, std::string_view purpose,
                                        std::int64_t entry) {
  auto& st = conn_.statement(
      // After it in the log and in time: an entry a merge carried keeps the
      // time the person acted, which may be before the request.
      "SELECT EXISTS (SELECT 1 FROM consent_log WHERE customer = (SELECT seq FROM customers WHERE id = ?1) "
      "AND id > ?4 AND at >= (SELECT at FROM consent_log WHERE id = ?4) AND channel = ?2 AND purpose = ?3 "
      "AND status = 'withdrawn')");
  st.bind(1, customer.str());
  st.bind(2, std::string(to_string(channel)));
  st.bind(3, std::string(purpose));
  st.bind(4, static_cast<int64_t>(entry));
  st.executeStep();
  return st.getColumn(0).getInt() != 0;
}

std::optional<store::CurrentConsent> ConsentRepository::current(const CustomerId& customer, Channel channel,
                                                                std::string_view purpose) {
  auto& st = conn_.statement(
      "SELECT status, entry, since FROM consent_current WHERE customer = ?1 AND channel = ?2 AND purpose = ?3");
  st.bind(1, customer.str());
  st.bind(2, std::string(to_string(channel)));
  st.bind(3, std::string(purpose));
  if (!st.executeStep()) return std::nullopt;
  return read_current(st, 0);
}

void ConsentRepository::drop_states(const CustomerId& customer) {
  auto& st = conn_.statement("DELETE FROM consent_current WHERE customer = ?");
  st.bind(1, customer.str());
  st.exec();
}

std::vector<std::pair<std::pair<Channel, std::string>, store::CurrentConsent>> ConsentRepository::states(
    const CustomerId& customer) {
  auto& st = conn_.statement(
      "SELECT channel, purpose, status, entry, since FROM consent_current WHERE customer = ? "
      "ORDER BY channel, purpose");
  st.bind(1, customer.str());
  return read_rows(st, [](SQLite::Statement& row) {
    return std::make_pair(std::make_pair(parse_channel(row.getColumn(0).getText()), row.getColumn(1).getString()),
                          read_current(row, 2));
  });
}

std::vector<ConsentEntry> ConsentRepository::history(const CustomerId& customer, Page page) {
  // Customers merged into this one name it directly (chains are followed
  // when a merge is marked): their logs are part of its proof.
  auto& st = conn_.statement(PATRON_CONSENT_COLUMNS
                             "WHERE l.customer IN (SELECT seq FROM customers WHERE id = ?1 UNION ALL "
                             "SELECT m.seq FROM customers m JOIN customers s ON m.merged_into = s.seq WHERE s.id = ?1) "
                             "ORDER BY l.id DESC LIMIT ?2 OFFSET ?3");
  st.bind(1, customer.str());
  bind_page(st, 2, 3, page.limit, page.offset);
  return read_rows(st, read_entry);
}

std::vector<CustomerId> ConsentRepository::reachable(Channel channel, std::string_view purpose, bool opt_out,
                                                     const std::string& after, std::size_t limit) {
  // Opt-in walks the granted states in the reachable index (only live
  // customers have states); opt-out walks the customers by id and skips
  // those whose state stands against it.
  auto& st = opt_out ? conn_.statement(
                           "SELECT c.id FROM customers c WHERE c.id > ?3 AND c.merged_into IS NULL AND c.erased_at IS NULL "
                           "AND NOT EXISTS (SELECT 1 FROM consent_current cc WHERE cc.customer = c.id "
                           "AND cc.channel = ?1 AND cc.purpose = ?2 AND cc.status = 'withdrawn') "
                           "ORDER BY c.id LIMIT ?4")
                     : conn_.statement(
                           "SELECT customer FROM consent_current WHERE channel = ?1 AND purpose = ?2 "
                           "AND status = 'granted' AND customer > ?3 ORDER BY customer LIMIT ?4");
  st.bind(1, std::string(to_string(channel)));
  st.bind(2, std::string(purpose));
  st.bind(3, after);
  st.bind(4, static_cast<int64_t>(limit));
  return read_rows(st, [](SQLite::Statement& row) { return CustomerId::parse(row.getColumn(0).getText()); });
}

void ConsentRepository::insert_purpose(const ConsentPurpose& p, Timestamp at) {
  auto& st = conn_.statement(
      "INSERT INTO consent_purposes (name, description, opt_out, created_at) VALUES (?, ?, ?, ?)");
  st.bind(1, p.name);
  st.bind(2, p.description);
  st.bind(3, p.opt_out ? 1 : 0);
  bind_time(st, 4, at);
  st.exec();
}

std::optional<ConsentPurpose> ConsentRepository::purpose(std::string_view name) {
  auto& st = conn_.statement("SELECT name, description, opt_out FROM consent_purposes WHERE name = ?");
  st.bind(1, std::string(name));
  if (!st.executeStep()) return std::nullopt;
  return read_purpose(st);
}

std::vector<ConsentPurpose> ConsentRepository::purposes() {
  auto& st = conn_.statement("SELECT name, description, opt_out FROM consent_purposes ORDER BY name");
  return read_rows(st, read_purpose);
}

std::optional<std::string> ConsentRepository::secret(std::string_view name) {
  auto& st = conn_.statement("SELECT value FROM patron_keys WHERE name = ?");
  st.bind(1, std::string(name));
  if (!st.executeStep()) return std::nullopt;
  const auto& col = st.getColumn(0);
  return std::string(static_cast<const char*>(col.getBlob()), static_cast<std::size_t>(col.getBytes()));
}

void ConsentRepository::insert_secret(std::string_view name, const std::string& value) {
  auto& st = conn_.statement("INSERT INTO patron_keys (name, value) VALUES (?, ?)");
  st.bind(1, std::string(name));
  st.bind(2, value.data(), static_cast<int>(value.size()));
  st.exec();
}

void ConsentRepository::suppress(const std::string& hash, std::string_view purpose, Timestamp at) {
  auto& st = conn_.statement(
      "INSERT INTO consent_suppressions (hash, purpose, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
  st.bind(1, hash);
  st.bind(2, std::string(purpose));
  bind_time(st, 3, at);
  st.exec();
}

void ConsentRepository::lift(const std::string& hash, std::string_view purpose) {
  auto& st = conn_.statement("DELETE FROM consent_suppressions WHERE hash = ? AND purpose = ?");
  st.bind(1, hash);
  st.bind(2, std::string(purpose));
  st.exec();
}

bool ConsentRepository::suppressed(const std::string& hash, std::string_view purpose) {
  auto& st = conn_.statement("SELECT EXISTS (SELECT 1 FROM consent_suppressions WHERE hash = ? AND purpose = ?)");
  st.bind(1, hash);
  st.bind(2, std::string(purpose));
  st.executeStep();
  return st.getColumn(0).getInt() != 0;
}

void ConsentRepository::save_preferences(const CustomerId& customer, const ContactPreferences& p, Timestamp at) {
  const std::int64_t seq = require_customer_seq(conn_, customer.str());
  nlohmann::json windows = nlohmann::json::array();
  for (const auto& w : p.windows) {
    nlohmann::json days = nlohmann::json::array();
    for (const Weekday d : w.days) days.push_back(std::string(to_string(d)));
    windows.push_back({{"days", days}, {"from", w.from}, {"to", w.to}});
  }
  auto& st = conn_.statement(
      "INSERT INTO contact_preferences (customer, channel, language, time_zone, windows, updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (customer) DO UPDATE SET channel = ?2, language = ?3, "
      "time_zone = ?4, windows = ?5, updated_at = ?6");
  st.bind(1, static_cast<int64_t>(seq));
  bind_optional(st, 2, p.channel ? std::optional<std::string>(std::string(to_string(*p.channel))) : std::nullopt);
  st.bind(3, p.language);
  st.bind(4, p.time_zone);
  st.bind(5, windows.dump());
  bind_time(st, 6, at);
  st.exec();
}

std::optional<ContactPreferences> ConsentRepository::preferences(const CustomerId& customer) {
  auto& st = conn_.statement(
      "SELECT channel, language, time_zone, windows FROM contact_preferences "
      "WHERE customer = (SELECT seq FROM customers WHERE id = ?)");
  st.bind(1, customer.str());
  if (!st.executeStep()) return std::nullopt;
  ContactPreferences p;
  if (const auto ch = optional_text(st, 0)) p.channel = parse_channel(*ch);
  p.language = st.getColumn(1).getString();
  p.time_zone = st.getColumn(2).getString();
  for (const auto& w : nlohmann::json::parse(st.getColumn(3).getString())) {
    ContactWindow window;
    for (const auto& d : w.at("days")) window.days.push_back(parse_weekday(d.get<std::string>()));
    window.from = w.at("from").get<std::string>();
    window.to = w.at("to").get<std::string>();
    p.windows.push_back(std::move(window));
  }
  return p;
}

}  // namespace patron::sqlite
