// The activity timeline through the C ABI: events in and out as JSON, the
// change feed, the edit history, and the actor of the calling thread.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "capi_internal.hpp"
#include "patron/activity.hpp"
#include "patron/json.hpp"

namespace {

using patron::capi::Args;
using patron::capi::json_call;
using patron::capi::optional_text;
namespace json = patron::json;

// The actor scopes pushed on this thread by patron_actor_push, innermost
// last; ended innermost first, also when the thread exits with some still
// pushed.
class ActorStack {
 public:
  ActorStack() = default;
  ActorStack(const ActorStack&) = delete;
  ActorStack& operator=(const ActorStack&) = delete;
  ~ActorStack() {
    while (!scopes_.empty()) scopes_.pop_back();
  }
  void push(std::string actor, patron::EventSource source) {
    scopes_.reserve(scopes_.size() + 1);  // no throw between the scope's start and its ownership
    scopes_.push_back(std::make_unique<patron::ActorScope>(std::move(actor), source));
  }
  bool pop() {
    if (scopes_.empty()) return false;
    scopes_.pop_back();
    return true;
  }

 private:
  std::vector<std::unique_ptr<patron::ActorScope>> scopes_;
};

ActorStack& actor_stack() {
  thread_local ActorStack stack;
  return stack;
}

}  // namespace

extern "C" {

int patron_event_record(patron_db* db, const char* json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& activity = a.db(db).activity();
    const patron::NewEvent event = json::decode_new_event(a.text(json, "json"));
    return patron::capi::c_names({{"ref", "customer"}}, [&] { return json::encode(activity.record(event)); });
  });
}

int patron_event_record_many(patron_db* db, const char* json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& activity = a.db(db).activity();
    const std::vector<patron::NewEvent> events = json::decode_new_events(a.text(json, "json"));
    return patron::capi::c_names({{"ref", "customer"}}, [&] { return json::encode(activity.record_many(events)); });
  });
}

int patron_timeline(patron_db* db, const char* ref, const char* filter_json, const char* before, size_t limit,
                    char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& activity = a.db(db).activity();
    const std::string_view r = a.text(ref, "ref");
    const patron::TimelineFilter filter = json::decode_timeline_filter(optional_text(filter_json));
    return json::encode(activity.timeline(r, filter, optional_text(before), limit));
  });
}

int patron_feed(patron_db* db, int64_t after, size_t limit, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& activity = a.db(db).activity();
    return json::encode(activity.feed(after, limit));
  });
}

int patron_last_event_id(patron_db* db, int64_t* out_id) {
  const Args args(__func__);
  return patron::capi::guard([&]() -> int {
    args.need(out_id, "out_id");
    *out_id = 0;
    *out_id = args.db(db).activity().last_event_id();
    return PATRON_OK;
  });
}

int patron_history(patron_db* db, const char* ref, const char* field, size_t limit, size_t offset, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& activity = a.db(db).activity();
    const std::string_view r = a.text(ref, "ref");
    return json::encode(activity.history(r, optional_text(field), patron::Page{limit, offset}));
  });
}

int patron_actor_push(const char* actor, const char* source) {
  const Args args(__func__);
  return patron::capi::guard([&]() -> int {
    const std::string_view who = args.text(actor, "actor");
    const patron::EventSource from =
        source == nullptr ? patron::EventSource::staff : patron::parse_event_source(source, "source");
    actor_stack().push(std::string(who), from);
    return PATRON_OK;
  });
}

int patron_actor_pop(void) {
  return patron::capi::guard([&]() -> int {
    if (!actor_stack().pop()) {
      throw patron::Error(patron::Errc::failed_precondition,
                          "patron_actor_pop: no actor was pushed on this thread", "actor");
    }
    return PATRON_OK;
  });
}

}  // extern "C"
