// NAME
//   read_back.cpp - reading a slot back and hashing it.
#include "slots/read_back.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace appliance::slots {
namespace {

constexpr std::size_t kChunk = 1 << 20;

Error errno_error(const std::string& what) {
  return Error{what + ": " + std::strerror(errno)};
}

}  // namespace

Result<void> check_slot_bytes(const std::string& path, std::uint64_t length,
                              const tuf::Hashes& hashes, bool whole) {
  auto check = tuf::HashCheck::create(hashes);
  if (!check) return check.error();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno_error("cannot read back " + path);
  std::vector<char> buffer(kChunk);
  std::uint64_t done = 0;
  Result<void> result;
  while (result && done < length) {
    const std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, length - done));
    ssize_t n = ::pread(fd, buffer.data(), want, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      result = errno_error("cannot read back " + path);
    } else if (n == 0) {
      result = Error{path + " holds only " + std::to_string(done) + " of " +
                     std::to_string(length) + " bytes"};
    } else {
      check->update(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
      done += static_cast<std::uint64_t>(n);
    }
  }
  char extra = 0;
  if (result && whole && ::pread(fd, &extra, 1, static_cast<off_t>(length)) > 0)
    result = Error{path + " is longer than " + std::to_string(length) + " bytes"};
  ::close(fd);
  if (!result) return result;
  if (auto r = check->finish(); !r) return Error{path + " reads back wrong: " + r.message()};
  return {};
}

}  // namespace appliance::slots
