// The other files of a migration: credentials, opening purse and points
// balances, memberships and order history. Each row names a customer and
// adds one record for them through the same write the service's own call
// makes (core/record_ops.hpp), inside the import's batch (core/import_run).
#include <algorithm>
#include <array>
#include <charconv>
#include <map>

#include "core/credential_ops.hpp"
#include "core/customer_ops.hpp"
#include "core/import_run.hpp"
#include "core/record_ops.hpp"
#include "core/rules.hpp"
#include "core/state.hpp"
#include "io/records.hpp"
#include "patron/error.hpp"
#include "patron/imports.hpp"
#include "text/text.hpp"

namespace patron {
namespace {

using detail::ImportRow;
using detail::refuse_row;

// A target of a file, and the headers that map themselves to it (as
// detail::header_key makes them, separated by spaces).
struct FieldSpec {
  std::string_view target;
  std::string_view headers;
};

// Who a row is about: every file has these.
constexpr std::array<FieldSpec, 2> kCustomerFields{{
    {"customer",
     "customer customerid customernumber customerno customerref guest guestid guestnumber guestno member memberid "
     "membernumber memberno client clientid clientnumber accountnumber number"},
    {"customer.email", "email emailaddress mail customeremail guestemail memberemail"},
}};

// items.N.<part>: one line of an order.
constexpr std::array<std::string_view, 4> kItemParts{"name", "quantity", "unit_price", "category"};
constexpr std::size_t kMaxItemColumn = 1000;

bool item_target(std::string_view name) {
  if (!name.starts_with("items.")) return false;
  const std::string_view rest = name.substr(6);
  const auto dot = rest.find('.');
  if (dot == std::string_view::npos || dot == 0 || rest[0] == '0') return false;
  std::size_t n = 0;
  const auto [end, ec] = std::from_chars(rest.data(), rest.data() + dot, n);
  if (ec != std::errc() || end != rest.data() + dot || n < 1 || n > kMaxItemColumn) return false;
  return std::find(kItemParts.begin(), kItemParts.end(), rest.substr(dot + 1)) != kItemParts.end();
}

// Columns to targets: the mapping's, then the headers that map themselves;
// the rest are unknown (reported once each, in the order met). Memory stays
// bounded however many distinct columns a file names.
class RecordColumns {
 public:
  static constexpr std::size_t kMaxColumns = 1000;

  RecordColumns(std::string_view kind, const ImportMapping& mapping, const std::vector<FieldSpec>& fields, bool items)
      : items_(items) {
    for (const auto& f : kCustomerFields) fields_.push_back(f);
    for (const auto& f : fields) fields_.push_back(f);
    for (const auto& [column, target] : mapping.columns) {
      const std::string field = "mapping.columns." + column;
      if (target != "ignore" && !known(target)) {
        throw Error(Errc::invalid_argument,
                    field + ": '" + text::printable(target) + "' is not a field a " + std::string(kind) + " file fills",
                    field);
      }
      resolved_.emplace(column, target);
    }
    if (!mapping.policies.empty()) {
      const std::string field = "mapping.policies." + mapping.policies.begin()->first;
      throw Error(Errc::invalid_argument, field + ": policies are for a customers file; a " + std::string(kind) +
                                              " file never changes what patron holds",
                  field);
    }
  }

  // The target of `column`; nullptr when it is not imported.
  const std::string* of(const std::string& column) {
    auto it = resolved_.find(column);
    if (it == resolved_.end()) {
      std::string target = column.starts_with("reject_") ? "ignore" : self_target(column);
      if (target.empty() && unknown_.size() < kMaxColumns &&
          std::find(unknown_.begin(), unknown_.end(), column) == unknown_.end()) {
        unknown_.push_back(column);
      }
      if (target.empty()) target = "ignore";
      if (resolved_.size() >= kMaxColumns) {
        spare_ = target;
        return spare_ == "ignore" ? nullptr : &spare_;
      }
      it = resolved_.emplace(column, std::move(target)).first;
    }
    if (it->second == "ignore") return nullptr;
    used_.emplace(column, it->second);
    return &it->second;
  }

  const std::vector<std::string>& unknown() const { return unknown_; }
  const std::map<std::string, std::string>& used() const { return used_; }

