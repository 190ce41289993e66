// NAME
//   audit.h - `appliancectl logins|audit`: the login log and the security events.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>

namespace appliance::ctl {

void add_audit_commands(CLI::App& app, const std::filesystem::path& home, int& exit_code);

}  // namespace appliance::ctl
