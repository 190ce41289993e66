// NAME
//   export.h - one account's data, exported for its owner.
//
// DESCRIPTION
//   export_account() writes, through an ExportWriter:
//     account.json   address, state, role, quota, two-factor on or off, app
//                    passwords (name, scope, dates; never a secret or MAC),
//                    the aliases that lead to the account
//     logins.json    the account's login-log entries, newest first
//     events.json    the security events whose target is the account
//     mail/...       every folder: `mail/<folder>.mbox` (mboxrd), or a
//                    maildir `mail/<folder>/{cur,new,tmp}` with one file per
//                    message and its flags in the name
//   and records the security event `account.export` (with the number of
//   messages listed) before any mail is written, so that an export cut short
//   is on record too. Messages are unsealed
//   and streamed folder by folder, never held whole. A writer that must know
//   a file's size before its bytes (a tar stream, export_tar.h) gets each
//   file twice: first counted, then written, from the same list of messages,
//   whose bytes do not change.
//
// SECURITY
//   The export holds the account's mail in clear: whoever asks for it must be
//   the account itself or an administrator, checked by the caller. Folder
//   names become paths: a name that would leave the export (an empty, "." or
//   ".." component) is refused by the writer.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "auth/account_service.h"
#include "common/result.h"
#include "proto/mime/mbox.h"

namespace appliance::auth {

class ExportWriter {
 public:
  virtual ~ExportWriter() = default;
  // Whether open() must be told the file's size.
  virtual bool needs_sizes() const { return false; }
  // Starts the file at `path`, relative to the export ("mail/INBOX.mbox"),
  // of `size` bytes when needs_sizes().
  virtual Result<void> open(const std::string& path, std::optional<std::uint64_t> size) = 0;
  virtual Result<void> write(std::string_view bytes) = 0;
  virtual Result<void> close() = 0;
  // An empty folder at `path` (a maildir's new/ and tmp/).
  virtual Result<void> folder(const std::string& path) = 0;
};

// Writes into a new folder (mode 0700, files 0600); refuses one that exists.
class DirectoryExport : public ExportWriter {
 public:
  static Result<std::unique_ptr<DirectoryExport>> create(const std::filesystem::path& root);
  ~DirectoryExport() override;
  Result<void> open(const std::string& path, std::optional<std::uint64_t> size) override;
  Result<void> write(std::string_view bytes) override;
  Result<void> close() override;
  Result<void> folder(const std::string& path) override;

 private:
  explicit DirectoryExport(std::filesystem::path root) : root_(std::move(root)) {}
  std::filesystem::path root_;
  std::filesystem::path current_;
  int fd_ = -1;
};

// Is `path` a relative path that stays inside the export?
bool safe_export_path(std::string_view path);

struct ExportReport {
  std::uint64_t folders = 0, messages = 0, bytes = 0;
};

Result<ExportReport> export_account(AccountService& accounts, std::string_view address,
                                    mime::MailFile format, ExportWriter& out, std::string_view actor);

}  // namespace appliance::auth