 private:
  bool known(std::string_view target) const {
    return (items_ && item_target(target)) ||
           std::any_of(fields_.begin(), fields_.end(), [&](const FieldSpec& f) { return f.target == target; });
  }
  // A header spelt as a target, else one of a target's common names.
  std::string self_target(const std::string& column) const {
    if (known(column)) return column;
    const std::string key = detail::header_key(column);
    if (key.empty()) return {};
    for (const auto& f : fields_) {
      std::string_view names = f.headers;
      while (!names.empty()) {
        const auto space = names.find(' ');
        if (names.substr(0, space) == key) return std::string(f.target);
        names = space == std::string_view::npos ? std::string_view() : names.substr(space + 1);
      }
    }
    return {};
  }

  std::vector<FieldSpec> fields_;
  bool items_;
  std::map<std::string, std::string> resolved_;
  std::string spare_;
  std::vector<std::string> unknown_;
  std::map<std::string, std::string> used_;
};

// A row's cells by target: the value (trimmed, not empty) and its column.
// The first column giving a target stands.
class Cells {
 public:
  struct Cell {
    std::string value;
    std::string column;
  };

  Cells(const io::Record& record, RecordColumns& columns) {
    for (const auto& [column, raw] : record.fields) {
      const std::string* target = columns.of(column);
      if (target == nullptr) continue;
      const std::string_view v = text::trim(raw);
      if (!v.empty()) cells_.emplace(*target, Cell{std::string(v), column});
    }
  }

  const Cell* get(const std::string& target) const {
    const auto it = cells_.find(target);
    return it == cells_.end() ? nullptr : &it->second;
  }
  const Cell& required(const std::string& target, const char* what) const {
    const Cell* c = get(target);
    if (c == nullptr) refuse_row(Errc::invalid_argument, target, std::string("required: ") + what);
    return *c;
  }
  std::string text(const std::string& target) const {
    const Cell* c = get(target);
    return c == nullptr ? std::string() : c->value;
  }
  // The column that gave `target`, else the target's own name.
  std::string column(const std::string& target) const {
    const Cell* c = get(target);
    return c == nullptr ? target : c->column;
  }
  // An Error naming a target (as the service's rules name their fields)
  // names the column that gave it.
  Error named(const Error& e) const {
    const Cell* c = get(e.field());
    if (c == nullptr || c->column == e.field()) return e;
    return detail::renamed(e, c->column);
  }
  const std::map<std::string, Cell>& all() const { return cells_; }

 private:
  std::map<std::string, Cell> cells_;
};

// The customer a row names: by id or number (a merged-away one leads to
// the survivor), else by email.
CustomerId customer_of(ImportRow& row, const Cells& cells) {
  auto& repo = row.tx.customers();
  if (const auto* c = cells.get("customer")) return detail::require_customer(repo, c->value, row.now, c->column).id;
  if (const auto* e = cells.get("customer.email")) {
    const auto id = repo.id_by_email(rules::email(e->value, e->column));
    if (!id) refuse_row(Errc::not_found, e->column, "no customer has this email");
    return *id;
  }
  refuse_row(Errc::invalid_argument, "customer",
             "required: the row names no customer (a customer column with an id or number, or customer.email)");
}

// What the mode makes of a row whose record is (or is not) there already.
// True: the record is there and the same (unchanged).
bool already_there(const ImportOptions& o, bool there, const std::optional<std::string>& difference,
                   const std::string& field, const std::string& what) {
  if (there && o.mode == ImportMode::create) {
    refuse_row(Errc::already_exists, field, what + " is there already; mode create adds new records only");
  }
  if (!there && o.mode == ImportMode::update) {
    refuse_row(Errc::not_found, field, what + " is not there; mode update adds nothing new");
  }
  if (there && difference) {
    refuse_row(Errc::conflict, field, what + " is there already with " + *difference + "; a file never changes it");
  }
  return there;
}

// What every kind shares: the columns and the report.
struct KindSetup {
  RecordColumns columns;
  detail::ImportKind kind;

