// NAME
//   appliance_gate.h - the appliance's own health gate for a new slot.
//
// DESCRIPTION
//   A slots::ChecklistGate of:
//     services  the supervisor answers, and every daemon it runs (but the
//               caller itself) is running and answers its health request
//               ready: what `appliance status` shows;
//     keyd      keyd answers ready on its admin socket.
//   The store's own check (`appliancectl store check`) is not part of it
//   yet: firmware/README.md says what it is to add.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/paths.h"
#include "common/result.h"
#include "slots/health_gate.h"

namespace appliance::updated {

Result<void> check_services(const Paths& paths, const std::string& self,
                            std::chrono::milliseconds timeout);
Result<void> check_keyd(const Paths& paths, std::chrono::milliseconds timeout);

// `self` is the caller's daemon name: it cannot answer its own health request
// while it runs the gate.
std::unique_ptr<slots::HealthGate> make_appliance_gate(const Paths& paths, const std::string& self);

}  // namespace appliance::updated
