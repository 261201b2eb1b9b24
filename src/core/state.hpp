// What a Database shares with the services it hands out.
#pragma once

#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "patron/database.hpp"
#include "patron/store/store.hpp"

namespace patron::detail {

struct DatabaseState {
  Options options;
  std::unique_ptr<store::Store> store;

  // A host's clock outside 0001-9999 fails the call that asked for the time
  // (invalid_argument naming "clock"): nothing is stamped with it.
  Timestamp now() const { return options.clock ? checked_time(options.clock(), "clock") : system_now(); }

  // Run `f` in a read or write transaction and return its result. `f` takes
  // the customer repository, or the whole transaction when it needs more.
  template <typename F>
  auto read(F&& f) const {
    return run(&store::Store::read, std::forward<F>(f));
  }
  template <typename F>
  auto write(F&& f) const {
    return run(&store::Store::write, std::forward<F>(f));
  }

 private:
  template <typename F>
  auto run(void (store::Store::*mode)(const store::Work&), F&& f) const {
    constexpr bool kWholeTransaction = std::is_invocable_v<F, store::Transaction&>;
    auto call = [&](store::Transaction& tx) -> decltype(auto) {
      if constexpr (kWholeTransaction) {
        return f(tx);
      } else {
        return f(tx.customers());
      }
    };
    using Result = std::invoke_result_t<decltype(call), store::Transaction&>;
    if constexpr (std::is_void_v<Result>) {
      ((*store).*mode)([&](store::Transaction& tx) { call(tx); });
    } else {
      std::optional<std::decay_t<Result>> result;
      ((*store).*mode)([&](store::Transaction& tx) { result.emplace(call(tx)); });
      return std::move(*result);
    }
  }
};

}  // namespace patron::detail
