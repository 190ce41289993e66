// NAME
//   ipc.h - framed messages between the appliance's processes.
//
// DESCRIPTION
//   Every message on a unix socket is one frame:
//
//     u32 length (big endian) | u16 version | u16 type | body
//
//   where length counts version, type and body. Bodies are sequences of
//   fixed-width big-endian integers and length-prefixed byte strings. Like
//   OpenSMTPD's imsg readers, a Reader must consume the body exactly: a frame
//   that is truncated, oversized, of another version, of an unknown type or
//   with bytes left over is rejected with a message that says which.
//
// SECURITY
//   Frames come from other local processes that may be compromised; nothing
//   here trusts a length it has not checked against a limit.
#pragma once

#include <sys/types.h>
#include <sys/un.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace appliance::ipc {

constexpr std::uint16_t kVersion = 1;
constexpr std::uint32_t kHeaderSize = 4;  // version + type
constexpr std::uint32_t kDefaultMaxFrame = 1 << 20;

// Every message of every protocol, numbered once. Never renumber; add at the end
// of a block. A change of layout of an existing message bumps kVersion.
enum class Type : std::uint16_t {
  error = 1,  // str message
  // Admin socket of every daemon.
  health_request = 10,  // (empty)
  health_reply = 11,    // u8 ready, str daemon, str reason
  // Supervisor admin socket.
  status_request = 20,  // (empty)
  status_reply = 21,    // u32 n, n * (str name, u32 pid, u32 restarts, str state, str exit)
  // keyd: key operations (services/keyd/protocol.h has the layouts).
  key_sign = 100,
  key_signature = 101,
  key_hmac = 102,
  key_mac = 103,
  key_hmac_verify = 104,
  key_verified = 105,
  key_seal = 106,
  key_sealed = 107,
  key_unseal = 108,
  key_plaintext = 109,
  key_new_data_key = 110,
  key_data_key = 111,
  key_unwrap = 112,
  key_public = 114,
  key_public_reply = 115,
  // keyd: administration (root only).
  key_list = 120,
  key_list_reply = 121,
  key_generate = 122,
  key_info = 123,
  key_rotate = 124,
  key_import = 126,
  key_csr = 128,
  key_pem = 129,
  key_set_certificate = 130,
  key_retire = 132,
  key_delete = 134,
  key_done = 135,
};

bool is_known(std::uint16_t type);
std::string_view type_name(Type type);

// Builds one frame.
class Writer {
 public:
  explicit Writer(Type type);
  Writer& u8(std::uint8_t v);
  Writer& u16(std::uint16_t v);
  Writer& u32(std::uint32_t v);
  Writer& u64(std::uint64_t v);
  Writer& boolean(bool v) { return u8(v ? 1 : 0); }
  Writer& bytes(std::string_view v);  // u32 length, then the bytes
  Writer& str(std::string_view v) { return bytes(v); }
  // The whole frame, length prefix included.
  const std::string& frame();

 private:
  std::string buf_;
};

// A received frame's payload: version and type already checked.
struct Message {
  Type type = Type::error;
  std::string body;
};

// Checks version and type of a payload (the frame without its length prefix).
Result<Message> decode(std::string_view payload);

// Reads a body field by field. Errors are sticky: after the first, getters
// return zero values, and end() reports that first error.
class Reader {
 public:
  explicit Reader(std::string_view body) : rest_(body) {}
  std::uint8_t u8();
  std::uint16_t u16();
  std::uint32_t u32();
  std::uint64_t u64();
  bool boolean();
  std::string bytes(std::uint32_t max);
  std::string str(std::uint32_t max) { return bytes(max); }
  // Fails unless the body was consumed exactly and no getter failed.
  Result<void> end();
  bool failed() const { return error_.has_value(); }

 private:
  bool take(std::size_t n, std::string_view what);
  std::string_view rest_;
  std::optional<std::string> error_;
  int field_ = 0;
  std::string_view taken_;
};

// Reassembles frames from a byte stream.
class FrameDecoder {
 public:
  explicit FrameDecoder(std::uint32_t max_frame = kDefaultMaxFrame) : max_(max_frame) {}
  void feed(std::string_view data);
  // A complete message, nothing yet (nullopt), or an error after which the
  // stream must be closed.
  Result<std::optional<Message>> next();

 private:
  std::uint32_t max_;
  std::string buf_;
  std::size_t pos_ = 0;  // start of the first undecoded frame: no erase per frame
};

// A unix socket address for path, or an error when it does not fit.
Result<struct sockaddr_un> unix_address(const std::string& path);

struct PeerCred {
  pid_t pid = 0;
  uid_t uid = 0;
  gid_t gid = 0;
};
Result<PeerCred> peer_credentials(int fd);

// Blocking client connection, for command-line tools and tests.
class Client {
 public:
  static Result<Client> connect(const std::string& path, std::chrono::milliseconds timeout);
  Client(Client&& other) noexcept;
  Client& operator=(Client&& other) noexcept;
  Client(const Client&) = delete;
  ~Client();

  Result<Message> call(Writer& request, std::chrono::milliseconds timeout);
  Result<void> send(Writer& request);
  // Frames already encoded, possibly several; one thread may send while
  // another receives.
  Result<void> send_bytes(std::string_view frames);
  Result<Message> receive(std::chrono::milliseconds timeout);
  // A message already read and buffered, without waiting; nullopt if none.
  Result<std::optional<Message>> buffered() { return decoder_.next(); }
  // Ends both directions; a receive() blocked in another thread returns.
  void shutdown();

 private:
  explicit Client(int fd) : fd_(fd) {}
  int fd_ = -1;
  FrameDecoder decoder_;
};

}  // namespace appliance::ipc
