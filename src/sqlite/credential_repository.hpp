// store::CredentialRepository on one SQLite connection, inside a transaction
// the store opened.
#pragma once

#include "patron/store/credential_repository.hpp"
#include "sqlite/connection.hpp"

namespace patron::sqlite {

class CredentialRepository final : public store::CredentialRepository {
 public:
  explicit CredentialRepository(Connection& conn) : conn_(conn) {}

  void insert(Credential& credential) override;
  std::optional<Credential> get(std::int64_t id) override;
  void update(const Credential& credential) override;
  std::vector<Credential> of_customer(const CustomerId& customer) override;
  std::vector<Credential> find(CredentialKind kind, std::string_view value) override;
  std::vector<Credential> named_by(std::string_view value, std::optional<std::string_view> phone) override;
  std::vector<store::CredentialHolder> usable_holders(std::string_view value, std::optional<std::string_view> phone,
                                                      Timestamp at) override;

 private:
  Connection& conn_;
};

}  // namespace patron::sqlite
