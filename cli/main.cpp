// patron: the command line over the C++ API (CLI11).
//
//   patron import customers FILE --db DB [--encoding E] [--mapping M] [--mode create|update|upsert]
//                                 [--dry-run] [--rejects R] [--json] ...
//   patron import credentials|purse_balances|points_balances|memberships|orders FILE --db DB ... (the same)
//   patron export customers FILE --db DB [--format jsonl|csv] [--fields F,...] [--customers R,...]
//                                 [--company ID] [--rfm-currency C --rfm-segment S]
//                                 [--created-since T] [--changed-since T] [--overwrite] [--json]
//   patron export access REF FILE --db DB [--json]
//   patron duplicates --db DB [--min-probability P] [--limit N] [--json]
//   patron merge SURVIVOR ABSORBED --db DB --by WHO [--take F,...] [--dry-run] [--json]
//   patron erase REF --db DB --by WHO --reason WHY [--json]
//   patron retention policies|preview --db DB [--json]
//   patron retention set NAME CATEGORY DAYS --db DB [--document-kind K] [--description D] [--json]
//   patron retention remove NAME --db DB
//   patron retention run --db DB [--by WHO] [--json]     (schedule it: nightly)
//   patron fit CURRENCY --db DB [--cutoff T] [--json]
//   patron predict REF --db DB --currency C [--at T] [--horizon-days N] [--json]
//   patron identify TOKEN --db DB [--json]
//   patron show REF --db DB [--json]
//   patron backup DEST --db DB [--json]
//   patron check --db DB [--quick] [--json]
//   patron stats --db DB [--json]
//
// Exit codes (also in --help): 0 done; 1 done, but rows were rejected; 2 the
// command line is wrong; 3 invalid input (a file, an option); 4 not found;
// 5 already exists or a conflict; 6 not allowed in the current state;
// 7 storage failed; 8 a bug in patron; 9 check found problems; 130 stopped
// by Ctrl-C (run the same command again to resume).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "patron/json.hpp"
#include "patron/patron.hpp"

