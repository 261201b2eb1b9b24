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

  Timestamp now() const { return options.clock ? options.clock() : system_now(); }

  // Run `f(repository)` in a read or write transaction and return its result.
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
    using Result = std::invoke_result_t<F, store::CustomerRepository&>;
    if constexpr (std::is_void_v<Result>) {
      ((*store).*mode)([&](store::Transaction& tx) { f(tx.customers()); });
    } else {
      std::optional<Result> result;
      ((*store).*mode)([&](store::Transaction& tx) { result.emplace(f(tx.customers())); });
      return std::move(*result);
    }
  }
};

}  // namespace patron::detail
