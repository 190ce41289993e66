// NAME
//   export.cpp - `appliancectl accounts export ADDRESS FOLDER [--format mbox|maildir]`.
//
// DESCRIPTION
//   Writes the account's settings, login log, security events and mail into
//   a new folder (auth/export.h), readable by root alone, and prints what it
//   wrote. A folder that exists is refused, so nothing is overwritten.
#include "appliancectl/export.h"

#include <fmt/format.h>

#include <iostream>

#include "appliancectl/store_access.h"
#include "auth/export.h"

namespace appliance::ctl {
namespace {

struct Options {
  std::string address;
  std::filesystem::path folder;
  std::string format = "mbox";
};

int export_account(auth::AccountService& service, const Options& o) {
  auto format = o.format == "maildir" ? mime::MailFile::maildir : mime::MailFile::mbox;
  if (auto where = service.existing(o.address); !where) return fail(where.message());
  auto out = auth::DirectoryExport::create(o.folder);
  if (!out) return fail(out.message());
  auto report = auth::export_account(service, o.address, format, **out, "appliancectl");
  if (!report) return fail(report.message());
  std::cout << fmt::format("{} exported to {}: {} folders, {} messages ({} bytes) as {}\n",
                           auth::lower(o.address), o.folder.string(), report->folders,
                           report->messages, report->bytes, o.format);
  return 0;
}

}  // namespace

void add_export_commands(CLI::App& accounts, const std::filesystem::path& home, int& exit_code) {
  auto o = std::make_shared<Options>();
  auto* cmd = accounts.add_subcommand(
      "export", "Write an account's settings, logs and mail into a new folder");
  cmd->add_option("address", o->address, "The account")->required();
  cmd->add_option("folder", o->folder, "A folder that does not exist yet")->required();
  cmd->add_option("--format", o->format, "Mail as one mbox file per folder, or as maildirs")
      ->check(CLI::IsMember({"mbox", "maildir"}))
      ->capture_default_str();
  cmd->callback(service_callback(home, exit_code,
                                 [o](auth::AccountService& s) { return export_account(s, *o); }));
}

}  // namespace appliance::ctl
