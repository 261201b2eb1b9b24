// Imports through the C ABI: the input's bytes become a file (CSV, JSON
// Lines, in UTF-8, Windows-1252 or UTF-16) that patron_import_customers
// reads, into a database that keeps what earlier inputs imported (so rows
// match, update and resemble earlier ones). The report must be JSON; the
// customers it names read back; the reject file it wrote imports again as
// it is.
//
// Operations (first byte; then the arguments):
//   a  bytes                  a CSV file, default options, a reject file
//   b  bytes                  a CSV file in windows-1252, mode create
//   c  bytes                  a JSON Lines file, duplicates "hold"
//   d  options \n bytes       a CSV file with the options document given
//                             (its "rejects" and "mapping_file" replaced by
//                             the target's own files: an input names no path)
//   e  bytes                  a UTF-16 CSV file (the bytes as they are)
//   f  bytes                  a CSV file, mode update, fill_blanks on names,
//                             month-first dates, a dry run
//   g  options                patron_export_customers with the options
//                             document given ("overwrite" forced), then the
//                             file imported back: every customer it holds
//                             is there already, so it creates none
//   h  kind \n bytes          a CSV file of credentials, purse_balances,
//                             points_balances, memberships or orders (the
//                             kind's first byte modulo 5), imported twice:
//                             the second run creates nothing
#include <unistd.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "harness.hpp"

namespace {

using fuzz::json;

void setup(patron_db* db) {
  PATRON_FUZZ_MUST(patron_customer_create, db,
                   R"({"number":"ANA-01","first_name":"Ana","last_name":"Silva","email":"ana@example.com",)"
                   R"("phone":"07400 123456","date_of_birth":"1990-04-01"})");
  PATRON_FUZZ_MUST(patron_field_define, db, R"({"key":"tier","label":"Tier","type":"select","options":["gold","silver"]})");
  PATRON_FUZZ_MUST(patron_plan_create, db, R"({"name":"Gold","kind":"subscription","billing_period":"monthly"})");
  PATRON_FUZZ_MUST(patron_loyalty_program_create, db, R"({"id":"stars","name":"Stars","currency":"EUR"})");
}

fuzz::Db database(setup);

// The target's own directory for the files it writes.
const std::filesystem::path& dir() {
  static const std::filesystem::path d = [] {
    auto p = std::filesystem::temp_directory_path() / ("patron-fuzz-import-" + std::to_string(getpid()));
    std::filesystem::create_directories(p);
    return p;
  }();
  return d;
}

std::string write(const std::string& name, const std::string& bytes) {
  const std::string path = (dir() / name).string();
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  return path;
}

int go_on(uint64_t, uint64_t, void*) { return 0; }

// Imports `path`; on success reads back the customers the report names.
void import(patron_db* db, const std::string& path, const std::string& options) {
  json report;
  if (PATRON_FUZZ_CALL_DOC(report, patron_import_customers, db, path.c_str(), options.c_str(), &go_on, nullptr) !=
      PATRON_OK) {
    return;
  }
  std::vector<std::string> ids;
  fuzz::customers_in(report, ids, 3);
  for (const auto& id : ids) fuzz::read_back(db, id.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  patron_db* db = database.get();
  const fuzz::Input in = fuzz::split(data, size, {1, 1, 1, 2, 1, 1, 1, 2});
  const std::string rejects = (dir() / "rejects.csv").string();
  switch (in.op) {
    case 0: {
      std::filesystem::remove(rejects);
      import(db, write("in.csv", in.args[0]), json{{"rejects", rejects}}.dump());
      // The reject file imports as it is (the rows it holds are refused again, or not).
      if (std::filesystem::exists(rejects)) {
        const std::string again = (dir() / "again.csv").string();
        std::filesystem::rename(rejects, again);
        import(db, again, "");
      }
      break;
    }
    case 1:
      import(db, write("in.csv", in.args[0]), R"({"encoding":"windows-1252","mode":"create"})");
      break;
    case 2:
      import(db, write("in.jsonl", in.args[0]),
             json{{"duplicates", "hold"}, {"rejects", (dir() / "rejects.jsonl").string()}}.dump());
      break;
    case 3: {
      json options = json::parse(in.args[0], nullptr, false);
      std::string text = in.args[0];
      if (options.is_object()) {
        options.erase("mapping_file");
        options["rejects"] = rejects;
        text = options.dump(-1, ' ', false, json::error_handler_t::replace);
      } else if (in.args[0].find("mapping_file") != std::string::npos ||
                 in.args[0].find("rejects") != std::string::npos) {
        text = "{}";  // not JSON, but naming a path: never let it reach one
      }
      import(db, write("in.csv", in.args[1]), text);
      break;
    }
    case 4:
      import(db, write("in16.csv", in.args[0]), R"({"encoding":"UTF-16"})");
      break;
    case 6: {
      json options = json::parse(in.args[0], nullptr, false);
      if (!options.is_object()) options = json::object();
      options["overwrite"] = true;
      const bool csv = options.value("format", std::string()) == "csv";
      const std::string out = (dir() / (csv ? "out.csv" : "out.jsonl")).string();
      json report;
      if (PATRON_FUZZ_CALL_DOC(report, patron_export_customers, db, out.c_str(),
                               options.dump(-1, ' ', false, json::error_handler_t::replace).c_str(), nullptr,
                               nullptr) != PATRON_OK) {
        break;
      }
      json back;
      if (PATRON_FUZZ_CALL_DOC(back, patron_import_customers, db, out.c_str(), R"({"duplicates":"off"})", nullptr,
                               nullptr) == PATRON_OK &&
          back.value("created", 0) != 0) {
        fuzz::bug("patron_import_customers", "an exported file imported back created customers: " + back.dump());
      }
      break;
    }
    case 5:
      import(db, write("in.csv", in.args[0]),
             R"({"mode":"update","mapping":{"fill_blanks":["first_name","last_name"]},"date_order":"month_first",)"
             R"("dry_run":true})");
      break;
    case 7: {
      using Import = int (*)(patron_db*, const char*, const char*, patron_import_progress, void*, char**);
      static const std::array<std::pair<const char*, Import>, 5> kKinds{{
          {"patron_import_credentials", patron_import_credentials},
          {"patron_import_purse_balances", patron_import_purse_balances},
          {"patron_import_points_balances", patron_import_points_balances},
          {"patron_import_memberships", patron_import_memberships},
          {"patron_import_orders", patron_import_orders},
      }};
      const auto& [name, call] =
          kKinds[in.args[0].empty() ? 0 : static_cast<unsigned char>(in.args[0][0]) % kKinds.size()];
      const std::string path = write("records.csv", in.args[1]);
      const auto run = [&](json& report) {
        char* out = nullptr;
        const int rc = call(db, path.c_str(), nullptr, nullptr, nullptr, &out);
        return fuzz::check(name, rc, out, &report);
      };
      json first, second;
      if (run(first) != PATRON_OK) break;
      if (run(second) == PATRON_OK && second.value("created", 0) != 0) {
        fuzz::bug(name, "a second run of the same file created records: " + first.dump() + " then " + second.dump());
      }
      break;
    }
    default:
      break;
  }
  return 0;
}
