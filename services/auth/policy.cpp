// NAME
//   policy.cpp - password rules and the on-disk breached-password search.
#include "auth/policy.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/sha.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace appliance::auth {
namespace {

constexpr std::size_t kMaxLine = 2048;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return out;
}

std::size_t utf8_chars(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string sha1_hex(std::string_view s) {
  unsigned char d[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(s.data()), s.size(), d);
  return fmt::format("{:02X}", fmt::join(d, d + sizeof d, ""));
}

bool is_sha1_line(std::string_view line) {
  if (line.size() < 40 || (line.size() > 40 && line[40] != ':')) return false;
  return line.substr(0, 40).find_first_not_of("0123456789ABCDEF") == std::string_view::npos;
}

// The line that starts at `start` (without its newline), or "" at the end.
std::string read_line(int fd, long long start) {
  std::string buf(kMaxLine, '\0');
  ssize_t n = pread(fd, buf.data(), buf.size(), start);
  if (n <= 0) return {};
  buf.resize(std::size_t(n));
  auto nl = buf.find('\n');
  if (nl != std::string::npos) buf.resize(nl);
  if (!buf.empty() && buf.back() == '\r') buf.pop_back();
  return buf;
}

// The offset of the first line that starts at or after p.
long long line_start(int fd, long long p, long long size) {
  if (p == 0) return 0;
  char buf[256];
  for (long long at = p - 1; at < size; at += sizeof buf) {
    ssize_t n = pread(fd, buf, sizeof buf, at);
    if (n <= 0) return size;
    if (auto* nl = static_cast<char*>(std::memchr(buf, '\n', std::size_t(n))))
      return at + (nl - buf) + 1;
  }
  return size;
}

// The lookup key of a line: the part before ':' in a hashed list.
std::string_view line_key(std::string_view line, bool sha1) {
  return sha1 ? line.substr(0, line.find(':')) : line;
}

}  // namespace

Result<BreachedList> BreachedList::open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return make_error(fmt::format("{}: {}", path, std::strerror(errno)));
  struct stat st {};
  if (fstat(fd, &st) != 0 || st.st_size == 0) {
    ::close(fd);
    return make_error(fmt::format("{}: empty or unreadable", path));
  }
  return BreachedList(fd, st.st_size, is_sha1_line(read_line(fd, 0)));
}

BreachedList::BreachedList(BreachedList&& other) noexcept
    : fd_(other.fd_), size_(other.size_), sha1_(other.sha1_) {
  other.fd_ = -1;
}

BreachedList::~BreachedList() {
  if (fd_ >= 0) ::close(fd_);
}

Result<bool> BreachedList::contains(const Secret& password) const {
  return search(sha1_ ? sha1_hex(password.reveal()) : lower(password.reveal()));
}

Result<bool> BreachedList::search(std::string_view key) const {
  // Lines that start in [lo, hi) are still candidates.
  long long lo = 0, hi = size_;
  while (lo < hi) {
    long long mid = lo + (hi - lo) / 2;
    long long start = line_start(fd_, mid, size_);
    if (start >= hi) {
      hi = mid;
      continue;
    }
    std::string line = read_line(fd_, start);
    auto cmp = key.compare(line_key(line, sha1_));
    if (cmp == 0) return true;
    if (cmp < 0) {
      hi = mid;
    } else {
      lo = line_start(fd_, start + 1, size_);
    }
  }
  return false;
}

Result<void> PasswordPolicy::check(const Secret& password, std::string_view address) const {
  std::string_view pw = password.reveal();
  if (auto n = utf8_chars(pw); n < rules_.min_chars)
    return make_error(fmt::format("the password must have at least {} characters (it has {})",
                                  rules_.min_chars, n));
  if (pw.size() > rules_.max_bytes)
    return make_error(fmt::format("the password must be at most {} bytes (it has {})",
                                  rules_.max_bytes, pw.size()));
  std::string local = lower(address.substr(0, address.rfind('@')));
  local = local.substr(0, local.find('+'));  // "alice+lists" is alice
  std::string candidate = lower(pw);
  if (!local.empty() && candidate == local)
    return make_error("the password must not be the account's name");
  if (local.size() >= rules_.min_contained && candidate.find(local) != std::string::npos)
    return make_error(
        fmt::format("the password must not contain the account's name \"{}\"", local));
  if (breached_) {
    auto found = breached_->contains(password);
    if (!found)
      return make_error("cannot check the list of breached passwords: " + found.message());
    if (*found)
      return make_error(
          "the password is in a list of passwords known from breaches; choose another");
  }
  return {};
}

}  // namespace appliance::auth
