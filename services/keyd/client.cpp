// NAME
//   client.cpp - keyd requests on shared connections, with reconnection.
#include "keyd/client.h"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "common/counters_report.h"

namespace appliance::keyd {
namespace {

using namespace std::chrono_literals;
constexpr auto kTimeout = 10s;

Request make(ipc::Type type, std::string key) {
  Request q;
  q.type = type;
  q.key = std::move(key);
  return q;
}

// keyd's error as an error; a reply of another type than asked for too.
Result<ipc::Message> expected(Result<ipc::Message> reply, ipc::Type request_type,
                              ipc::Type reply_type) {
  if (!reply) return make_error(fmt::format("keyd unavailable: {}", reply.message()));
  if (reply->type == ipc::Type::error) {
    ipc::Reader r(reply->body);
    return make_error(r.str(4096));
  }
  if (reply->type != reply_type)
    return make_error(fmt::format("keyd answered {} to {}", ipc::type_name(reply->type),
                                  ipc::type_name(request_type)));
  return reply;
}

Result<Signed> signed_reply(Result<ipc::Message> reply) {
  if (!reply) return reply.error();
  ipc::Reader r(reply->body);
  Signed out{r.str(kMaxName), r.bytes(kMaxInput)};
  if (auto end = r.end(); !end) return end.error();
  return out;
}

Result<std::string> mac_reply(Result<ipc::Message> reply) {
  if (!reply) return reply.error();
  ipc::Reader r(reply->body);
  r.str(kMaxName);
  std::string mac = r.bytes(kMaxInput);
  if (auto end = r.end(); !end) return end.error();
  return mac;
}

Result<bool> verified_reply(Result<ipc::Message> reply) {
  if (!reply) return reply.error();
  ipc::Reader r(reply->body);
  bool ok = r.boolean();
  if (auto end = r.end(); !end) return end.error();
  return ok;
}

Request sign_request(const std::string& key, SignScheme scheme, std::string_view input) {
  Request q = make(ipc::Type::key_sign, key);
  q.scheme = scheme;
  q.data = std::string(input);
  return q;
}

Request hmac_request(ipc::Type type, const std::string& key, std::string_view data,
                     std::string_view mac) {
  Request q = make(type, key);
  q.data = std::string(data);
  q.extra = std::string(mac);
  return q;
}

Result<KeyInfo> info_reply(Result<ipc::Message> reply) {
  if (!reply) return reply.error();
  ipc::Reader r(reply->body);
  KeyInfo info = read_info(r);
  if (auto end = r.end(); !end) return end.error();
  return info;
}

}  // namespace

KeydClient::KeydClient(std::string socket_path, std::chrono::milliseconds patience, unsigned lanes)
    : path_(std::move(socket_path)), patience_(patience), lane_count_(std::max(lanes, 1u)) {
  for (unsigned i = 0; i < lane_count_; ++i)
    lanes_.push_back(std::make_unique<Lane>(path_, kTimeout));
}

// Sent again, on a new connection if need be, until keyd answers or
// patience runs out.
Result<ipc::Message> KeydClient::repeatable(const std::string& frame) {
  auto deadline = std::chrono::steady_clock::now() + patience_;
  for (int attempt = 1;; ++attempt) {
    auto reply = lanes_[next_lane_++ % lanes_.size()]->call(frame);
    if (reply || std::chrono::steady_clock::now() >= deadline) return reply;
    std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(50ms * attempt, 500ms));
  }
}

// A change goes on a fresh connection of its own: on a shared one it could
// fail after keyd acted, and it must not be sent twice. Connecting is tried
// again; nothing has been sent then.
Result<ipc::Message> KeydClient::once(const std::string& frame) {
  auto deadline = std::chrono::steady_clock::now() + patience_;
  auto client = ipc::Client::connect(path_, kTimeout);
  for (int attempt = 1; !client && std::chrono::steady_clock::now() < deadline; ++attempt) {
    std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(50ms * attempt, 500ms));
    client = ipc::Client::connect(path_, kTimeout);
  }
  if (!client) return client.error();
  if (auto sent = client->send_bytes(frame); !sent) return sent.error();
  auto reply = client->receive(kTimeout);
  if (!reply) return make_error(fmt::format("{} (not repeated)", reply.message()));
  return reply;
}

