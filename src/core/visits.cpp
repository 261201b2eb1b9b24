#include "patron/visits.hpp"

#include "core/credential_ops.hpp"
#include "core/customer_ops.hpp"
#include "core/event_builders.hpp"
#include "core/rules.hpp"
#include "core/state.hpp"
#include "patron/activity.hpp"
#include "patron/error.hpp"

namespace patron {
namespace {

std::string place_id(std::string_view place) { return rules::host_id(place, "place", "a place"); }

VisitFilter validated(const VisitFilter& in) {
  VisitFilter f = in;
  if (f.place) f.place = place_id(*f.place);
  if (f.from && f.to && !(*f.to > *f.from)) {
    throw Error(Errc::invalid_argument, "to: must be after from", "to");
  }
  return f;
}

// Inserts the visit and records "visit.recorded" on the customer's timeline.
// Someone was physically there, whoever enters it: the event's source is
// physical, with the actor of the call.
Visit insert_visit(store::Transaction& tx, Timestamp now, Visit v) {
  tx.visits().insert(v);
  const ActorScope physical(std::string(ActorScope::current_actor()), EventSource::physical);
  detail::EventJson details{{"visit", v.id}, {"place", v.place}, {"at", format_timestamp(v.at)}};
  details["credential"] = v.credential ? detail::EventJson(*v.credential) : detail::EventJson();
  detail::record(tx, now,
                 detail::make_change(v.customer, EventCategory::customers, EventType::visit, "visit.recorded",
                                     "Visit recorded", details));
  return v;
}

}  // namespace

Visit Visits::record_presented(std::string_view token, std::string_view place, std::optional<Timestamp> at) {
  const detail::PresentedToken tok = detail::read_token(token, state_->options.default_region);
  const std::string where = place_id(place);
  const Timestamp now = state_->now();
  const Timestamp when = checked_time(at, "at").value_or(now);
  return state_->write([&](store::Transaction& tx) {
    const CredentialCheck check = detail::check_token(tx, tok, when, now, false);
    if (check.verdict != CredentialVerdict::accepted) {
      throw Error(Errc::failed_precondition,
                  "token: the credential is " + std::string(to_string(check.verdict)) + ", no visit recorded",
                  "token");
    }
    return insert_visit(tx, now, Visit{0, check.credential->customer, where, check.credential->id, when});
  });
}

Visit Visits::record(std::string_view customer_ref, std::string_view place, std::optional<std::int64_t> credential,
                     std::optional<Timestamp> at) {
  const std::string where = place_id(place);
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    const CustomerId customer = detail::require_customer_id(tx.customers(), customer_ref);
    if (credential) {
      const auto c = tx.credentials().get(*credential);
      if (!c || c->customer != customer) {
        throw Error(Errc::not_found,
                    "credential: no credential " + std::to_string(*credential) + " of this customer", "credential");
      }
    }
    return insert_visit(tx, now, Visit{0, customer, where, credential, checked_time(at, "at").value_or(now)});
  });
}

std::int64_t Visits::count(std::string_view customer_ref, const VisitFilter& filter) const {
  const VisitFilter f = validated(filter);
  return state_->read([&](store::Transaction& tx) {
    return tx.visits().count(detail::require_customer_id(tx.customers(), customer_ref), f);
  });
}

std::vector<Visit> Visits::list(std::string_view customer_ref, const VisitFilter& filter, Page page) const {
  const VisitFilter f = validated(filter);
  rules::page(page);
  return state_->read([&](store::Transaction& tx) {
    return tx.visits().of_customer(detail::require_customer_id(tx.customers(), customer_ref), f, page);
  });
}

std::vector<Visit> Visits::at_place(std::string_view place, const VisitFilter& filter, Page page) const {
  const std::string where = place_id(place);
  const VisitFilter f = validated(filter);
  rules::page(page);
  return state_->read([&](store::Transaction& tx) { return tx.visits().at_place(where, f, page); });
}

}  // namespace patron