  KindSetup(std::string_view name, std::string_view summary, const ImportOptions& o, const std::vector<FieldSpec>& fields,
            bool items = false)
      : columns(name, o.mapping, fields, items) {
    kind.name = name;
    kind.summary = summary;
    kind.opened = [this](const io::RecordReader& reader) {
      for (const auto& column : reader.header()) columns.of(column);
    };
    kind.skipped = [this](const io::Record& record) {
      for (const auto& field : record.fields) columns.of(field.first);
    };
    kind.finish = [this](ImportReport& report) {
      report.columns = columns.used();
      report.unknown_columns = columns.unknown();
    };
  }
  KindSetup(const KindSetup&) = delete;
  KindSetup& operator=(const KindSetup&) = delete;
};

// Runs `row` on each row's cells, naming columns in its errors.
template <typename Row>
std::function<void(ImportRow&)> by_cells(RecordColumns& columns, Row row) {
  return [&columns, row](ImportRow& out) {
    const Cells cells(out.record, columns);
    try {
      row(out, cells);
    } catch (const Error& e) {
      throw cells.named(e);
    }
  };
}

std::string time_text(const std::optional<Timestamp>& t) { return t ? format_timestamp(*t) : "none"; }

// The idempotency key of an opening balance: one per customer and currency
// or program, whichever file or run brings it.
std::string opening_key(const CustomerId& customer, const std::string& what) {
  return "import:opening:" + customer.str() + ":" + what;
}

// The entries an opening balance wrote before, under the key of `customer`
// or of a customer merged into it since (a merge moves the balance, not its
// key): "import:opening:<id>:<what>" in the ledger's idempotency scope.
std::vector<std::int64_t> opening_entries(ImportRow& row, std::string_view scope, const CustomerId& customer,
                                          const std::string& what) {
  std::vector<CustomerId> ids{customer};
  for (auto& id : row.tx.customers().merged_into(customer)) ids.push_back(std::move(id));
  std::vector<std::int64_t> out;
  for (const auto& id : ids) {
    if (const auto earlier = row.tx.idempotency().find(scope, opening_key(id, what))) {
      out.push_back(earlier->entry);
    }
  }
  return out;
}

}  // namespace

ImportReport Imports::credentials(const std::string& path, const ImportOptions& options) {
  KindSetup setup("credentials", "Credentials imported", options,
                  {{"kind", "kind type credentialkind credentialtype cardtype"},
                   {"value", "value cardnumber cardno card keynumber key token code credential tag"},
                   {"label", "label name description"},
                   {"status", "status cardstatus"},
                   {"valid_from", "validfrom from"},
                   {"valid_until", "validuntil until validto expires expiry expiresat expirydate"}});
  const std::string region = state_->options.default_region;
  setup.kind.row = by_cells(setup.columns, [&](ImportRow& out, const Cells& cells) {
    NewCredential in;
    const auto& kind = cells.required("kind", "the credential's kind");
    in.kind = parse_credential_kind(text::lower(kind.value), kind.column);
    in.value = cells.required("value", "the credential's value").value;
    in.label = cells.text("label");
    CredentialStatus status = CredentialStatus::active;
    if (const auto* s = cells.get("status")) status = parse_credential_status(text::lower(s->value), s->column);
    if (const auto* c = cells.get("valid_from")) in.valid_from = detail::time_cell(c->value, options.date_order, c->column);
    if (const auto* c = cells.get("valid_until")) {
      in.valid_until = detail::time_cell(c->value, options.date_order, c->column);
    }
    const Credential checked = detail::checked_credential(in, status, region, out.now);
    const std::string& value = checked.value;
    const CustomerId customer = customer_of(out, cells);
    // The same credential: this kind and value held by this customer, in
    // the row's status when one holds it (a card lost, then issued again),
    // else in any (a card lost since the file was made stays lost).
    const auto held = out.tx.credentials().find(in.kind, value);
    auto same = std::find_if(held.begin(), held.end(), [&](const Credential& c) {
      return c.customer == customer && c.status == status;
    });
    if (same == held.end()) {
      same = std::find_if(held.begin(), held.end(), [&](const Credential& c) { return c.customer == customer; });
    }
    std::optional<std::string> difference;
    // Compared: what the row gives (an empty cell says nothing).
    if (same != held.end()) {
      if (same->status != status && cells.get("status")) {
        difference = "the status " + std::string(to_string(same->status));
      } else if (cells.get("label") && same->label != checked.label) {
        difference = "the label '" + same->label + "'";
      } else if ((cells.get("valid_from") && same->valid_from != in.valid_from) ||
                 (cells.get("valid_until") && same->valid_until != in.valid_until)) {
        difference = "the validity " + time_text(same->valid_from) + " to " + time_text(same->valid_until);
      }
    } else if (status == CredentialStatus::active) {
      for (const auto& c : held) {
        if (c.status == CredentialStatus::active) {
          refuse_row(Errc::conflict, cells.column("value"),
                     "customer " + out.tx.customers().by_id(c.customer, out.now)->number +
                         " holds this credential, active");
        }
      }
    }
    if (already_there(options, same != held.end(), difference, cells.column("value"), "this credential")) {
      out.unchanged();
      return;
    }
    out.writes();
    detail::issue_credential(out.tx, checked, customer.str(), out.now);
    out.created();
  });
  return detail::run_import(*state_, path, options, setup.kind);
}

ImportReport Imports::purse_balances(const std::string& path, const ImportOptions& options) {
  KindSetup setup("purse_balances", "Purse balances imported", options,
                  {{"currency", "currency currencycode"},
                   {"balance", "balance amount purse pursebalance credit storedvalue giftcardbalance"}});
  setup.kind.row = by_cells(setup.columns, [&](ImportRow& out, const Cells& cells) {
    const auto& currency_cell = cells.required("currency", "the balance's currency");
    const std::string currency = normalize_currency(currency_cell.value, currency_cell.column);
    const auto& balance = cells.required("balance", "the opening balance");
    const std::int64_t amount = detail::money_cell(balance.value, currency, balance.column);
    if (amount < 0) refuse_row(Errc::invalid_argument, balance.column, "an opening balance must not be negative");
    const CustomerId customer = customer_of(out, cells);
    // One opening balance per customer and currency, whichever file or run brings it.
    PurseRequest request{customer.str(), currency, amount, opening_key(customer, currency),
                         "opening balance"};
    const auto earlier = opening_entries(out, detail::kPurseKeyScope, customer, currency);
    std::optional<std::string> difference;
    for (const std::int64_t id : earlier) {
      const auto entry = out.tx.purses().entry(id);
      if (entry && entry->amount == amount) {
        difference.reset();
        break;
      }
      if (entry) difference = "another amount (" + std::to_string(entry->amount) + " minor units)";
    }
    if (amount == 0 && earlier.empty()) {  // nothing there, nothing to write
      out.unchanged();
      return;
    }
    if (already_there(options, !earlier.empty(), difference, balance.column,
                      "an opening balance in " + currency + " of this customer")) {
      out.unchanged();
      return;
    }
    out.writes();
    detail::top_up_purse(out.tx, request, out.now);
    out.created();
  });
  return detail::run_import(*state_, path, options, setup.kind);
}

ImportReport Imports::points_balances(const std::string& path, const ImportOptions& options) {
  KindSetup setup("points_balances", "Points balances imported", options,
                  {{"program", "program programid loyaltyprogram scheme"},
                   {"points", "points balance pointsbalance loyaltypoints"},
                   {"qualifying", "qualifying tierpoints"}});
  setup.kind.row = by_cells(setup.columns, [&](ImportRow& out, const Cells& cells) {
    const auto& program = cells.required("program", "the loyalty program's id");
    const auto& points_cell = cells.required("points", "the opening balance in points");
    const std::int64_t points = detail::integer_cell(points_cell.value, 0, 1'000'000'000'000, points_cell.column);
    bool qualifying = false;
    if (const auto* q = cells.get("qualifying")) qualifying = detail::truth(q->value, q->column);
    const CustomerId customer = customer_of(out, cells);
    AdjustRequest request;
    request.customer_ref = customer.str();
    request.program = program.value;
    request.points = points;
    request.reason = "opening balance";
    request.qualifying = qualifying;
    request.idempotency_key = opening_key(customer, program.value);
    // The program first: a refusal before the write costs nothing.
    const auto known = [&] {
      try {
        return out.tx.loyalty().program(rules::host_id(program.value, "program", "a program id")).has_value();
      } catch (const Error& e) {
        throw Error(e.code(), program.column + ": not a program id", program.column);
      }
    }();
    if (!known) refuse_row(Errc::not_found, program.column, "no loyalty program " + program.value);
    const auto earlier = opening_entries(out, detail::kPointsKeyScope, customer, program.value);
    std::optional<std::string> difference;
    for (const std::int64_t id : earlier) {
      const auto entry = out.tx.loyalty().entry(id);
      if (entry && entry->points == points && entry->qualifying == (qualifying && points > 0)) {
        difference.reset();
        break;
      }
      if (entry) {
        difference = "another balance (" + std::to_string(entry->points) + " points" +
                     (entry->qualifying ? ", qualifying)" : ")");
      }
    }
    if (points == 0 && earlier.empty()) {  // nothing there, nothing to write
      out.unchanged();
      return;
    }
    if (already_there(options, !earlier.empty(), difference, points_cell.column,
                      "an opening balance in program " + program.value + " of this customer")) {
      out.unchanged();
      return;
    }
    const AdjustRequest checked = detail::checked_adjustment(request);
    out.writes();
    detail::adjust_points(out.tx, checked, out.now);
    out.created();
  });
  return detail::run_import(*state_, path, options, setup.kind);
}

ImportReport Imports::memberships(const std::string& path, const ImportOptions& options) {
  KindSetup setup("memberships", "Memberships imported", options,
                  {{"plan", "plan planname planid membership membershipplan membershiptype"},
                   {"starts_at", "startsat start startdate started since membersince joined joindate"},
                   {"ends_at", "endsat end enddate ends expires expiry expirydate renewaldate validuntil"},
                   {"status", "status membershipstatus"}});
  setup.kind.row = by_cells(setup.columns, [&](ImportRow& out, const Cells& cells) {
    const auto& plan_cell = cells.required("plan", "the plan's name or id");
    auto& repo = out.tx.memberships();
    std::optional<std::int64_t> plan = repo.plan_named(plan_cell.value);
    if (!plan && std::all_of(plan_cell.value.begin(), plan_cell.value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      std::int64_t id = 0;
      const auto [end, ec] = std::from_chars(plan_cell.value.data(), plan_cell.value.data() + plan_cell.value.size(), id);
      if (ec == std::errc() && repo.plan(id)) plan = id;
    }
    if (!plan) refuse_row(Errc::not_found, plan_cell.column, "no membership plan is named " + plan_cell.value);
    NewMembership in;
    in.plan = *plan;
    if (const auto* c = cells.get("starts_at")) in.starts_at = detail::time_cell(c->value, options.date_order, c->column);
    if (const auto* c = cells.get("ends_at")) in.ends_at = detail::time_cell(c->value, options.date_order, c->column);
    MembershipStatus status = MembershipStatus::active;
    if (const auto* s = cells.get("status")) status = parse_membership_status(text::lower(s->value), s->column);
    if (status == MembershipStatus::expired) {
      // What a read shows once ends_at has passed: an active membership that ended.
      if (!in.ends_at || *in.ends_at > out.now) {
        refuse_row(Errc::invalid_argument, cells.column("status"), "expired needs an ends_at that has passed");
      }
      status = MembershipStatus::active;
    }
    if (!in.starts_at) {
      refuse_row(Errc::invalid_argument, "starts_at", "required: when the membership started");
    }
    const CustomerId customer = customer_of(out, cells);
    in.customer_ref = customer.str();
    const Membership checked = detail::checked_membership(in, status, out.now);
    const auto held = repo.of_customer(customer);
    const auto same = std::find_if(held.begin(), held.end(), [&](const Membership& m) {
      return m.plan == in.plan && m.starts_at == *in.starts_at;
    });
    std::optional<std::string> difference;
    if (same != held.end()) {
      const auto stored = repo.get(same->id);  // the status as set, not as read
      if (in.ends_at && same->ends_at != in.ends_at) {
        difference = "the end " + time_text(same->ends_at);
      } else if (cells.get("status") && stored && stored->status != status) {
        difference = "the status " + std::string(to_string(stored->status));
      }
    }
    if (already_there(options, same != held.end(), difference, plan_cell.column, "this membership")) {
      out.unchanged();
      return;
    }
    out.writes();
    detail::add_membership(out.tx, checked, customer.str(), out.now);
    out.created();
  });
  return detail::run_import(*state_, path, options, setup.kind);
}

ImportReport Imports::orders(const std::string& path, const ImportOptions& options) {
  KindSetup setup("orders", "Orders imported", options,
                  {{"external_ref",
                    "externalref ordernumber orderno orderid order orderref reference receipt receiptnumber "
                    "invoice invoicenumber ticket ticketnumber"},
                   {"source", "source system sourcesystem"},
                   {"placed_at", "placedat placed date orderdate ordertime time datetime createdat"},
                   {"status", "status orderstatus"},
                   {"currency", "currency currencycode"},
                   {"total", "total amount ordertotal grandtotal totalamount"},
                   {"paid", "paid amountpaid paidamount"}},
                  true);
  const std::string region = state_->options.default_region;
  setup.kind.row = by_cells(setup.columns, [&](ImportRow& out, const Cells& cells) {
    NewOrder in;
    in.source = cells.get("source") ? cells.text("source") : "import";
    in.external_ref = cells.required("external_ref", "the order's number").value;
    const auto& placed = cells.required("placed_at", "when the order was placed");
    in.placed_at = detail::time_cell(placed.value, options.date_order, placed.column);
    in.status = OrderStatus::completed;
    if (const auto* s = cells.get("status")) in.status = parse_order_status(text::lower(s->value), s->column);
    const auto& currency_cell = cells.required("currency", "the order's currency");
    in.currency = normalize_currency(currency_cell.value, currency_cell.column);
    const auto& total = cells.required("total", "the order's total");
    in.total = detail::money_cell(total.value, in.currency, total.column);
    if (const auto* p = cells.get("paid")) {
      in.paid = detail::money_cell(p->value, in.currency, p->column);
    } else {
      in.paid = in.status == OrderStatus::completed ? in.total : 0;
    }
    // items.N.<part>, in the order of N.
    std::map<std::size_t, std::map<std::string, const Cells::Cell*>> lines;
    for (const auto& [target, cell] : cells.all()) {
      if (!target.starts_with("items.")) continue;
      const auto dot = target.find('.', 6);
      lines[std::stoul(target.substr(6, dot - 6))][target.substr(dot + 1)] = &cell;
    }
    for (const auto& [n, parts] : lines) {
      const std::string f = "items." + std::to_string(n) + ".";
      OrderItem item;
      const auto part = [&](const char* name) -> const Cells::Cell* {
        const auto it = parts.find(name);
        return it == parts.end() ? nullptr : it->second;
      };
      if (part("name") == nullptr) refuse_row(Errc::invalid_argument, f + "name", "required: the item's name");
      item.name = part("name")->value;
      if (const auto* q = part("quantity")) item.quantity = detail::integer_cell(q->value, 1, 1'000'000, q->column);
      if (const auto* u = part("unit_price")) item.unit_price = detail::money_cell(u->value, in.currency, u->column);
      if (const auto* c = part("category")) item.category = c->value;
      in.items.push_back(std::move(item));
    }
    const CustomerId customer = customer_of(out, cells);
    in.customer.ref = customer.str();
    // The order's own rules, before anything is written; an item's error
    // names its numbered columns (items[0] is the first line given).
    const detail::CheckedOrder checked = [&] {
      try {
        return detail::checked_order(in, out.now, region);
      } catch (const Error& e) {
        if (!e.field().starts_with("items[")) throw;
        const auto close = e.field().find(']');
        const std::size_t i = std::stoul(e.field().substr(6, close - 6));
        if (i >= lines.size()) throw;
        const std::string numbered = "items." + std::to_string(std::next(lines.begin(), static_cast<long>(i))->first);
        throw detail::renamed(e, numbered + e.field().substr(close + 1));
      }
    }();
    const Order& order = checked.order;
    const auto there = out.tx.commerce().order_by_ref(order.source, order.external_ref);
    std::optional<std::string> difference;
    if (there) {
      if (there->customer != customer) {
        difference = "another customer (" + out.tx.customers().by_id(there->customer, out.now)->number + ")";
      } else if (there->placed_at != *in.placed_at || there->currency != in.currency || there->total != in.total ||
                 (cells.get("status") && there->status != in.status) || (cells.get("paid") && there->paid != *in.paid)) {
        difference = "other values (" + std::string(to_string(there->status)) + ", " + std::to_string(there->total) +
                     " " + there->currency + ", paid " + std::to_string(there->paid) + ", placed " +
                     format_timestamp(there->placed_at) + ")";
      }
    }
    if (already_there(options, there.has_value(), difference, cells.column("external_ref"), "this order")) {
      out.unchanged();
      return;
    }
    out.writes();
    detail::record_order(out.tx, checked, out.now, region);
    out.created();
  });
  return detail::run_import(*state_, path, options, setup.kind);
}

}  // namespace patron
