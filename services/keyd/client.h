// NAME
//   client.h - how every other daemon asks keyd for a key operation.
//
// DESCRIPTION
//   KeydClient shares a few connections to keyd's socket ("lanes", lane.h)
//   among every thread of the process: requests from many threads are in
//   flight on one connection at once, and keyd answers them in order. Two
//   lanes let keyd work on two cores. When keyd goes away (restarted after a
//   crash) a request that failed in transit is sent again on a new
//   connection, for up to `patience`; requests that change keys
//   (administration) go on a connection of their own and are never sent
//   twice.
//
//   The async_ calls block no thread: the request is queued and `done`
//   gets the result, on a thread of the client's own (one per lane,
//   async_lane.h), in reply order. `done` must not block; a daemon posts the
//   rest of its work to its own executor (webd: the connection's strand).
//   They are offered for requests that may be sent twice, and carried on
//   lanes of their own, made at the first such call; HMACs all on the first
//   of them, signatures spread over every one.
//
//   An error that keyd answered (permission denied, unknown key, bad input)
//   comes back as it is, with keyd's message.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/ipc.h"
#include "common/result.h"
#include "common/secret.h"
#include "keyd/async_lane.h"
#include "keyd/lane.h"
#include "keyd/protocol.h"

namespace appliance::keyd {

struct Signed {
  std::string key;  // the version that signed
  std::string signature;
};

struct Sealed {
  std::string key;
  std::string sealed;
};

struct DataKey {
  std::string key;  // the wrap key version
  Secret raw;       // 32 bytes, to encrypt with in this process
  std::string wrapped;
};

struct PublicKey {
  KeyInfo info;
  std::string spki_der;
  std::string chain_pem;  // the certificate chain, leaf first; may be empty
};

class KeydClient {
 public:
  explicit KeydClient(std::string socket_path,
                      std::chrono::milliseconds patience = std::chrono::seconds(15),
                      unsigned lanes = 2);

  Result<Signed> sign(const std::string& key, SignScheme scheme, std::string_view input);
  Result<std::string> hmac(const std::string& key, std::string_view data);
  Result<bool> hmac_verify(const std::string& key, std::string_view data, std::string_view mac);
  Result<Sealed> seal(const std::string& key, std::string_view plaintext, std::string_view aad);
  Result<Secret> unseal(const std::string& key, std::string_view sealed, std::string_view aad);
  Result<DataKey> new_data_key(const std::string& key, std::string_view aad);
  Result<Secret> unwrap(const std::string& key, std::string_view wrapped, std::string_view aad);
  Result<PublicKey> public_key(const std::string& key);

  template <class T>
  using Done = std::function<void(Result<T>)>;
  void async_sign(const std::string& key, SignScheme scheme, std::string_view input,
                  Done<Signed> done);
  void async_hmac(const std::string& key, std::string_view data, Done<std::string> done);
  void async_hmac_verify(const std::string& key, std::string_view data, std::string_view mac,
                         Done<bool> done);

  // Administration: root only.
  Result<std::vector<KeyInfo>> list();
  Result<KeyInfo> generate(const std::string& name, const std::string& algorithm);
  Result<KeyInfo> rotate(const std::string& family, const std::string& algorithm);
  Result<KeyInfo> import(const std::string& name, ImportFormat format, std::string data,
                         const Secret& password);
  Result<std::string> csr(const std::string& name, const std::string& common_name,
                          const std::vector<std::string>& dns_names);
  Result<KeyInfo> set_certificate(const std::string& name, std::string pem_chain);
  Result<KeyInfo> retire(const std::string& name);
  Result<void> remove(const std::string& name, bool force);

  // One request, one reply of the expected type (or keyd's error).
  Result<ipc::Message> call(const Request& request, ipc::Type reply_type, bool may_repeat);
  // The same without blocking, for requests that may be sent twice.
  void async_call(const Request& request, ipc::Type reply_type, Done<ipc::Message> done);

 private:
  Result<ipc::Message> repeatable(const std::string& frame);
  Result<ipc::Message> once(const std::string& frame);

  std::string path_;
  std::chrono::milliseconds patience_;
  unsigned lane_count_;
  std::vector<std::unique_ptr<Lane>> lanes_;
  std::atomic<unsigned> next_lane_{0};
  std::once_flag async_made_;
  std::vector<std::unique_ptr<AsyncLane>> async_lanes_;
  std::atomic<unsigned> next_async_{0};
};

}  // namespace appliance::keyd
