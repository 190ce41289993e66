// NAME
//   ipc.cpp - frame encoding, strict readers, peer credentials.
#include "common/ipc.h"

#include <fmt/format.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace appliance::ipc {
namespace {

void put_be(std::string& buf, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) buf.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint64_t get_be(std::string_view s) {
  std::uint64_t v = 0;
  for (unsigned char c : s) v = (v << 8) | c;
  return v;
}

std::string errno_text(std::string_view what) {
  return fmt::format("{}: {}", what, std::strerror(errno));
}

}  // namespace

namespace {

struct TypeInfo {
  Type type;
  std::string_view name;
};

// Every known type with its name; is_known() and type_name() read this.
constexpr TypeInfo kTypes[] = {
    {Type::error, "error"},
    {Type::health_request, "health_request"},
    {Type::health_reply, "health_reply"},
    {Type::status_request, "status_request"},
    {Type::status_reply, "status_reply"},
    {Type::key_sign, "key_sign"},
    {Type::key_signature, "key_signature"},
    {Type::key_hmac, "key_hmac"},
    {Type::key_mac, "key_mac"},
    {Type::key_hmac_verify, "key_hmac_verify"},
    {Type::key_verified, "key_verified"},
    {Type::key_seal, "key_seal"},
    {Type::key_sealed, "key_sealed"},
    {Type::key_unseal, "key_unseal"},
    {Type::key_plaintext, "key_plaintext"},
    {Type::key_new_data_key, "key_new_data_key"},
    {Type::key_data_key, "key_data_key"},
    {Type::key_unwrap, "key_unwrap"},
    {Type::key_public, "key_public"},
    {Type::key_public_reply, "key_public_reply"},
    {Type::key_list, "key_list"},
    {Type::key_list_reply, "key_list_reply"},
    {Type::key_generate, "key_generate"},
    {Type::key_info, "key_info"},
    {Type::key_rotate, "key_rotate"},
    {Type::key_import, "key_import"},
    {Type::key_csr, "key_csr"},
    {Type::key_pem, "key_pem"},
    {Type::key_set_certificate, "key_set_certificate"},
    {Type::key_retire, "key_retire"},
    {Type::key_delete, "key_delete"},
    {Type::key_done, "key_done"},
};

}  // namespace

bool is_known(std::uint16_t type) {
  for (const TypeInfo& t : kTypes)
    if (static_cast<std::uint16_t>(t.type) == type) return true;
  return false;
}

std::string_view type_name(Type type) {
  for (const TypeInfo& t : kTypes)
    if (t.type == type) return t.name;
  return "unknown";
}

Writer::Writer(Type type) {
  buf_.assign(4, '\0');  // length, filled in by frame()
  put_be(buf_, kVersion, 2);
  put_be(buf_, static_cast<std::uint16_t>(type), 2);
}

Writer& Writer::u8(std::uint8_t v) { return put_be(buf_, v, 1), *this; }
Writer& Writer::u16(std::uint16_t v) { return put_be(buf_, v, 2), *this; }
Writer& Writer::u32(std::uint32_t v) { return put_be(buf_, v, 4), *this; }
Writer& Writer::u64(std::uint64_t v) { return put_be(buf_, v, 8), *this; }

Writer& Writer::bytes(std::string_view v) {
  put_be(buf_, v.size(), 4);
  buf_.append(v);
  return *this;
}

const std::string& Writer::frame() {
  std::uint64_t n = buf_.size() - 4;
  for (int i = 0; i < 4; ++i) buf_[i] = static_cast<char>((n >> (8 * (3 - i))) & 0xff);
  return buf_;
}

Result<Message> decode(std::string_view payload) {
  if (payload.size() < kHeaderSize)
    return make_error(fmt::format("frame of {} bytes is shorter than its header", payload.size()));
  auto version = static_cast<std::uint16_t>(get_be(payload.substr(0, 2)));
  auto type = static_cast<std::uint16_t>(get_be(payload.substr(2, 2)));
  if (version != kVersion)
    return make_error(fmt::format("protocol version {} not supported (want {})", version, kVersion));
  if (!is_known(type)) return make_error(fmt::format("unknown message type {}", type));
  return Message{static_cast<Type>(type), std::string(payload.substr(kHeaderSize))};
}

bool Reader::take(std::size_t n, std::string_view what) {
  ++field_;
  if (error_) return false;
  if (rest_.size() < n) {
    error_ = fmt::format("truncated message: field {} ({}) needs {} bytes, {} left", field_, what,
                         n, rest_.size());
    return false;
  }
  taken_ = rest_.substr(0, n);
  rest_.remove_prefix(n);
  return true;
}

