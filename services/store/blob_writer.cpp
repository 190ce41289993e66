// NAME
//   blob_writer.cpp - sealed chunks in memory, then in an unnamed spool file.
//
// DESCRIPTION
//   Spool records are `u32 length | sealed chunk`, written and read by this
//   process only; lengths are still checked on the way back.
#include "store/blob_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace appliance::store {
namespace {

Error sys_error(std::string_view what, const std::filesystem::path& where) {
  return make_error(fmt::format("{} {}: {}", what, where.string(), std::strerror(errno)));
}

Result<void> write_all(int fd, std::string_view data, const std::filesystem::path& where) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return sys_error("cannot write spool in", where);
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

Result<void> read_at(int fd, char* out, std::size_t n, off_t at) {
  while (n > 0) {
    ssize_t got = ::pread(fd, out, n, at);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return make_error("spool file ended early");
    out += got, n -= static_cast<std::size_t>(got), at += got;
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<BlobWriter>> BlobWriter::start(std::int64_t account,
                                                      std::shared_ptr<const AccountKeys> keys,
                                                      std::filesystem::path spool_dir,
                                                      std::size_t memory_limit) {
  auto sealer = BlobSealer::start(*keys);
  if (!sealer) return sealer.error();
  return std::unique_ptr<BlobWriter>(
      new BlobWriter(account, std::move(*sealer), std::move(spool_dir), memory_limit));
}

BlobWriter::BlobWriter(std::int64_t account, BlobSealer sealer, std::filesystem::path spool_dir,
                       std::size_t memory_limit)
    : account_(account),
      sealer_(std::move(sealer)),
      spool_dir_(std::move(spool_dir)),
      memory_limit_(memory_limit) {}

BlobWriter::~BlobWriter() {
  if (fd_ >= 0) ::close(fd_);
}

Result<void> BlobWriter::write(std::string_view data) {
  if (finished_) return make_error("blob already finished");
  return sealer_.write(data, [this](std::string_view c) { return keep(c); });
}

Result<void> BlobWriter::finish() {
  if (finished_) return make_error("blob already finished");
  finished_ = true;
  return sealer_.finish([this](std::string_view c) { return keep(c); });
}

Result<void> BlobWriter::keep(std::string_view sealed) {
  stored_ += sealed.size();
  if (fd_ < 0 && stored_ <= memory_limit_) {
    memory_.emplace_back(sealed);
    return {};
  }
  if (fd_ < 0)
    if (auto r = spill(); !r) return r;
  return append_to_spool(sealed);
}

Result<void> BlobWriter::spill() {
  fd_ = ::open(spool_dir_.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd_ < 0) {  // a file system without O_TMPFILE: create, then unlink at once
    std::string path = (spool_dir_ / "spool-XXXXXX").string();
    fd_ = ::mkostemp(path.data(), O_CLOEXEC);
    if (fd_ < 0) return sys_error("cannot create a spool file in", spool_dir_);
    ::unlink(path.c_str());
  }
  for (const auto& c : memory_)
    if (auto r = append_to_spool(c); !r) return r;
  memory_.clear();
  return {};
}

Result<void> BlobWriter::append_to_spool(std::string_view sealed) {
  std::uint32_t n = static_cast<std::uint32_t>(sealed.size());
  char len[4] = {static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
                 static_cast<char>(n)};
  if (auto r = write_all(fd_, std::string_view(len, 4), spool_dir_); !r) return r;
  return write_all(fd_, sealed, spool_dir_);
}

Result<void> BlobWriter::for_each_chunk(const ChunkFn& fn) const {
  if (!finished_) return make_error("blob not finished");
  if (fd_ < 0) {
    for (std::size_t i = 0; i < memory_.size(); ++i)
      if (auto r = fn(i, memory_[i]); !r) return r;
    return {};
  }
  off_t at = 0;
  std::string chunk;
  for (std::uint64_t seq = 0; seq < chunks(); ++seq) {
    unsigned char len[4];
    if (auto r = read_at(fd_, reinterpret_cast<char*>(len), 4, at); !r) return r;
    std::size_t n = (std::size_t{len[0]} << 24) | (len[1] << 16) | (len[2] << 8) | len[3];
    if (n > kMaxSealedChunk) return make_error("spool record is too long");
    chunk.resize(n);
    if (auto r = read_at(fd_, chunk.data(), n, at + 4); !r) return r;
    at += 4 + static_cast<off_t>(n);
    if (auto r = fn(seq, chunk); !r) return r;
  }
  return {};
}

}  // namespace appliance::store
