// Companies and their customer links as JSON.
#include "json/json_internal.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace patron::json {

using namespace internal;

namespace internal {

json to_json(const Company& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"sector", c.sector},
          {"contact_person", c.contact_person},
          {"notes", c.notes},
          {"domains", c.domains},
          {"created_at", format_timestamp(c.created_at)},
          {"updated_at", format_timestamp(c.updated_at)}};
}

json to_json(const CompanyLink& l) {
  return {{"company", l.company},
          {"customer", l.customer.str()},
          {"source", to_string(l.source)},
          {"role", l.role},
          {"billing", l.billing},
          {"domain", l.domain},
          {"linked_at", format_timestamp(l.linked_at)}};
}

}  // namespace internal

std::string encode(const Company& company) { return to_json(company).dump(); }
std::string encode(const std::vector<Company>& companies) { return encode_list(companies); }
std::string encode(const CompanyLink& link) { return to_json(link).dump(); }
std::string encode(const std::vector<CompanyLink>& links) { return encode_list(links); }

NewCompany decode_new_company(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"name", "sector", "contact_person", "notes", "domains"});
  NewCompany c;
  c.name = get_string(j, "name", "name");
  c.sector = get_string(j, "sector", "sector");
  c.contact_person = get_string(j, "contact_person", "contact_person");
  c.notes = get_string(j, "notes", "notes");
  if (auto it = j.find("domains"); it != j.end() && !it->is_null()) c.domains = get_strings(*it, "domains");
  return c;
}

CompanyUpdate decode_company_update(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"name", "sector", "contact_person", "notes"});
  CompanyUpdate u;
  if (j.contains("name")) u.name = get_string(j, "name", "name");
  if (j.contains("sector")) u.sector = get_string(j, "sector", "sector");
  if (j.contains("contact_person")) u.contact_person = get_string(j, "contact_person", "contact_person");
  if (j.contains("notes")) u.notes = get_string(j, "notes", "notes");
  return u;
}

}  // namespace patron::json
