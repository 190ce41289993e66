// NAME
//   export_tar.h - an account's export as one tar archive (POSIX ustar),
//   written as it is made: what webd answers "export my data" with.
//
// DESCRIPTION
//   TarStream is an ExportWriter (export.h) that needs each file's size
//   before its bytes (export_account() counts them first): each file becomes
//   a ustar entry (mode 0600, directories 0700, owner 0, the export's time)
//   whose header, bytes and padding go to the sink as they come, so the
//   archive is never held whole. A path longer than ustar's name and prefix
//   fields hold gets a pax extended header (`path=`); a file over ustar's
//   8 GiB a pax `size=`. finish() adds the two zero blocks that end an
//   archive.
//
// SECURITY
//   A file that gets more or fewer bytes than its header announced is an
//   error, so a reader never sees an archive whose entries are misaligned.
//   Paths are checked with safe_export_path() like the folder export's.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "auth/export.h"

namespace appliance::auth {

class TarStream final : public ExportWriter {
 public:
  using Sink = std::function<Result<void>(std::string_view)>;
  TarStream(Sink sink, std::int64_t mtime) : sink_(std::move(sink)), mtime_(mtime) {}

  bool needs_sizes() const override { return true; }
  Result<void> open(const std::string& path, std::optional<std::uint64_t> size) override;
  Result<void> write(std::string_view bytes) override;
  Result<void> close() override;
  Result<void> folder(const std::string& path) override;
  // The end of the archive.
  Result<void> finish();

 private:
  std::string header(const std::string& path, char type, std::uint64_t size) const;

  Sink sink_;
  std::int64_t mtime_;
  std::uint64_t size_ = 0, left_ = 0;  // of the open file
  bool open_ = false;
};

}  // namespace appliance::auth