std::uint8_t Reader::u8() { return take(1, "u8") ? get_be(taken_) : 0; }
std::uint16_t Reader::u16() { return take(2, "u16") ? get_be(taken_) : 0; }
std::uint32_t Reader::u32() { return take(4, "u32") ? get_be(taken_) : 0; }
std::uint64_t Reader::u64() { return take(8, "u64") ? get_be(taken_) : 0; }

bool Reader::boolean() {
  std::uint8_t v = u8();
  if (v > 1 && !error_) error_ = fmt::format("field {}: boolean with value {}", field_, v);
  return v == 1;
}

std::string Reader::bytes(std::uint32_t max) {
  if (!take(4, "length")) return {};
  auto n = static_cast<std::uint32_t>(get_be(taken_));
  if (n > max) {
    error_ = fmt::format("field {}: {} bytes exceed the limit of {}", field_, n, max);
    return {};
  }
  --field_;  // the length and its bytes are one field
  return take(n, "bytes") ? std::string(taken_) : std::string();
}

Result<void> Reader::end() {
  if (error_) return make_error(*error_);
  if (!rest_.empty())
    return make_error(fmt::format("{} trailing bytes after {} fields", rest_.size(), field_));
  return {};
}

void FrameDecoder::feed(std::string_view data) {
  buf_.erase(0, pos_);
  pos_ = 0;
  buf_.append(data);
}

Result<std::optional<Message>> FrameDecoder::next() {
  const std::string_view rest = std::string_view(buf_).substr(pos_);
  if (rest.size() < 4) return std::optional<Message>();
  auto n = static_cast<std::uint32_t>(get_be(rest.substr(0, 4)));
  if (n > max_) return make_error(fmt::format("frame of {} bytes exceeds the limit of {}", n, max_));
  if (n < kHeaderSize)
    return make_error(fmt::format("frame of {} bytes is shorter than its header", n));
  if (rest.size() < 4 + static_cast<std::size_t>(n)) return std::optional<Message>();
  auto message = decode(rest.substr(4, n));
  pos_ += 4 + static_cast<std::size_t>(n);
  if (!message) return message.error();
  return std::optional<Message>(std::move(message).value());
}

Result<PeerCred> peer_credentials(int fd) {
  ucred cred{};
  socklen_t len = sizeof cred;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
    return make_error(errno_text("SO_PEERCRED"));
  return PeerCred{cred.pid, cred.uid, cred.gid};
}

Result<sockaddr_un> unix_address(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path)
    return make_error(fmt::format("{}: socket path too long", path));
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  return addr;
}

Result<Client> Client::connect(const std::string& path, std::chrono::milliseconds timeout) {
  auto addr = unix_address(path);
  if (!addr) return addr.error();
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return make_error(errno_text("socket"));
  timeval tv{static_cast<time_t>(timeout.count() / 1000),
             static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  // recv() then waits by itself, bounded: no poll() before each read.
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&*addr), sizeof *addr) != 0) {
    auto err = make_error(fmt::format("{}: {}", path, std::strerror(errno)));
    ::close(fd);
    return err;
  }
  return Client(fd);
}

Client::Client(Client&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), decoder_(std::move(other.decoder_)) {}

Client& Client::operator=(Client&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    decoder_ = std::move(other.decoder_);
  }
  return *this;
}

Client::~Client() {
  if (fd_ >= 0) ::close(fd_);
}

Result<void> Client::send(Writer& request) { return send_bytes(request.frame()); }

void Client::shutdown() { ::shutdown(fd_, SHUT_RDWR); }

Result<void> Client::send_bytes(std::string_view frame) {
  std::size_t off = 0;
  while (off < frame.size()) {
    ssize_t n = ::send(fd_, frame.data() + off, frame.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return make_error(errno_text("send"));
    off += static_cast<std::size_t>(n);
  }
  return {};
}

Result<Message> Client::receive(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto next = decoder_.next();
    if (!next) return next.error();
    if (next->has_value()) return std::move(**next);
    if (std::chrono::steady_clock::now() >= deadline)
      return make_error("timed out waiting for a reply");
    char buf[8192];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);  // bounded by SO_RCVTIMEO
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0) return make_error(errno_text("recv"));
    if (n == 0) return make_error("connection closed by peer");
    decoder_.feed(std::string_view(buf, static_cast<std::size_t>(n)));
  }
}

Result<Message> Client::call(Writer& request, std::chrono::milliseconds timeout) {
  if (auto sent = send(request); !sent) return sent.error();
  return receive(timeout);
}

}  // namespace appliance::ipc
