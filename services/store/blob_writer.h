// NAME
//   blob_writer.h - a message body being written, sealed as it arrives.
//
// DESCRIPTION
//   write() seals through BlobSealer; sealed chunks are kept in memory up to
//   a limit (1 MiB by default: most mail) and beyond it spilled to a spool
//   file. The spool file has no name (O_TMPFILE, or unlinked at once), so it
//   disappears with the process, and it holds only sealed bytes. At commit
//   the backend reads the chunks back with for_each_chunk(). Shared by every
//   backend.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "store/blob_seal.h"
#include "store/group_commit.h"

namespace appliance::store {

class BlobWriter {
 public:
  static Result<std::unique_ptr<BlobWriter>> start(std::int64_t account,
                                                   std::shared_ptr<const AccountKeys> keys,
                                                   std::filesystem::path spool_dir,
                                                   std::size_t memory_limit = 1 << 20);
  ~BlobWriter();
  BlobWriter(const BlobWriter&) = delete;
  BlobWriter& operator=(const BlobWriter&) = delete;

  Result<void> write(std::string_view data);
  // Called by the store before committing; no write() after it.
  Result<void> finish();

  std::int64_t account() const { return account_; }
  bool finished() const { return finished_; }
  const std::string& id() const { return sealer_.id(); }
  const std::string& header() const { return sealer_.header(); }
  std::uint64_t size() const { return sealer_.size(); }
  std::uint64_t stored_size() const { return stored_; }
  std::uint64_t chunks() const { return sealer_.chunks(); }
  bool spilled() const { return fd_ >= 0; }

  // The store's commit queue learns that this blob will be appended soon
  // (group_commit.h); append() releases it just before it submits.
  void hold(std::unique_ptr<GroupCommit::Intent> intent) { intent_ = std::move(intent); }
  void release_intent() { intent_.reset(); }

  using ChunkFn = std::function<Result<void>(std::uint64_t seq, std::string_view sealed)>;
  Result<void> for_each_chunk(const ChunkFn& fn) const;

 private:
  BlobWriter(std::int64_t account, BlobSealer sealer, std::filesystem::path spool_dir,
             std::size_t memory_limit);
  Result<void> keep(std::string_view sealed);
  Result<void> spill();
  Result<void> append_to_spool(std::string_view sealed);

  std::int64_t account_;
  BlobSealer sealer_;
  std::filesystem::path spool_dir_;
  std::size_t memory_limit_;
  std::vector<std::string> memory_;
  std::uint64_t stored_ = 0;
  int fd_ = -1;
  bool finished_ = false;
  std::unique_ptr<GroupCommit::Intent> intent_;
};

}  // namespace appliance::store
