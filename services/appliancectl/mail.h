// NAME
//   mail.h - `appliancectl mail import`: put a message file into an
//   account's INBOX.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>

namespace appliance::ctl {

void add_mail_commands(CLI::App& app, const std::filesystem::path& home, int& exit_code);

}  // namespace appliance::ctl
