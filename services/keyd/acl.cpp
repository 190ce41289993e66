// NAME
//   acl.cpp - the table of allowed uses.
#include "keyd/acl.h"

#include <fmt/format.h>

#include <set>

namespace appliance::keyd {
namespace {

using Grant = std::pair<std::string_view, Use>;  // purpose, use

const std::map<std::string_view, std::set<Grant>>& grants() {
  static const std::map<std::string_view, std::set<Grant>> table = {
      {"smtpd", {{"tls", Use::sign}, {"tls", Use::public_key}, {"dkim", Use::sign},
                 {"dkim", Use::public_key}, {"secret", Use::hmac}, {"wrap", Use::data_key}}},
      {"deliverd", {{"tls", Use::sign}, {"tls", Use::public_key}, {"dkim", Use::sign},
                    {"dkim", Use::public_key}, {"wrap", Use::data_key}}},
      {"imapd", {{"tls", Use::sign}, {"tls", Use::public_key}, {"secret", Use::hmac},
                 {"wrap", Use::data_key}}},
      {"pop3d", {{"tls", Use::sign}, {"tls", Use::public_key}, {"secret", Use::hmac},
                 {"wrap", Use::data_key}}},
      {"webd", {{"tls", Use::sign}, {"tls", Use::public_key}, {"tls", Use::manage},
                {"dkim", Use::sign}, {"dkim", Use::public_key}, {"dkim", Use::manage}, {"secret", Use::hmac}, {"seal", Use::seal}, {"seal", Use::unseal},
                {"wrap", Use::data_key}}},
      {"monitord", {{"wrap", Use::data_key}}},
  };
  return table;
}

std::string_view purpose_of(const std::string& key_name) {
  std::string_view k = key_name;
  return k.substr(0, k.find('/'));
}

}  // namespace

Acl::Acl(std::map<std::string, uid_t> daemon_uids, uid_t admin_uid)
    : daemon_uids_(std::move(daemon_uids)), admin_uid_(admin_uid) {}

std::string Acl::caller_name(uid_t uid) const {
  if (uid == 0 || uid == admin_uid_) return "root";
  for (const auto& [name, u] : daemon_uids_)
    if (u == uid) return name;
  return "";
}

Result<void> Acl::check(uid_t uid, const std::string& key_name, Use use) const {
  std::string caller = caller_name(uid);
  if (caller == "root") return {};
  auto deny = [&] {
    return make_error(fmt::format("permission denied: {} may not {} with {}",
                                  caller.empty() ? fmt::format("uid {}", uid) : caller,
                                  use_name(use), key_name.empty() ? "keys" : key_name));
  };
  if (caller.empty() || use == Use::admin) return deny();
  auto it = grants().find(caller);
  if (it == grants().end()) return deny();
  if (use == Use::manage && key_name.empty()) {  // a list
    for (const Grant& g : it->second)
      if (g.second == Use::manage) return {};
    return deny();
  }
  if (!it->second.count({purpose_of(key_name), use})) return deny();
  return {};
}

bool Acl::lists(uid_t uid, const std::string& key_name) const {
  if (caller_name(uid) == "root") return true;
  return !key_name.empty() && check(uid, key_name, Use::manage).ok();
}

Use use_of(ipc::Type request) {
  switch (request) {
    case ipc::Type::key_sign: return Use::sign;
    case ipc::Type::key_hmac:
    case ipc::Type::key_hmac_verify: return Use::hmac;
    case ipc::Type::key_seal: return Use::seal;
    case ipc::Type::key_unseal: return Use::unseal;
    case ipc::Type::key_new_data_key:
    case ipc::Type::key_unwrap: return Use::data_key;
    case ipc::Type::key_public: return Use::public_key;
    case ipc::Type::key_list:
    case ipc::Type::key_generate:
    case ipc::Type::key_rotate:
    case ipc::Type::key_csr:
    case ipc::Type::key_set_certificate:
    case ipc::Type::key_retire: return Use::manage;
    default: return Use::admin;
  }
}

std::string_view use_name(Use use) {
  switch (use) {
    case Use::sign: return "sign";
    case Use::hmac: return "compute HMACs";
    case Use::seal: return "seal";
    case Use::unseal: return "unseal";
    case Use::data_key: return "wrap data keys";
    case Use::public_key: return "read the public key";
    case Use::manage: return "manage";
    case Use::admin: return "administer keys";
  }
  return "?";
}

}  // namespace appliance::keyd
