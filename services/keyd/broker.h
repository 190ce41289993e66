// NAME
//   broker.h - keyd's answers: one request in, one reply out.
//
// DESCRIPTION
//   Broker holds what all connections share: the token, the registry of keys
//   and the access table. Each connection thread has its own Worker, with its
//   own PKCS#11 session (a session shared by two threads crashes SoftHSM) and
//   its own cache of key handles, session copies of hot secret keys and the
//   current version of each family asked for, dropped whenever the registry
//   changes.
//
//   Worker::handle() checks the caller's right to the key and use before it
//   touches the token; a refusal is answered with the reason and logged as a
//   security event. Every change of a key is logged as a security event
//   naming the caller ("root", "webd", or "keyd" for its own defaults).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "common/ipc.h"
#include "hsm/keys.h"
#include "hsm/token.h"
#include "keyd/acl.h"
#include "keyd/protocol.h"
#include "keyd/registry.h"
#include "keyd/token_owner.h"

namespace appliance::keyd {

struct Broker {
  TokenOwner& token;
  Registry& registry;
  const Acl& acl;
};

// Reads the token's keys into the registry (at start, after login).
Result<void> load_registry(Broker& broker);

class Worker {
 public:
  explicit Worker(Broker& broker) : broker_(broker) {}
  ipc::Writer handle(const ipc::Message& message, const ipc::PeerCred& caller);
  // keyd's own request, at start (defaults.h): no caller to authorise.
  Result<void> generate_default(const std::string& name, const std::string& algorithm) {
    auto made = generate(name, algorithm);
    return made ? Result<void>() : made.error();
  }

 private:
  Result<ipc::Writer> dispatch(const Request& q, const ipc::PeerCred& caller);
  Result<std::string> resolve(const std::string& key, bool for_new_use);
  Result<hsm::Session*> session();
  Result<hsm::Key> key(const std::string& name);
  Result<CK_OBJECT_HANDLE> hot(const std::string& name);
  void drop_stale_cache();

  Result<ipc::Writer> sign(const Request& q, const std::string& name);
  Result<ipc::Writer> hmac(const Request& q, const std::string& name);
  Result<ipc::Writer> seal(const Request& q, const std::string& name);
  Result<ipc::Writer> unseal(const Request& q, const std::string& name);
  Result<ipc::Writer> data_key(const Request& q, const std::string& name);
  Result<ipc::Writer> public_key(const std::string& name);
  Result<ipc::Writer> admin(const Request& q, const ipc::PeerCred& caller);
  Result<ipc::Writer> generate(const std::string& name, const std::string& algorithm);
  Result<ipc::Writer> import(const Request& q);
  Result<ipc::Writer> csr(const Request& q);
  Result<ipc::Writer> set_certificate(const Request& q);
  Result<ipc::Writer> remove(const Request& q);

  Broker& broker_;
  std::string caller_ = "keyd";  // who asked, for the security events
  std::optional<hsm::Session> session_;
  std::uint64_t cache_generation_ = 0;
  std::map<std::string, hsm::Key> keys_;
  std::map<std::string, CK_OBJECT_HANDLE> hot_;
  std::map<std::string, std::string> current_;  // family -> its current version
};

}  // namespace appliance::keyd
