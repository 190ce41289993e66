// NAME
//   accounts.h - `appliancectl tenants|domains|accounts`: who has mail here.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <string>

#include "common/result.h"
#include "proto/smtp/address.h"

namespace appliance::ctl {

// An address as accounts are named: RFC 5321 syntax, a domain (not a
// literal), lower case.
Result<smtp::Mailbox> checked_address(const std::string& text);

// Adds the subcommand trees; callbacks read `home` once it is parsed.
void add_account_commands(CLI::App& app, const std::filesystem::path& home, int& exit_code);

}  // namespace appliance::ctl
