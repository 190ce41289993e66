// NAME
//   accounts.cpp - names of account states and roles, as stored and typed.
#include "store/accounts.h"

#include <fmt/format.h>

namespace appliance::store {
namespace {

constexpr std::pair<AccountState, std::string_view> kStates[] = {{AccountState::active, "active"},
                                                                 {AccountState::locked, "locked"},
                                                                 {AccountState::closed, "closed"}};
constexpr std::pair<Role, std::string_view> kRoles[] = {{Role::user, "user"},
                                                        {Role::tenant_admin, "tenant-admin"},
                                                        {Role::appliance_admin, "appliance-admin"},
                                                        {Role::auditor, "auditor"}};

template <class E, std::size_t N>
std::string_view name_of(const std::pair<E, std::string_view> (&table)[N], E value) {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  return "?";
}

template <class E, std::size_t N>
Result<E> value_of(const std::pair<E, std::string_view> (&table)[N], std::string_view text,
                   std::string_view what) {
  std::string known;
  for (const auto& [v, name] : table) {
    if (name == text) return v;
    known += known.empty() ? std::string(name) : ", " + std::string(name);
  }
  return make_error(fmt::format("\"{}\" is not {} (one of: {})", text, what, known));
}

}  // namespace

std::string_view to_string(AccountState state) {
  return name_of(kStates, state);
}
std::string_view to_string(Role role) {
  return name_of(kRoles, role);
}
Result<AccountState> parse_state(std::string_view text) {
  return value_of(kStates, text, "an account state");
}
Result<Role> parse_role(std::string_view text) {
  return value_of(kRoles, text, "a role");
}

}  // namespace appliance::store
