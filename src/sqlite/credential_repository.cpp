#include "sqlite/credential_repository.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>

#include "patron/error.hpp"
#include "sqlite/time_columns.hpp"

namespace patron::sqlite {
namespace {

#define PATRON_CREDENTIAL_COLUMNS                                                                            \
  "SELECT cr.id, cr.kind, cr.value, c.id, cr.status, cr.valid_from, cr.valid_until, cr.label, "              \
  "cr.wallet_provider, cr.wallet_serial, cr.wallet_pass_type, cr.replaces, cr.replaced_by, cr.created_at, " \
  "cr.updated_at FROM credentials cr JOIN customers c ON c.seq = cr.customer "

// Non-phone kinds match `?1`; phone credentials match `?2` (NULL: none).
#define PATRON_NAMED_BY                                                        \
  "cr.value IN (?1, ?2) AND CASE WHEN cr.kind = 'phone' THEN cr.value IS ?2 " \
  "ELSE cr.value = ?1 END "

Credential read_credential(SQLite::Statement& row) {
  Credential c;
  c.id = row.getColumn(0).getInt64();
  c.kind = parse_credential_kind(row.getColumn(1).getText());
  c.value = row.getColumn(2).getString();
  c.customer = CustomerId::parse(row.getColumn(3).getText());
  c.status = parse_credential_status(row.getColumn(4).getText());
  c.valid_from = optional_time_at(row, 5);
  c.valid_until = optional_time_at(row, 6);
  c.label = row.getColumn(7).getString();
  if (!row.getColumn(8).isNull()) {
    c.wallet = WalletPass{parse_wallet_provider(row.getColumn(8).getText()), row.getColumn(9).getString(),
                          parse_pass_type(row.getColumn(10).getText())};
  }
  c.replaces = optional_int(row, 11);
  c.replaced_by = optional_int(row, 12);
  c.created_at = time_at(row, 13);
  c.updated_at = time_at(row, 14);
  return c;
}

std::vector<Credential> read_all(SQLite::Statement& st) { return read_rows(st, read_credential); }

void bind_named_by(SQLite::Statement& st, std::string_view value, std::optional<std::string_view> phone) {
  st.bind(1, std::string(value));
  if (phone) {
    st.bind(2, std::string(*phone));
  } else {
    st.bind(2);
  }
}

// Runs an insert or update, turning a clash on the active-value index into
// already_exists naming "value".
void exec_unique_value(SQLite::Statement& st, const Credential& c) {
  try {
    st.exec();
  } catch (const SQLite::Exception& e) {
    if (e.getExtendedErrorCode() != SQLITE_CONSTRAINT_UNIQUE || std::strstr(e.what(), "credentials.value") == nullptr) {
      throw;
    }
    throw Error(Errc::already_exists,
                "value: another active " + std::string(to_string(c.kind)) + " credential holds " + c.value, "value");
  }
}

}  // namespace

void CredentialRepository::insert(Credential& c) {
  const std::int64_t seq = require_customer_seq(conn_, c.customer.str());
  auto& st = conn_.statement(
      "INSERT INTO credentials (kind, value, customer, status, valid_from, valid_until, label, wallet_provider, "
      "wallet_serial, wallet_pass_type, replaces, replaced_by, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, std::string(to_string(c.kind)));
  st.bind(2, c.value);
  st.bind(3, static_cast<int64_t>(seq));
  st.bind(4, std::string(to_string(c.status)));
  bind_time(st, 5, c.valid_from);
  bind_time(st, 6, c.valid_until);
  st.bind(7, c.label);
  if (c.wallet) {
    st.bind(8, std::string(to_string(c.wallet->provider)));
    st.bind(9, c.wallet->serial);
    st.bind(10, std::string(to_string(c.wallet->pass_type)));
  } else {
    for (int i = 8; i <= 10; ++i) st.bind(i);
  }
  bind_optional(st, 11, c.replaces);
  bind_optional(st, 12, c.replaced_by);
  bind_time(st, 13, c.created_at);
  bind_time(st, 14, c.updated_at);
  exec_unique_value(st, c);
  c.id = conn_.db().getLastInsertRowid();
}

std::optional<Credential> CredentialRepository::get(std::int64_t id) {
  auto& st = conn_.statement(PATRON_CREDENTIAL_COLUMNS "WHERE cr.id = ?");
  st.bind(1, static_cast<int64_t>(id));
  if (!st.executeStep()) return std::nullopt;
  return read_credential(st);
}

void CredentialRepository::update(const Credential& c) {
  auto& st = conn_.statement(
      "UPDATE credentials SET status = ?, valid_from = ?, valid_until = ?, label = ?, replaced_by = ?, "
      "updated_at = ? WHERE id = ?");
  st.bind(1, std::string(to_string(c.status)));
  bind_time(st, 2, c.valid_from);
  bind_time(st, 3, c.valid_until);
  st.bind(4, c.label);
  bind_optional(st, 5, c.replaced_by);
  bind_time(st, 6, c.updated_at);
  st.bind(7, static_cast<int64_t>(c.id));
  exec_unique_value(st, c);
}

std::vector<Credential> CredentialRepository::of_customer(const CustomerId& customer) {
  auto& st = conn_.statement(PATRON_CREDENTIAL_COLUMNS "WHERE c.id = ? ORDER BY cr.id DESC");
  st.bind(1, customer.str());
  return read_all(st);
}

std::vector<Credential> CredentialRepository::find(CredentialKind kind, std::string_view value) {
  auto& st = conn_.statement(PATRON_CREDENTIAL_COLUMNS "WHERE cr.value = ? AND cr.kind = ? ORDER BY cr.id DESC");
  st.bind(1, std::string(value));
  st.bind(2, std::string(to_string(kind)));
  return read_all(st);
}

std::vector<Credential> CredentialRepository::named_by(std::string_view value, std::optional<std::string_view> phone) {
  auto& st = conn_.statement(PATRON_CREDENTIAL_COLUMNS "WHERE " PATRON_NAMED_BY
                                                      "ORDER BY cr.updated_at DESC, cr.id DESC");
  bind_named_by(st, value, phone);
  return read_all(st);
}

std::vector<store::CredentialHolder> CredentialRepository::usable_holders(std::string_view value,
                                                                          std::optional<std::string_view> phone,
                                                                          Timestamp at) {
#define PATRON_USABLE_HOLDERS(named_by)                                                          \
  "SELECT c.id, cr.id FROM credentials cr JOIN customers c ON c.seq = cr.customer WHERE " named_by \
  "AND cr.status = 'active' AND (cr.valid_from IS NULL OR cr.valid_from <= ?3) "                   \
  "AND (cr.valid_until IS NULL OR ?3 < cr.valid_until)"
  // A token without a phone form (most cards) needs one index probe, not two.
  auto& st = phone ? conn_.statement(PATRON_USABLE_HOLDERS(PATRON_NAMED_BY))
                   : conn_.statement(PATRON_USABLE_HOLDERS("cr.value = ?1 AND cr.kind <> 'phone' "));
#undef PATRON_USABLE_HOLDERS
  if (phone) {
    bind_named_by(st, value, phone);
  } else {
    st.bind(1, std::string(value));
  }
  bind_time(st, 3, at);
  std::vector<store::CredentialHolder> out;
  while (st.executeStep()) {
    out.push_back({CustomerId::parse(st.getColumn(0).getText()), st.getColumn(1).getInt64()});
  }
  // Ordered here, not in SQL: rarely more than one row, and ORDER BY would
  // cost a temporary B-tree on this hot path.
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.credential < b.credential; });
  return out;
}

}  // namespace patron::sqlite
