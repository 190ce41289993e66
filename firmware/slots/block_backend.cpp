// NAME
//   block_backend.cpp - images written in place onto fixed-size devices.
#include "slots/block_backend.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "slots/read_back.h"
#include "slots/state_file.h"

namespace appliance::slots {
namespace {

constexpr std::size_t kChunk = 1 << 20;

Error errno_error(const std::string& what) {
  return Error{what + ": " + std::strerror(errno)};
}

// A descriptor closed on every path out.
struct Fd {
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  int fd;
};

// A device, or the regular file that stands for one in tests; its size.
Result<std::uint64_t> size_of(int fd, const std::string& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return errno_error(path);
  if (!S_ISBLK(st.st_mode) && !S_ISREG(st.st_mode))
    return Error{path + " is neither a block device nor a file"};
  off_t end = ::lseek(fd, 0, SEEK_END);
  if (end < 0) return errno_error("cannot size " + path);
  return static_cast<std::uint64_t>(end);
}

Result<void> write_all(int fd, const char* data, std::size_t size, std::uint64_t offset,
                       const std::string& path) {
  while (size > 0) {
    ssize_t n = ::pwrite(fd, data, size, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return errno_error("cannot write " + path);
    data += n;
    size -= static_cast<std::size_t>(n);
    offset += static_cast<std::uint64_t>(n);
  }
  return {};
}

Result<void> copy(int from, const std::string& image_path, int to, const std::string& device) {
  std::vector<char> buffer(kChunk);
  std::uint64_t offset = 0;
  for (;;) {
    ssize_t n = ::pread(from, buffer.data(), buffer.size(), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_error("cannot read " + image_path);
    if (n == 0) return {};
    if (auto w = write_all(to, buffer.data(), static_cast<std::size_t>(n), offset, device); !w)
      return w;
    offset += static_cast<std::uint64_t>(n);
  }
}

}  // namespace

Result<std::uint64_t> BlockSlotBackend::device_size(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.fd < 0) return errno_error("cannot open " + path);
  return size_of(fd.fd, path);
}

Result<BlockSlotBackend> BlockSlotBackend::open(const std::array<std::string, 2>& devices,
                                                const std::string& state_dir) {
  for (const std::string& d : devices)
    if (auto size = device_size(d); !size) return size.error();
  auto dir = tuf::files::Directory::open(state_dir, false);
  if (!dir) return dir.error();
  return BlockSlotBackend(devices, std::move(*dir));
}

Result<BlockSlotBackend> BlockSlotBackend::initialise(const std::array<std::string, 2>& devices,
                                                      const std::string& state_dir,
                                                      const std::string& version,
                                                      std::uint64_t security_version) {
  if (auto d = tuf::files::Directory::open(state_dir, true); !d) return d.error();
  auto backend = open(devices, state_dir);
  if (!backend) return backend.error();
  if (auto r = backend->save_state(factory_state(version, security_version)); !r) return r.error();
  return backend;
}

Result<BootState> BlockSlotBackend::load_state() {
  return load_state_file(state_);
}

Result<void> BlockSlotBackend::save_state(const BootState& state) {
  return save_state_file(state_, state);
}

Result<void> BlockSlotBackend::write_image(int slot, const std::string& image_path) {
  const std::string& path = device(slot);
  Fd image(::open(image_path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (image.fd < 0) return errno_error("cannot open " + image_path);
  struct stat st {};
  if (::fstat(image.fd, &st) != 0 || !S_ISREG(st.st_mode))
    return Error{image_path + " is not a regular file"};
  // Never O_CREAT nor O_TRUNC: the device is a partition of fixed size.
  Fd out(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (out.fd < 0)
    return errno_error("cannot open slot " + std::string(slot_name(slot)) + "'s " + path);
  auto size = size_of(out.fd, path);
  if (!size) return size.error();
  const auto length = static_cast<std::uint64_t>(st.st_size);
  if (length > *size) {
    return Error{"image " + image_path + " is " + std::to_string(length) +
                 " bytes, larger than slot " + slot_name(slot) + "'s device " + path + " (" +
                 std::to_string(*size) + " bytes); nothing written"};
  }
  if (auto r = copy(image.fd, image_path, out.fd, path); !r) return r;
  if (::fsync(out.fd) != 0) return errno_error("cannot sync " + path);
  // So that the read-back comes from the device, not from the page cache.
  ::posix_fadvise(out.fd, 0, static_cast<off_t>(length), POSIX_FADV_DONTNEED);
  return {};
}

Result<void> BlockSlotBackend::read_back(int slot, std::uint64_t length,
                                         const tuf::Hashes& hashes) {
  return check_slot_bytes(device(slot), length, hashes, false);
}

}  // namespace appliance::slots
