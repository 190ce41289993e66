// NAME
//   appliance_gate.h - the appliance's own health gate for a new slot.
//
// DESCRIPTION
//   A slots::ChecklistGate of:
//     services  every daemon with a folder in run/health (but the caller
//               itself) left a health report of this boot, fresh and ready
//               (common/health_report.h): what its admin socket would
//               answer, which is root's alone while updated runs as its own
//               user;
//     keyd      keyd's report says ready (its token is open);
//     store     the store check's verdict file (common/store_verdict.h) is
//               from this boot and ok. updated holds nothing secret and may
//               not open the store: a root job runs the check after boot
//               (appliance-store-check.service on a box, a supervisor job
//               in development) and leaves its verdict for the gate.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "common/paths.h"
#include "common/result.h"
#include "slots/health_gate.h"

namespace appliance::updated {

Result<void> check_services(const Paths& paths, const std::string& self);
Result<void> check_keyd(const Paths& paths);
// `boot_id` is this boot's (read_boot_id()), or why it could not be read.
Result<void> check_store(const std::filesystem::path& verdict_file,
                         const Result<std::string>& boot_id);

// `self` is the caller's daemon name: it cannot answer its own health request
// while it runs the gate.
std::unique_ptr<slots::HealthGate> make_appliance_gate(const Paths& paths, const std::string& self);

}  // namespace appliance::updated