Result<ipc::Message> KeydClient::call(const Request& request, ipc::Type reply_type,
                                      bool may_repeat) {
  const std::string frame = encode_request(request).frame();
  const auto asked = std::chrono::steady_clock::now();
  auto reply = may_repeat ? repeatable(frame) : once(frame);
  process_counters().keyd_answered(asked);
  return expected(std::move(reply), request.type, reply_type);
}

void KeydClient::async_call(const Request& request, ipc::Type reply_type, Done<ipc::Message> done) {
  std::call_once(async_made_, [this] {
    for (unsigned i = 0; i < lane_count_; ++i)
      async_lanes_.push_back(std::make_unique<AsyncLane>(path_, kTimeout, patience_));
  });
  // HMACs all go on the first lane: SoftHSM does them one at a time (one lock
  // over every key's unmasking), so two keyd threads doing them only sleep
  // and wake in that lock (bench/README.md: 37,600 verifies/s on two lanes,
  // 62,300 on one, back to back).
  const bool hmac =
      request.type == ipc::Type::key_hmac || request.type == ipc::Type::key_hmac_verify;
  auto& lane = hmac ? async_lanes_.front() : async_lanes_[next_async_++ % async_lanes_.size()];
  lane->call(encode_request(request).frame(),
             [type = request.type, reply_type, done = std::move(done),
              asked = std::chrono::steady_clock::now()](Result<ipc::Message> reply) {
               process_counters().keyd_answered(asked);
               done(expected(std::move(reply), type, reply_type));
             });
}

Result<Signed> KeydClient::sign(const std::string& key, SignScheme scheme, std::string_view input) {
  return signed_reply(call(sign_request(key, scheme, input), ipc::Type::key_signature, true));
}

Result<std::string> KeydClient::hmac(const std::string& key, std::string_view data) {
  return mac_reply(
      call(hmac_request(ipc::Type::key_hmac, key, data, ""), ipc::Type::key_mac, true));
}

Result<bool> KeydClient::hmac_verify(const std::string& key, std::string_view data,
                                     std::string_view mac) {
  return verified_reply(call(hmac_request(ipc::Type::key_hmac_verify, key, data, mac),
                             ipc::Type::key_verified, true));
}

void KeydClient::async_sign(const std::string& key, SignScheme scheme, std::string_view input,
                            Done<Signed> done) {
  async_call(sign_request(key, scheme, input), ipc::Type::key_signature,
             [done = std::move(done)](Result<ipc::Message> reply) {
               done(signed_reply(std::move(reply)));
             });
}

void KeydClient::async_hmac(const std::string& key, std::string_view data, Done<std::string> done) {
  async_call(
      hmac_request(ipc::Type::key_hmac, key, data, ""), ipc::Type::key_mac,
      [done = std::move(done)](Result<ipc::Message> reply) { done(mac_reply(std::move(reply))); });
}

void KeydClient::async_hmac_verify(const std::string& key, std::string_view data,
                                   std::string_view mac, Done<bool> done) {
  async_call(hmac_request(ipc::Type::key_hmac_verify, key, data, mac), ipc::Type::key_verified,
             [done = std::move(done)](Result<ipc::Message> reply) {
               done(verified_reply(std::move(reply)));
             });
}

Result<Sealed> KeydClient::seal(const std::string& key, std::string_view plaintext,
                                std::string_view aad) {
  Request q = make(ipc::Type::key_seal, key);
  q.data = std::string(plaintext);
  q.extra = std::string(aad);
  auto reply = call(q, ipc::Type::key_sealed, true);
  if (!reply) return reply.error();
  ipc::Reader r(reply->body);
  Sealed out{r.str(kMaxName), r.bytes(kMaxData + 64)};
  if (auto end = r.end(); !end) return end.error();
  return out;
}

Result<Secret> KeydClient::unseal(const std::string& key, std::string_view sealed,
                                  std::string_view aad) {
  Request q = make(ipc::Type::key_unseal, key);
  q.data = std::string(sealed);
  q.extra = std::string(aad);
  auto reply = call(q, ipc::Type::key_plaintext, true);
  if (!reply) return reply.error();
  ipc::Reader r(reply->body);
  Secret plain(r.bytes(kMaxData));
  if (auto end = r.end(); !end) return end.error();
  return plain;
}

