#include "patron/customer.hpp"

#include <array>
#include <utility>

#include "patron/error.hpp"

namespace patron {
namespace {

template <typename Enum, std::size_t N>
Enum parse_enum(const std::array<std::pair<std::string_view, Enum>, N>& names, std::string_view text,
                std::string_view field) {
  for (const auto& [name, value] : names) {
    if (name == text) return value;
  }
  std::string allowed;
  for (const auto& [name, value] : names) allowed += (allowed.empty() ? "" : ", ") + std::string(name);
  throw Error(Errc::invalid_argument, std::string(field) + ": must be one of " + allowed,
              std::string(field));
}

constexpr std::array<std::pair<std::string_view, PhoneLabel>, 4> kPhoneLabels{{
    {"mobile", PhoneLabel::mobile}, {"work", PhoneLabel::work}, {"home", PhoneLabel::home}, {"other", PhoneLabel::other}}};
constexpr std::array<std::pair<std::string_view, AddressPurpose>, 3> kPurposes{{
    {"billing", AddressPurpose::billing}, {"shipping", AddressPurpose::shipping}, {"contact", AddressPurpose::contact}}};

}  // namespace

std::string_view to_string(PhoneLabel v) noexcept { return kPhoneLabels[static_cast<std::size_t>(v)].first; }
std::string_view to_string(AddressPurpose v) noexcept { return kPurposes[static_cast<std::size_t>(v)].first; }
std::string_view to_string(CustomerStatus v) noexcept { return v == CustomerStatus::banned ? "banned" : "active"; }
std::string_view to_string(Presence v) noexcept { return v == Presence::online ? "online" : "offline"; }

std::string_view to_string(MatchKind v) noexcept {
  switch (v) {
    case MatchKind::id: return "id";
    case MatchKind::number: return "number";
    case MatchKind::credential: return "credential";
    case MatchKind::email: return "email";
    case MatchKind::phone: return "phone";
  }
  return "id";
}

PhoneLabel parse_phone_label(std::string_view text, std::string_view field) {
  return parse_enum(kPhoneLabels, text, field);
}

AddressPurpose parse_address_purpose(std::string_view text, std::string_view field) {
  return parse_enum(kPurposes, text, field);
}

const Email* Customer::primary_email() const noexcept {
  for (const auto& e : emails) {
    if (e.primary) return &e;
  }
  return nullptr;
}

}  // namespace patron
