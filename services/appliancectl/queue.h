// NAME
//   queue.h - `appliancectl queue list | show | retry | hold | release |
//   delete`: the outbound queue (docs/delivery.md).
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>

namespace appliance::ctl {

void add_queue_commands(CLI::App& app, const std::filesystem::path& home, int& exit_code);

}  // namespace appliance::ctl