Result<DataKey> KeydClient::new_data_key(const std::string& key, std::string_view aad) {
  Request q = make(ipc::Type::key_new_data_key, key);
  q.extra = std::string(aad);
  auto reply = call(q, ipc::Type::key_data_key, true);
  if (!reply) return reply.error();
  ipc::Reader r(reply->body);
  DataKey out;
  out.key = r.str(kMaxName);
  out.raw = Secret(r.bytes(64));
  out.wrapped = r.bytes(kMaxInput);
  if (auto end = r.end(); !end) return end.error();
  return out;
}

Result<Secret> KeydClient::unwrap(const std::string& key, std::string_view wrapped,
                                  std::string_view aad) {
  Request q = make(ipc::Type::key_unwrap, key);
  q.data = std::string(wrapped);
  q.extra = std::string(aad);
  auto reply = call(q, ipc::Type::key_plaintext, true);
  if (!reply) return reply.error();
  ipc::Reader r(reply->body);
  Secret raw(r.bytes(64));
  if (auto end = r.end(); !end) return end.error();
  return raw;
}

Result<PublicKey> KeydClient::public_key(const std::string& key) {
  auto reply = call(make(ipc::Type::key_public, key), ipc::Type::key_public_reply, true);
  if (!reply) return reply.error();
  ipc::Reader r(reply->body);
  PublicKey out;
  out.info = read_info(r);
  out.spki_der = r.bytes(kMaxInput * 4);
  out.chain_pem = r.bytes(kMaxImport);
  if (auto end = r.end(); !end) return end.error();
  return out;
}

Result<std::vector<KeyInfo>> KeydClient::list() {
  auto reply = call(make(ipc::Type::key_list, ""), ipc::Type::key_list_reply, true);
  if (!reply) return reply.error();
  ipc::Reader r(reply->body);
  std::uint32_t n = r.u32();
  std::vector<KeyInfo> out;
  for (std::uint32_t i = 0; i < n && !r.failed(); ++i) out.push_back(read_info(r));
  if (auto end = r.end(); !end) return end.error();
  return out;
}

Result<KeyInfo> KeydClient::generate(const std::string& name, const std::string& algorithm) {
  Request q = make(ipc::Type::key_generate, name);
  q.extra = algorithm;
  return info_reply(call(q, ipc::Type::key_info, false));
}

Result<KeyInfo> KeydClient::rotate(const std::string& family, const std::string& algorithm) {
  Request q = make(ipc::Type::key_rotate, family);
  q.extra = algorithm;
  return info_reply(call(q, ipc::Type::key_info, false));
}

Result<KeyInfo> KeydClient::import(const std::string& name, ImportFormat format, std::string data,
                                   const Secret& password) {
  Request q = make(ipc::Type::key_import, name);
  q.format = format;
  q.data = std::move(data);
  q.password = password;
  return info_reply(call(q, ipc::Type::key_info, false));
}

Result<std::string> KeydClient::csr(const std::string& name, const std::string& common_name,
                                    const std::vector<std::string>& dns_names) {
  Request q = make(ipc::Type::key_csr, name);
  q.extra = common_name;
  q.dns_names = dns_names;
  auto reply = call(q, ipc::Type::key_pem, true);
  if (!reply) return reply.error();
  ipc::Reader r(reply->body);
  std::string pem = r.str(kMaxImport);
  if (auto end = r.end(); !end) return end.error();
  return pem;
}

Result<KeyInfo> KeydClient::set_certificate(const std::string& name, std::string pem_chain) {
  Request q = make(ipc::Type::key_set_certificate, name);
  q.data = std::move(pem_chain);
  return info_reply(call(q, ipc::Type::key_info, true));
}

Result<KeyInfo> KeydClient::retire(const std::string& name) {
  return info_reply(call(make(ipc::Type::key_retire, name), ipc::Type::key_info, true));
}

Result<void> KeydClient::remove(const std::string& name, bool force) {
  Request q = make(ipc::Type::key_delete, name);
  q.force = force;
  auto reply = call(q, ipc::Type::key_done, false);
  if (!reply) return reply.error();
  return {};
}

}  // namespace appliance::keyd
