// identify(): one token from a till, a door or a form, tried as an id, a
// customer number, a credential (active and valid now), an email and a
// phone, in that order of precedence.
#include <algorithm>

#include "core/credential_ops.hpp"
#include "core/rules.hpp"
#include "core/state.hpp"
#include "patron/database.hpp"
#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron {
namespace {

struct Token {
  detail::PresentedToken presented;
  std::optional<CustomerId> id;
  bool number = false;  // the token has a customer number's form
  std::optional<std::string> email;
};

Token classify(std::string_view token, const std::string& region) {
  Token out{detail::read_token(token, region), std::nullopt, false, std::nullopt};
  const std::string& t = out.presented.text;
  out.id = CustomerId::try_parse(t);
  out.number = rules::is_customer_number(t);
  if (t.find('@') != std::string::npos) out.email = text::try_normalize_email(t);
  return out;
}

// Calls add(customer, kind, credential) for every match, in precedence order.
template <typename Add>
void collect(const Token& tok, store::Transaction& tx, Timestamp now, Add&& add) {
  auto& repo = tx.customers();
  if (tok.id) {
    if (auto live = repo.live_id(*tok.id)) add(*live, MatchKind::id, std::nullopt);
  }
  if (tok.number) {
    if (auto id = repo.id_by_number(tok.presented.text)) add(*id, MatchKind::number, std::nullopt);
  }
  for (const auto& h : tx.credentials().usable_holders(tok.presented.text, tok.presented.credential_phone(), now)) {
    add(h.customer, MatchKind::credential, h.credential);
  }
  if (tok.email) {
    if (auto id = repo.id_by_email(*tok.email)) add(*id, MatchKind::email, std::nullopt);
  }
  if (tok.presented.phone) {
    for (auto& id : repo.ids_by_phone(*tok.presented.phone)) add(id, MatchKind::phone, std::nullopt);
  }
}

}  // namespace

std::vector<CustomerId> Database::identify_ids(std::string_view token) const {
  const Token tok = classify(token, state_->options.default_region);
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    std::vector<CustomerId> out;
    collect(tok, tx, now, [&](const CustomerId& id, MatchKind, std::optional<std::int64_t>) {
      if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    });
    return out;
  });
}

std::vector<Identification> Database::identify(std::string_view token) const {
  const Token tok = classify(token, state_->options.default_region);
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    std::vector<Identification> out;
    collect(tok, tx, now, [&](const CustomerId& id, MatchKind kind, std::optional<std::int64_t> credential) {
      if (std::any_of(out.begin(), out.end(), [&](const Identification& i) { return i.customer.id == id; })) return;
      if (auto c = tx.customers().by_id(id, now)) out.push_back(Identification{std::move(*c), kind, credential});
    });
    return out;
  });
}

}  // namespace patron