namespace {

constexpr int kRejectedRows = 1;
constexpr int kUsage = 2;
constexpr int kProblems = 9;
constexpr int kInterrupted = 130;

const char* kExitCodes =
    "Exit codes: 0 done; 1 done, but rows were rejected; 2 the command line is wrong; 3 invalid input; "
    "4 not found; 5 already exists or a conflict; 6 not allowed in the current state; 7 storage failed; "
    "8 a bug in patron; 9 check found problems; 130 stopped by Ctrl-C (run the same command again to resume).";

int exit_code(patron::Errc code) {
  switch (code) {
    case patron::Errc::invalid_argument: return 3;
    case patron::Errc::not_found: return 4;
    case patron::Errc::already_exists:
    case patron::Errc::conflict: return 5;
    case patron::Errc::failed_precondition: return 6;
    case patron::Errc::storage: return 7;
    case patron::Errc::internal: return 8;
  }
  return 8;
}

std::atomic<bool> interrupted{false};
extern "C" void on_interrupt(int) { interrupted = true; }

std::string grouped(std::uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string duration(double seconds) {
  const auto s = static_cast<long long>(seconds + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, (s / 60) % 60, s % 60);
  return buf;
}

// Progress of long work on stderr: a bar redrawn in place on a terminal,
// a plain line every few seconds otherwise.
class Progress {
 public:
  explicit Progress(bool quiet) : quiet_(quiet), tty_(isatty(STDERR_FILENO) != 0) {}

  void update(std::uint64_t done, std::uint64_t total) {
    if (quiet_) return;
    const auto now = Clock::now();
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    if (!tty_ && done < total && now - last_ < std::chrono::seconds(5)) return;
    last_ = now;
    const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0;
    const double left = rate > 0 ? static_cast<double>(total - done) / rate : 0;
    const double share = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1;
    if (tty_) {
      const std::size_t width = 30;
      const auto filled = static_cast<std::size_t>(share * static_cast<double>(width));
      std::fprintf(stderr, "\r[%s%s] %s/%s rows  %s rows/s  %s left ", std::string(filled, '#').c_str(),
                   std::string(width - filled, ' ').c_str(), grouped(done).c_str(), grouped(total).c_str(),
                   grouped(static_cast<std::uint64_t>(rate)).c_str(), duration(left).c_str());
    } else {
      std::fprintf(stderr, "%s of %s rows (%d%%), %s rows/s, %s left\n", grouped(done).c_str(),
                   grouped(total).c_str(), static_cast<int>(share * 100), grouped(static_cast<std::uint64_t>(rate)).c_str(),
                   duration(left).c_str());
    }
  }
  void finish() {
    if (!quiet_ && tty_) std::fprintf(stderr, "\n");
  }

 private:
  using Clock = std::chrono::steady_clock;
  bool quiet_;
  bool tty_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_{};
};

void print_report(const patron::ImportReport& r) {
  std::cout << r.file << ": " << grouped(r.rows) << " rows" << (r.dry_run ? " (dry run: nothing written)" : "")
            << "\n  created " << grouped(r.created) << ", updated " << grouped(r.updated) << ", unchanged "
            << grouped(r.unchanged) << ", rejected " << grouped(r.rejected) << ", same as an earlier line "
            << grouped(r.same_as_earlier_line) << "\n";
  if (r.possible_duplicates > 0) {
    std::cout << "  possible duplicates of existing customers: " << grouped(r.possible_duplicates) << "\n";
    for (const auto& d : r.possible_duplicate_rows) {
      std::cout << "    line " << d.line << " resembles " << d.resembles.str() << " (probability " << d.probability
                << ")" << (d.customer ? "" : ", held back") << "\n";
    }
  }
  if (!r.unknown_columns.empty()) {
    std::cout << "  columns not imported (map them with --mapping):";
    for (const auto& c : r.unknown_columns) std::cout << " \"" << c << "\"";
    std::cout << "\n";
  }
  for (const auto& e : r.rejected_rows) std::cout << "  line " << e.line << ": " << e.message << "\n";
  if (r.rejected > r.rejected_rows.size()) {
    std::cout << "  ... and " << grouped(r.rejected - r.rejected_rows.size()) << " more rejected rows\n";
  }
  if (r.resumed_after > 0) std::cout << "  resumed after " << grouped(r.resumed_after) << " rows\n";
}

void print_customer(const patron::Customer& c) {
  std::cout << c.number << "  " << (c.title.empty() ? "" : c.title + " ") << c.first_name
            << (c.last_name.empty() ? "" : " " + c.last_name) << "\n  id " << c.id.str() << "\n";
  for (const auto& e : c.emails) std::cout << "  email " << e.address << (e.primary ? " (primary)" : "") << "\n";
  for (const auto& p : c.phones) std::cout << "  phone " << p.number << " (" << patron::to_string(p.label) << ")\n";
  for (const auto& a : c.addresses) {
    std::cout << "  address " << a.line1 << (a.line2.empty() ? "" : ", " + a.line2) << ", " << a.city
              << (a.postal_code.empty() ? "" : " " + a.postal_code) << ", " << a.country << "\n";
  }
  if (c.date_of_birth) std::cout << "  born " << patron::format_date(*c.date_of_birth) << "\n";
  if (!c.tags.empty()) {
    std::cout << "  tags";
    for (const auto& t : c.tags) std::cout << " " << t;
    std::cout << "\n";
  }
  if (c.status == patron::CustomerStatus::banned) std::cout << "  BANNED\n";
}

void print_policy(const patron::RetentionPolicy& p) {
  std::cout << p.name << "  " << patron::to_string(p.category) << ", " << p.days << " days";
  if (p.document_kind) std::cout << ", kind " << patron::to_string(*p.document_kind);
  if (!p.description.empty()) std::cout << "  (" << p.description << ")";
  std::cout << "\n";
}

void print_run(const patron::RetentionRun& r) {
  std::cout << (r.dry_run ? std::string("dry run: nothing written") : "retention run " + std::to_string(r.id))
            << ", " << r.outcomes.size() << " policies\n";
  for (const auto& o : r.outcomes) {
    const char* verb = r.dry_run ? "would " : "";
    std::cout << "  " << o.policy.name << " (before " << patron::format_timestamp(o.cutoff) << "): ";
    switch (o.policy.category) {
      case patron::RetentionCategory::inactive_customers:
        std::cout << verb << (r.dry_run ? "erase " : "erased ") << grouped(o.customers.size()) << " customers";
        break;
      case patron::RetentionCategory::timeline_details:
        std::cout << verb << (r.dry_run ? "drop " : "dropped ") << "the details of "
                  << grouped(static_cast<std::uint64_t>(o.events)) << " events";
        break;
      case patron::RetentionCategory::documents:
        std::cout << verb << (r.dry_run ? "delete " : "deleted ") << grouped(o.documents.size())
                  << " documents of " << grouped(o.customers.size()) << " customers";
        break;
    }
    std::map<std::string, std::size_t> kept;
    for (const auto& k : o.skipped) ++kept[k.reason];
    for (const auto& [reason, n] : kept) std::cout << "; kept for " << reason << ": " << grouped(n);
    if (!o.held.empty()) std::cout << "; held: " << o.held;
    std::cout << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"patron: the customer file of a hospitality product, from the command line."};
  app.footer(kExitCodes);
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(PATRON_CXX_VERSION));
  std::string db_path;
  std::string region = "GB";
  bool as_json = false;
  const auto common = [&](CLI::App* sub) {
    sub->add_option("--db", db_path, "the database file (created if missing)")->required();
    sub->add_option("--region", region, "default region for phone numbers (ISO 3166-1)")->capture_default_str();
    sub->add_flag("--json", as_json, "machine-readable output (the C ABI's JSON)");
    sub->footer(kExitCodes);
  };

  // import customers | credentials | purse_balances | points_balances | memberships | orders
  CLI::App* import = app.add_subcommand("import", "bring a file from another system in");
  import->require_subcommand(1);
  std::string file, encoding, mapping, mode = "upsert", rejects, format, duplicates = "list", date_order = "day_first",
                    delimiter, by = "import";
  bool dry_run = false, quiet = false;
  std::size_t batch_size = 1000;
  using ImportCall = patron::ImportReport (patron::Imports::*)(const std::string&, const patron::ImportOptions&);
  const std::vector<std::tuple<const char*, const char*, ImportCall>> kinds{
      {"customers", "customers from a CSV or JSON Lines file", &patron::Imports::customers},
      {"credentials", "cards and keys: customer, kind, value, label, status, valid_from, valid_until",
       &patron::Imports::credentials},
      {"purse_balances", "opening purse balances: customer, currency, balance (once per customer and currency)",
       &patron::Imports::purse_balances},
      {"points_balances", "opening points balances: customer, program, points, qualifying (once per program)",
       &patron::Imports::points_balances},
      {"memberships", "memberships: customer, plan, starts_at, ends_at, status", &patron::Imports::memberships},
      {"orders", "order history: customer, external_ref, placed_at, status, currency, total, paid, items.N.*",
       &patron::Imports::orders},
  };
  std::vector<std::pair<CLI::App*, ImportCall>> imports;
  for (const auto& [name, description, call] : kinds) {
    CLI::App* sub = import->add_subcommand(name, description);
    sub->add_option("file", file, "the file")->required();
    sub->add_option("--encoding", encoding, "its encoding (windows-1252, ISO-8859-1, ...; default UTF-8)");
    sub->add_option("--mapping", mapping, "a mapping file (.json or .toml): column -> field");
    sub->add_option("--mode", mode, "create, update or upsert")->capture_default_str()
        ->check(CLI::IsMember({"create", "update", "upsert"}));
    sub->add_option("--rejects", rejects, "write rejected rows here (importable once corrected)");
    sub->add_option("--format", format, "csv or jsonl (default: by extension)")->check(CLI::IsMember({"csv", "jsonl"}));
    sub->add_option("--delimiter", delimiter, "CSV delimiter: , ; | or tab (default: detected)")
        ->check(CLI::IsMember({",", ";", "|", "tab"}));
    if (call == &patron::Imports::customers) {
      sub->add_option("--duplicates", duplicates, "rows resembling a customer: list, hold or off")
          ->capture_default_str()
          ->check(CLI::IsMember({"list", "hold", "off"}));
    }
    sub->add_option("--date-order", date_order, "day_first (03/04 = 3 April) or month_first")->capture_default_str()
        ->check(CLI::IsMember({"day_first", "month_first"}));
    sub->add_option("--batch-size", batch_size, "rows per transaction")->capture_default_str()->check(CLI::Range(1, 100000));
    sub->add_option("--by", by, "who imports (the actor of the events)")->capture_default_str();
    sub->add_flag("--dry-run", dry_run, "work everything out, write nothing");
    sub->add_flag("--quiet,-q", quiet, "no progress");
    common(sub);
    imports.emplace_back(sub, call);
  }

  // export customers
  CLI::App* export_ = app.add_subcommand("export", "write the customer base, or a part of it, to a file");
  export_->require_subcommand(1);
  CLI::App* export_customers = export_->add_subcommand("customers", "customers to JSON Lines or CSV");
  std::string out_file, out_format, out_delimiter = ",", rfm_currency, rfm_segment, created_since, changed_since;
  std::vector<std::string> fields, selected;
  std::int64_t company = 0;
  bool overwrite = false;
  export_customers->add_option("file", out_file, "the file to write (.csv: CSV, else JSON Lines)")->required();
  export_customers->add_option("--format", out_format, "jsonl or csv (default: by extension)")
      ->check(CLI::IsMember({"jsonl", "csv"}));
  export_customers->add_option("--fields", fields, "the record's fields to write (default: all)")->delimiter(',');
  export_customers->add_option("--delimiter", out_delimiter, "CSV delimiter: , ; or tab")->capture_default_str()
      ->check(CLI::IsMember({",", ";", "tab"}));
  export_customers->add_option("--customers", selected, "only these customers (ids or numbers)")->delimiter(',');
  export_customers->add_option("--company", company, "only the customers linked to this company id");
  export_customers->add_option("--rfm-currency", rfm_currency, "with --rfm-segment: the currency of the scores");
  export_customers->add_option("--rfm-segment", rfm_segment, "only the customers of this RFM segment (champions, ...)");
  export_customers->add_option("--created-since", created_since, "only customers created at or after (ISO 8601)");
  export_customers->add_option("--changed-since", changed_since, "only customers changed at or after (ISO 8601)");
  export_customers->add_flag("--overwrite", overwrite, "replace an existing file");
  export_customers->add_flag("--quiet,-q", quiet, "no progress");
  common(export_customers);
  CLI::App* export_access =
      export_->add_subcommand("access", "everything held on one customer, as a zip (GDPR Art. 15 subject access)");
  std::string access_ref;
  export_access->add_option("ref", access_ref, "the customer (id or number)")->required();
  export_access->add_option("file", out_file, "the zip to write (never overwritten)")->required();
  common(export_access);

  CLI::App* stats = app.add_subcommand("stats", "how much the database holds: customers, records, money, points");
  common(stats);

  CLI::App* duplicates_cmd = app.add_subcommand("duplicates", "pairs of profiles that are probably one guest, best first");
  double min_probability = 0.95;
  std::size_t limit = 50;
  duplicates_cmd->add_option("--min-probability", min_probability, "list pairs from this match probability")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0));
  duplicates_cmd->add_option("--limit", limit, "at most this many pairs")->capture_default_str()->check(CLI::Range(1, 100000));
  common(duplicates_cmd);

  CLI::App* merge = app.add_subcommand("merge", "merge one profile into another (irreversible)");
  std::string survivor, absorbed, merged_by;
  std::vector<std::string> take;
  merge->add_option("survivor", survivor, "the customer that stays (id or number)")->required();
  merge->add_option("absorbed", absorbed, "the customer merged into it")->required();
  merge->add_option("--by", merged_by, "who decides the merge (recorded)")->required();
  merge->add_option("--take", take, "fields to take from the absorbed customer anyway")->delimiter(',');
  merge->add_flag("--dry-run", dry_run, "work the merge out and show it, write nothing");
  common(merge);

  CLI::App* erase = app.add_subcommand("erase", "erase a customer's personal data for good (GDPR Art. 17; irreversible)");
  std::string erase_ref, requested_by, reason;
  erase->add_option("ref", erase_ref, "the customer (id or number); those merged into it are erased too")->required();
  erase->add_option("--by", requested_by, "who asked (recorded)")->required();
  erase->add_option("--reason", reason, "why (recorded)")->required();
  common(erase);

  CLI::App* retention = app.add_subcommand("retention", "retention policies: keep nothing longer than decided");
  retention->require_subcommand(1);
  CLI::App* retention_policies = retention->add_subcommand("policies", "every policy");
  common(retention_policies);
  CLI::App* retention_set = retention->add_subcommand("set", "create a policy or replace the one of that name");
  std::string policy_name, policy_category, policy_kind, policy_description;
  int policy_days = 0;
  retention_set->add_option("name", policy_name, "the policy's name")->required();
  retention_set->add_option("category", policy_category, "what it keeps")
      ->required()->check(CLI::IsMember({"inactive_customers", "timeline_details", "documents"}));
  retention_set->add_option("days", policy_days, "for how many days")->required()->check(CLI::Range(1, 36500));
  retention_set->add_option("--document-kind", policy_kind, "documents: the kind it deletes (identification, ...)");
  retention_set->add_option("--description", policy_description, "why, for guests (shown in access exports)");
  common(retention_set);
  CLI::App* retention_remove = retention->add_subcommand("remove", "remove a policy");
  retention_remove->add_option("name", policy_name, "the policy's name")->required();
  common(retention_remove);
  CLI::App* retention_preview = retention->add_subcommand("preview", "what a run would do now (writes nothing)");
  common(retention_preview);
  CLI::App* retention_run = retention->add_subcommand("run", "apply every policy and record the run");
  std::string run_by = "retention";
  retention_run->add_option("--by", run_by, "who runs it (the actor recorded)")->capture_default_str();
  common(retention_run);

  CLI::App* fit = app.add_subcommand("fit", "fit the predictive model (BG/NBD and Gamma-Gamma) on a currency's orders");
  std::string currency, cutoff, at;
  fit->add_option("currency", currency, "the currency of the orders (ISO 4217)")->required();
  fit->add_option("--cutoff", cutoff, "history up to this time (ISO 8601; default now)");
  common(fit);

  CLI::App* predict = app.add_subcommand("predict", "one customer's future under the latest fit of a currency");
  std::string predict_ref;
  int horizon_days = 365;
  predict->add_option("ref", predict_ref, "a customer id or number")->required();
  predict->add_option("--currency", currency, "the fit's currency")->required();
  predict->add_option("--at", at, "as of this time (ISO 8601; default now)");
  predict->add_option("--horizon-days", horizon_days, "expected orders and value within this many days")
      ->capture_default_str()->check(CLI::Range(1, 36500));
  common(predict);

  CLI::App* identify = app.add_subcommand("identify", "who a token (id, number, card, email, phone) names");
  std::string token;
  identify->add_option("token", token, "the token")->required();
  common(identify);

  CLI::App* show = app.add_subcommand("show", "one customer, readable");
  std::string ref;
  show->add_option("ref", ref, "a customer id or number")->required();
  common(show);

  CLI::App* backup = app.add_subcommand("backup", "a consistent copy of the database while it is in use");
  std::string dest;
  backup->add_option("dest", dest, "the new file (never overwritten)")->required();
  common(backup);

  CLI::App* check = app.add_subcommand("check", "integrity, references and every ledger balance");
  bool quick = false;
  check->add_flag("--quick", quick, "SQLite's quick_check instead of the full integrity_check");
  common(check);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kUsage;
  }

  try {
    patron::Options options;
    options.default_region = region;
    patron::Database db = patron::Database::open(db_path, options);

    for (const auto& [sub, call] : imports) {
      if (!*sub) continue;
      patron::ImportOptions o;
      if (!mapping.empty()) o.mapping = patron::ImportMapping::load(mapping);
      o.encoding = encoding;
      o.mode = patron::parse_import_mode(mode);
      if (!format.empty()) o.format = patron::parse_import_format(format);
      if (!delimiter.empty()) o.delimiter = delimiter == "tab" ? '\t' : delimiter[0];
      o.duplicates = patron::parse_duplicate_check(duplicates);
      o.date_order = patron::parse_date_order(date_order);
      o.dry_run = dry_run;
      o.rejects = rejects;
      o.batch_size = batch_size;
      o.by = by;
      Progress progress(quiet || as_json);
      o.progress = [&](const patron::ImportProgress& p) {
        progress.update(p.rows_done, p.rows_total);
        return !interrupted.load();
      };
      std::signal(SIGINT, on_interrupt);
      std::signal(SIGTERM, on_interrupt);
      const patron::ImportReport report = (db.imports().*call)(file, o);
      progress.finish();
      if (as_json) {
        std::cout << patron::json::encode(report) << "\n";
      } else {
        print_report(report);
      }
      if (!report.completed) {
        std::cerr << "stopped at a batch boundary after " << grouped(report.created + report.updated +
                                                                       report.unchanged + report.rejected +
                                                                       report.same_as_earlier_line)
                  << " rows; run the same command again to resume\n";
        return kInterrupted;
      }
      return report.rejected > 0 ? kRejectedRows : 0;
    }
    if (*export_access) {
      const patron::AccessExport r = db.privacy().export_archive(access_ref, out_file);
      if (as_json) {
        std::cout << patron::json::encode(r) << "\n";
        return 0;
      }
      std::cout << "wrote " << r.path << ": " << grouped(static_cast<std::uint64_t>(r.bytes)) << " bytes, "
                << grouped(static_cast<std::uint64_t>(r.events)) << " events, " << r.documents << " documents";
      if (!r.merged.empty()) std::cout << ", " << r.merged.size() << " customers merged in";
      std::cout << "\n";
      return 0;
    }
    if (*export_customers) {
      patron::ExportOptions o;
      if (!out_format.empty()) o.format = patron::parse_export_format(out_format);
      o.fields = fields;
      o.delimiter = out_delimiter == "tab" ? '\t' : out_delimiter[0];
      o.overwrite = overwrite;
      o.select.customers = selected;
      if (company != 0) o.select.company = company;
      o.select.rfm_currency = rfm_currency;
      if (!rfm_segment.empty()) o.select.rfm_segment = patron::parse_rfm_segment(rfm_segment, "--rfm-segment");
      if (!created_since.empty()) o.select.created_since = patron::parse_timestamp(created_since, "--created-since");
      if (!changed_since.empty()) o.select.changed_since = patron::parse_timestamp(changed_since, "--changed-since");
      Progress progress(quiet || as_json);
      o.progress = [&](const patron::ExportProgress& p) {
        progress.update(p.rows_done, p.rows_total);
        return !interrupted.load();
      };
      std::signal(SIGINT, on_interrupt);
      std::signal(SIGTERM, on_interrupt);
      const patron::ExportReport report = db.exports().customers(out_file, o);
      progress.finish();
      if (!report.completed) {
        std::cerr << "stopped: nothing written; run the command again to export\n";
        return kInterrupted;
      }
      if (as_json) {
        std::cout << patron::json::encode(report) << "\n";
      } else {
        std::cout << report.file << ": " << grouped(report.customers) << " customers, "
                  << grouped(report.bytes) << " bytes (" << patron::to_string(report.format) << ")\n";
      }
      return 0;
    }
    if (*stats) {
      const patron::DatabaseStats s = db.stats();
      if (as_json) {
        std::cout << patron::json::encode(s) << "\n";
        return 0;
      }
      const auto n = [](std::int64_t v) { return grouped(static_cast<std::uint64_t>(v)); };
      std::cout << db_path << ": schema " << s.schema_version << ", " << n(s.file_bytes) << " bytes\n"
                << "  customers " << n(s.customers) << " (with an email " << n(s.with_email) << ", with a phone "
                << n(s.with_phone) << ", banned " << n(s.banned) << "; merged away " << n(s.merged) << ", erased "
                << n(s.erased) << ")\n"
                << "  companies " << n(s.companies) << ", memberships " << n(s.memberships) << ", credentials "
                << n(s.credentials) << "\n"
                << "  orders " << n(s.orders) << ", bookings " << n(s.bookings) << ", enquiries " << n(s.enquiries)
                << ", visits " << n(s.visits) << "\n"
                << "  notes " << n(s.notes) << ", documents " << n(s.documents) << ", events " << n(s.events) << "\n";
      for (const auto& p : s.purses) {
        std::cout << "  purses " << p.currency << ": " << n(p.accounts) << " accounts, balance " << p.balance
                  << " (minor units)\n";
      }
      for (const auto& p : s.points) {
        std::cout << "  points " << p.program << ": " << n(p.accounts) << " accounts, " << n(p.points)
                  << " outstanding\n";
      }
      return 0;
    }
    if (*duplicates_cmd) {
      patron::ScanOptions o;
      o.min_probability = min_probability;
      o.limit = limit;
      const patron::ScanResult r = db.duplicates().scan(o);
      if (as_json) {
        std::cout << patron::json::encode(r) << "\n";
        return 0;
      }
      std::cout << grouped(r.total_pairs) << " pairs from probability " << min_probability << " among "
                << grouped(r.customers) << " customers, in " << grouped(r.clusters.size()) << " groups\n";
      for (const auto& p : r.pairs) {
        const auto a = db.customers().get(p.a.str());
        const auto b = db.customers().get(p.b.str());
        std::cout << "  " << a.number << "  " << b.number << "  " << p.explanation.probability << "  "
                  << a.first_name << " " << a.last_name << " / " << b.first_name << " " << b.last_name << "\n";
      }
      if (r.total_pairs > r.pairs.size()) {
        std::cout << "  ... and " << grouped(r.total_pairs - r.pairs.size()) << " more (--limit)\n";
      }
      return 0;
    }
    if (*merge) {
      patron::MergeOptions o;
      o.by = merged_by;
      o.take = take;
      o.dry_run = dry_run;
      const patron::MergeResult r = db.customers().merge(survivor, absorbed, o);
      if (as_json) {
        std::cout << patron::json::encode(r) << "\n";
        return 0;
      }
      std::cout << (r.dry_run ? "would merge " : "merged ") << r.absorbed_number << " into " << r.customer.number
                << "\n";
      for (const auto& [kind, n] : r.moved) std::cout << "  moved " << n << " " << kind << "\n";
      if (!r.filled.empty()) {
        std::cout << "  filled:";
        for (const auto& f : r.filled) std::cout << " " << f;
        std::cout << "\n";
      }
      if (!r.taken.empty()) {
        std::cout << "  taken:";
        for (const auto& f : r.taken) std::cout << " " << f;
        std::cout << "\n";
      }
      return 0;
    }
    if (*erase) {
      const patron::ErasureReport r = db.privacy().erase(erase_ref, {requested_by, reason});
      if (as_json) {
        std::cout << patron::json::encode(r) << "\n";
        return 0;
      }
      std::cout << "erased " << erase_ref << " (now " << r.tombstone.number << ")";
      if (r.customers.size() > 1) std::cout << " and " << r.customers.size() - 1 << " customers merged into it";
      std::cout << "\n";
      for (const auto& [kind, n] : r.removed) std::cout << "  removed " << n << " " << kind << "\n";
      for (const auto& [kind, n] : r.kept) std::cout << "  kept anonymous " << n << " " << kind << "\n";
      std::cout << "  suppressed " << r.suppressed << " address hashes\n";
      return 0;
    }
    if (*retention_policies) {
      const auto policies = db.privacy().retention_policies();
      if (as_json) {
        std::cout << patron::json::encode(policies) << "\n";
        return 0;
      }
      if (policies.empty()) std::cout << "no retention policies\n";
      for (const auto& p : policies) print_policy(p);
      return 0;
    }
    if (*retention_set) {
      patron::RetentionPolicy p;
      p.name = policy_name;
      p.category = patron::parse_retention_category(policy_category);
      p.days = policy_days;
      if (!policy_kind.empty()) p.document_kind = patron::parse_document_kind(policy_kind, "--document-kind");
      p.description = policy_description;
      p = db.privacy().set_retention_policy(p);
      if (as_json) {
        std::cout << patron::json::encode(p) << "\n";
      } else {
        print_policy(p);
      }
      return 0;
    }
    if (*retention_remove) {
      db.privacy().remove_retention_policy(policy_name);
      if (!as_json) std::cout << "removed " << policy_name << "\n";
      return 0;
    }
    if (*retention_preview || *retention_run) {
      const patron::ActorScope scope(run_by, patron::EventSource::automated);
      const patron::RetentionRun r =
          *retention_run ? db.privacy().run_retention() : db.privacy().preview_retention();
      if (as_json) {
        std::cout << patron::json::encode(r) << "\n";
      } else {
        print_run(r);
      }
      return 0;
    }
    if (*fit) {
      patron::ModelOptions o;
      o.currency = currency;
      if (!cutoff.empty()) o.cutoff = patron::parse_timestamp(cutoff, "--cutoff");
      const patron::ModelFit f = db.analytics().fit_model(o);
      if (as_json) {
        std::cout << patron::json::encode(f) << "\n";
      } else {
        std::cout << "fitted on " << grouped(static_cast<std::uint64_t>(f.customers)) << " customers' " << f.currency
                  << " orders up to " << patron::format_timestamp(f.cutoff) << " (fit " << f.id << ")\n"
                  << "  BG/NBD r=" << f.bg_nbd.r << " alpha=" << f.bg_nbd.alpha << " a=" << f.bg_nbd.a
                  << " b=" << f.bg_nbd.b << "\n  Gamma-Gamma p=" << f.gamma_gamma.p << " q=" << f.gamma_gamma.q
                  << " gamma=" << f.gamma_gamma.gamma << "\n";
      }
      return 0;
    }
    if (*predict) {
      patron::PredictionOptions o;
      o.currency = currency;
      if (!at.empty()) o.at = patron::parse_timestamp(at, "--at");
      o.horizon = std::chrono::days(horizon_days);
      const patron::Prediction p = db.analytics().predict(predict_ref, o);
      if (as_json) {
        std::cout << patron::json::encode(p) << "\n";
      } else {
        std::cout << "probability alive " << p.probability_alive << "\n  expected orders in " << horizon_days
                  << " days: " << p.expected_orders << "\n  expected order value: " << p.expected_order_value / 100
                  << " " << currency << "\n  lifetime value: " << p.lifetime_value / 100 << " " << currency << "\n";
      }
      return 0;
    }
    if (*identify) {
      const auto found = db.identify(token);
      if (as_json) {
        std::cout << patron::json::encode(found) << "\n";
      } else {
        if (found.empty()) std::cout << "nobody\n";
        for (const auto& m : found) {
          std::cout << "by " << patron::to_string(m.matched_on) << ": ";
          print_customer(m.customer);
        }
      }
      return found.empty() ? 4 : 0;
    }
    if (*backup) {
      const patron::BackupReport r = db.backup(dest);
      if (as_json) {
        std::cout << patron::json::encode(r) << "\n";
      } else {
        std::cout << "backed up to " << r.path << " (" << grouped(static_cast<std::uint64_t>(r.bytes))
                  << " bytes, schema " << r.schema_version << ")\n";
      }
      return 0;
    }
    if (*check) {
      const patron::CheckReport r = db.check(quick);
      if (as_json) {
        std::cout << patron::json::encode(r) << "\n";
      } else {
        std::cout << (r.ok ? "ok" : "PROBLEMS") << ": " << grouped(static_cast<std::uint64_t>(r.customers))
                  << " customers, " << grouped(static_cast<std::uint64_t>(r.purse_accounts)) << " purse and "
                  << grouped(static_cast<std::uint64_t>(r.points_accounts)) << " points accounts checked"
                  << (r.quick ? " (quick)" : "") << "\n";
        for (const auto& p : r.problems) std::cout << "  " << p.check << ": " << p.detail << "\n";
      }
      return r.ok ? 0 : kProblems;
    }
    if (*show) {
      const patron::Customer c = db.customers().get(ref);
      if (as_json) {
        std::cout << patron::json::encode(c) << "\n";
      } else {
        print_customer(c);
      }
      return 0;
    }
  } catch (const patron::Error& e) {
    std::cerr << "patron: " << e.what() << "\n";
    return exit_code(e.code());
  } catch (const std::exception& e) {
    std::cerr << "patron: " << e.what() << "\n";
    return 8;
  }
  return kUsage;
}
