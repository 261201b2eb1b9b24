// identify(): one token from a till, a door or a form, tried as an id, a
// customer number, an email and a phone, in that order of precedence.
#include <algorithm>
#include <cctype>

#include "core/rules.hpp"
#include "core/state.hpp"
#include "patron/database.hpp"
#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron {
namespace {

struct Token {
  std::optional<CustomerId> id;
  std::string number;  // empty unless the token has a number's form
  std::optional<std::string> email;
  std::optional<std::string> phone;
};

Token classify(std::string_view token, const std::string& region) {
  if (!text::is_valid_utf8(token)) throw Error(Errc::invalid_argument, "token: not valid UTF-8", "token");
  const std::string_view t = text::trim(token);
  if (t.empty()) throw Error(Errc::invalid_argument, "token: must not be empty", "token");
  Token out;
  out.id = CustomerId::try_parse(t);
  if (rules::is_customer_number(t)) out.number = std::string(t);
  if (t.find('@') != std::string_view::npos) {
    out.email = text::try_normalize_email(t);
    return out;  // an address is not also a phone
  }
  if (t.size() <= 40 && std::count_if(t.begin(), t.end(), [](unsigned char c) { return std::isdigit(c); }) >= 3) {
    try {
      out.phone = text::normalize_phone(t, region, "token").number;
    } catch (const Error&) {
      // Not a phone: nothing to match on.
    }
  }
  return out;
}

template <typename Add>
void collect(const Token& tok, store::CustomerRepository& repo, Add&& add) {
  if (tok.id && repo.has_id(*tok.id)) add(*tok.id, MatchKind::id);
  if (!tok.number.empty()) {
    if (auto id = repo.id_by_number(tok.number)) add(*id, MatchKind::number);
  }
  if (tok.email) {
    if (auto id = repo.id_by_email(*tok.email)) add(*id, MatchKind::email);
  }
  if (tok.phone) {
    for (auto& id : repo.ids_by_phone(*tok.phone)) add(id, MatchKind::phone);
  }
}

}  // namespace

std::vector<CustomerId> Database::identify_ids(std::string_view token) const {
  const Token tok = classify(token, state_->options.default_region);
  return state_->read([&](store::CustomerRepository& repo) {
    std::vector<CustomerId> out;
    collect(tok, repo, [&](const CustomerId& id, MatchKind) {
      if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    });
    return out;
  });
}

std::vector<Identification> Database::identify(std::string_view token) const {
  const Token tok = classify(token, state_->options.default_region);
  const Timestamp now = state_->now();
  return state_->read([&](store::CustomerRepository& repo) {
    std::vector<std::pair<CustomerId, MatchKind>> ids;
    collect(tok, repo, [&](const CustomerId& id, MatchKind kind) {
      if (std::none_of(ids.begin(), ids.end(), [&](const auto& p) { return p.first == id; })) ids.emplace_back(id, kind);
    });
    std::vector<Identification> out;
    out.reserve(ids.size());
    for (const auto& [id, kind] : ids) {
      if (auto c = repo.by_id(id, now)) out.push_back(Identification{std::move(*c), kind});
    }
    return out;
  });
}

}  // namespace patron
