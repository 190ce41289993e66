// NAME
//   export_tar.h - an account's export as one tar archive (POSIX ustar), in
//   memory and bounded: what webd answers "export my data" with.
//
// DESCRIPTION
//   TarExport is an ExportWriter (export.h): each file becomes a ustar entry
//   (mode 0600, directories 0700, owner 0, the export's time), written into
//   the archive as it streams in; its header is completed when the file is
//   closed, since only then is its size known. A path longer than ustar's
//   name and prefix fields hold gets a pax extended header (`path=`).
//   finish() adds the two zero blocks that end an archive and hands it over.
//
// SECURITY
//   The archive never grows past `limit` bytes: a write that would is
//   refused (too_large() then says so), so a large mailbox cannot exhaust
//   webd's memory. Paths are checked with safe_export_path() like the
//   folder export's.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "auth/export.h"

namespace appliance::auth {

class TarExport final : public ExportWriter {
 public:
  TarExport(std::size_t limit, std::int64_t mtime) : limit_(limit), mtime_(mtime) {}
  Result<void> open(const std::string& path) override;
  Result<void> write(std::string_view bytes) override;
  Result<void> close() override;
  Result<void> folder(const std::string& path) override;

  // The whole archive; the writer is empty afterwards.
  Result<std::string> finish();
  bool too_large() const { return too_large_; }

 private:
  Result<void> room_for(std::size_t bytes);
  Result<void> append(std::string_view bytes);
  std::string header(const std::string& path, char type, std::uint64_t size) const;

  std::size_t limit_;
  std::int64_t mtime_;
  std::string archive_;
  std::string path_;
  std::size_t header_at_ = 0;  // of the open file
  bool open_ = false, too_large_ = false;
};

}  // namespace appliance::auth
