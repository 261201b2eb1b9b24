// store::MergeRepository on one SQLite connection, inside a transaction the
// store opened.
#pragma once

#include "patron/store/merge_repository.hpp"
#include "sqlite/connection.hpp"

namespace patron::sqlite {

class MergeRepository final : public store::MergeRepository {
 public:
  explicit MergeRepository(Connection& conn) : conn_(conn) {}

  std::map<std::string, std::int64_t> move_records(const CustomerId& from, const CustomerId& to) override;
  void move_points_account(const CustomerId& from, const CustomerId& to, std::string_view program) override;
  std::int64_t move_points_lots(const CustomerId& from, const CustomerId& to, std::string_view program,
                                std::int64_t out_entry, std::int64_t in_entry) override;
  void mark_merged(const CustomerId& from, const CustomerId& to, Timestamp at) override;
  void release_number(const CustomerId& merged) override;

 private:
  Connection& conn_;
};

}  // namespace patron::sqlite
