// store::ConsentRepository on one SQLite connection, inside a transaction
// the store opened.
#pragma once

#include "patron/store/consent_repository.hpp"
#include "sqlite/connection.hpp"

namespace patron::sqlite {

class ConsentRepository final : public store::ConsentRepository {
 public:
  explicit ConsentRepository(Connection& conn) : conn_(conn) {}

  void append(ConsentEntry& entry, const std::string& token_hash) override;
  std::optional<ConsentEntry> get(std::int64_t id) override;
  std::optional<ConsentEntry> request_by_token(const std::string& token_hash) override;
  std::optional<std::int64_t> confirmation_of(std::int64_t request) override;
  bool withdrawn_after(const CustomerId& customer, Channel channel, std::string_view purpose,
                       std::int64_t entry) override;
  std::optional<store::CurrentConsent> current(const CustomerId& customer, Channel channel,
                                               std::string_view purpose) override;
  void drop_states(const CustomerId& customer) override;
  std::vector<std::pair<std::pair<Channel, std::string>, store::CurrentConsent>> states(
      const CustomerId& customer) override;
  std::vector<ConsentEntry> history(const CustomerId& customer, Page page) override;
  std::vector<CustomerId> reachable(Channel channel, std::string_view purpose, bool opt_out, const std::string& after,
                                    std::size_t limit) override;
  void insert_purpose(const ConsentPurpose& purpose, Timestamp at) override;
  std::optional<ConsentPurpose> purpose(std::string_view name) override;
  std::vector<ConsentPurpose> purposes() override;
  std::optional<std::string> secret(std::string_view name) override;
  void insert_secret(std::string_view name, const std::string& value) override;
  void suppress(const std::string& hash, std::string_view purpose, Timestamp at) override;
  void lift(const std::string& hash, std::string_view purpose) override;
  bool suppressed(const std::string& hash, std::string_view purpose) override;
  void save_preferences(const CustomerId& customer, const ContactPreferences& preferences, Timestamp at) override;
  std::optional<ContactPreferences> preferences(const CustomerId& customer) override;

 private:
  Connection& conn_;
};

}  // namespace patron::sqlite
