#include "sqlite/duplicate_repository.hpp"

#include <algorithm>

#include "patron/error.hpp"
#include "sqlite/time_columns.hpp"

namespace patron::sqlite {

std::vector<CustomerId> DuplicateRepository::stale(std::size_t limit) {
  // A mark whose customer was deleted since is dropped here, not by a
  // foreign key: a mark must never stop a deletion.
  auto& st = conn_.statement(
      "SELECT s.customer, c.id FROM match_stale s LEFT JOIN customers c ON c.seq = s.customer "
      "ORDER BY s.customer LIMIT ?");
  std::vector<CustomerId> out;
  std::vector<std::int64_t> gone;
  do {
    gone.clear();
    st.reset();
    st.bind(1, static_cast<int64_t>(limit));
    while (st.executeStep()) {
      if (st.getColumn(1).isNull()) {
        gone.push_back(st.getColumn(0).getInt64());
      } else {
        out.push_back(CustomerId::parse(st.getColumn(1).getText()));
      }
    }
    st.reset();
    auto& drop = conn_.statement("DELETE FROM match_stale WHERE customer = ?");
    for (auto seq : gone) {
      drop.reset();
      drop.bind(1, static_cast<int64_t>(seq));
      drop.exec();
    }
  } while (out.empty() && !gone.empty());
  return out;
}

bool DuplicateRepository::any_stale() {
  auto& st = conn_.statement("SELECT EXISTS (SELECT 1 FROM match_stale)");
  st.executeStep();
  return st.getColumn(0).getInt() == 1;
}

void DuplicateRepository::put(const std::vector<Put>& entries) {
  // The keys of the whole batch go in in key order: neighbours share pages,
  // so a bulk refresh touches each page of the key index once, not once per key.
  std::vector<std::pair<std::string_view, std::int64_t>> keys;
  auto& drop_keys = conn_.statement("DELETE FROM match_keys WHERE customer = ?");
  auto& upsert = conn_.statement(
      "INSERT INTO match_entries (customer, record) VALUES (?1, ?2) "
      "ON CONFLICT (customer) DO UPDATE SET record = excluded.record");
  auto& remove = conn_.statement("DELETE FROM match_entries WHERE customer = ?");
  auto& done = conn_.statement("DELETE FROM match_stale WHERE customer = ?");
  for (const auto& [customer, entry] : entries) {
    const std::int64_t seq = require_customer_seq(conn_, customer.str());
    drop_keys.reset();
    drop_keys.bind(1, static_cast<int64_t>(seq));
    drop_keys.exec();
    auto& st = entry ? upsert : remove;
    st.reset();
    st.bind(1, static_cast<int64_t>(seq));
    if (entry) st.bind(2, entry->record);
    st.exec();
    if (entry) {
      for (const auto& k : entry->keys) keys.emplace_back(k, seq);
    }
    done.reset();
    done.bind(1, static_cast<int64_t>(seq));
    done.exec();
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  auto& key = conn_.statement("INSERT INTO match_keys (key, customer) VALUES (?, ?)");
  for (const auto& [k, seq] : keys) {
    key.reset();
    key.bindNoCopy(1, k.data());  // a whole std::string of the batch: NUL-terminated, alive till the end
    key.bind(2, static_cast<int64_t>(seq));
    key.exec();
  }
}

std::optional<std::string> DuplicateRepository::record(const CustomerId& customer) {
  auto& st = conn_.statement(
      "SELECT e.record FROM customers c JOIN match_entries e ON e.customer = c.seq WHERE c.id = ?");
  st.bind(1, customer.str());
  if (!st.executeStep()) return std::nullopt;
  return st.getColumn(0).getString();
}

std::vector<std::pair<CustomerId, std::string>> DuplicateRepository::with_key(std::string_view key,
                                                                              std::size_t limit) {
  // Sized on the key index alone first: a common key costs a short index
  // walk, never its holders' records.
  auto& size = conn_.statement("SELECT count(*) FROM (SELECT 1 FROM match_keys WHERE key = ? LIMIT ?)");
  size.bind(1, std::string(key));
  size.bind(2, static_cast<int64_t>(limit) + 1);
  size.executeStep();
  const auto n = static_cast<std::size_t>(size.getColumn(0).getInt64());
  size.reset();
  std::vector<std::pair<CustomerId, std::string>> out;
  if (n == 0 || n > limit) return out;
  auto& st = conn_.statement(
      "SELECT c.id, e.record FROM match_keys k JOIN match_entries e ON e.customer = k.customer "
      "JOIN customers c ON c.seq = k.customer WHERE k.key = ?");
  st.bind(1, std::string(key));
  while (st.executeStep()) out.emplace_back(CustomerId::parse(st.getColumn(0).getText()), st.getColumn(1).getString());
  return out;
}

std::int64_t DuplicateRepository::key_count(std::string_view key) {
  auto& st = conn_.statement("SELECT n FROM match_key_counts WHERE key = ?");
  st.bind(1, std::string(key));
  return st.executeStep() ? st.getColumn(0).getInt64() : 0;
}

void DuplicateRepository::each_key_count(std::string_view prefix,
                                         const std::function<void(std::string_view, std::int64_t)>& visit) {
  // Keys are ASCII: every key starting with `prefix` sorts below prefix + 0x7f.
  auto& st = conn_.statement("SELECT key, n FROM match_key_counts WHERE key >= ?1 AND key < ?2");
  st.bind(1, std::string(prefix));
  st.bind(2, std::string(prefix) + '\x7f');
  while (st.executeStep()) {
    const auto& k = st.getColumn(0);
    visit(std::string_view(static_cast<const char*>(k.getBlob()), static_cast<std::size_t>(k.getBytes())),
          st.getColumn(1).getInt64());
  }
}

void DuplicateRepository::each_record(
    const std::function<void(std::int64_t, const CustomerId&, std::string_view)>& visit) {
  auto& st = conn_.statement(
      "SELECT e.customer, c.id, e.record FROM match_entries e JOIN customers c ON c.seq = e.customer "
      "ORDER BY e.customer");
  while (st.executeStep()) {
    const auto& r = st.getColumn(2);
    visit(st.getColumn(0).getInt64(), CustomerId::parse(st.getColumn(1).getText()),
          std::string_view(static_cast<const char*>(r.getBlob()), static_cast<std::size_t>(r.getBytes())));
  }
}

std::size_t DuplicateRepository::each_block(std::string_view kinds, std::size_t max_block,
                                            const std::function<void(std::span<const std::int64_t>)>& visit) {
  // One pass over each kind's keys in index order: a block is the run of
  // rows sharing a key; runs longer than max_block are skipped whole.
  static constexpr std::string_view kAllKinds = "abcdefghijklmnopqrstuvwxyz";
  if (kinds.empty()) kinds = kAllKinds;
  std::size_t skipped = 0;
  auto& rows = conn_.statement(
      "SELECT key, customer FROM match_keys WHERE key >= ?1 AND key < ?2 ORDER BY key, customer");
  std::vector<std::int64_t> handles;
  std::string current;
  const auto flush = [&] {
    if (handles.size() > max_block) {
      ++skipped;
    } else if (handles.size() > 1) {
      visit(handles);
    }
    handles.clear();
  };
  for (const char kind : kinds) {
    rows.reset();
    rows.bind(1, std::string("b") + kind + ":");
    rows.bind(2, std::string("b") + kind + ";");  // ';' follows ':'
    current.clear();
    while (rows.executeStep()) {
      const auto& k = rows.getColumn(0);
      const std::string_view key(static_cast<const char*>(k.getBlob()), static_cast<std::size_t>(k.getBytes()));
      if (key != current) {
        flush();
        current.assign(key);
      }
      handles.push_back(rows.getColumn(1).getInt64());
    }
    flush();
  }
  rows.reset();
  return skipped;
}

void DuplicateRepository::decide(const CustomerId& a, const CustomerId& b, bool same, std::string_view by,
                                 Timestamp at) {
  std::int64_t x = require_customer_seq(conn_, a.str());
  std::int64_t y = require_customer_seq(conn_, b.str());
  if (x > y) std::swap(x, y);
  auto& st = conn_.statement(
      "INSERT INTO match_decisions (a, b, same, decided_by, decided_at) VALUES (?1, ?2, ?3, ?4, ?5) "
      "ON CONFLICT (a, b) DO UPDATE SET same = excluded.same, decided_by = excluded.decided_by, "
      "decided_at = excluded.decided_at");
  st.bind(1, static_cast<int64_t>(x));
  st.bind(2, static_cast<int64_t>(y));
  st.bind(3, same ? 1 : 0);
  st.bind(4, std::string(by));
  bind_time(st, 5, at);
  st.exec();
}

std::vector<store::MatchDecision> DuplicateRepository::decisions() {
  auto& st = conn_.statement(
      "SELECT d.a, d.b, ca.id, cb.id, d.same, d.decided_by, d.decided_at FROM match_decisions d "
      "JOIN customers ca ON ca.seq = d.a JOIN customers cb ON cb.seq = d.b ORDER BY d.a, d.b");
  std::vector<store::MatchDecision> out;
  while (st.executeStep()) {
    out.push_back(store::MatchDecision{st.getColumn(0).getInt64(), st.getColumn(1).getInt64(),
                                       CustomerId::parse(st.getColumn(2).getText()),
                                       CustomerId::parse(st.getColumn(3).getText()), st.getColumn(4).getInt() == 1,
                                       st.getColumn(5).getString(), time_at(st, 6)});
  }
  return out;
}

std::vector<CustomerId> DuplicateRepository::dismissed_with(const CustomerId& customer) {
  const auto seq = customer_seq(conn_, customer.str());
  if (!seq) return {};
  auto& st = conn_.statement(
      "SELECT c.id FROM match_decisions d JOIN customers c ON c.seq = d.b WHERE d.a = ?1 AND d.same = 0 "
      "UNION ALL "
      "SELECT c.id FROM match_decisions d JOIN customers c ON c.seq = d.a WHERE d.b = ?1 AND d.same = 0");
  st.bind(1, static_cast<int64_t>(*seq));
  std::vector<CustomerId> out;
  while (st.executeStep()) out.push_back(CustomerId::parse(st.getColumn(0).getText()));
  return out;
}

std::optional<std::string> DuplicateRepository::model() {
  auto& st = conn_.statement("SELECT params FROM match_model WHERE id = 1");
  if (!st.executeStep()) return std::nullopt;
  return st.getColumn(0).getString();
}

void DuplicateRepository::store_model(std::string_view json) {
  auto& st = conn_.statement(
      "INSERT INTO match_model (id, params) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET params = excluded.params");
  st.bind(1, std::string(json));
  st.exec();
}

}  // namespace patron::sqlite
