// NAME
//   boot_check.h - after booting a new slot: commit it once the appliance's
//   health gate passes, roll back when it has not passed in time.
//
// DESCRIPTION
//   Daemons take a while to become ready after a boot, so the gate is asked
//   again and again (the daemon's timer) until it passes or `deadline`
//   (start + gate_timeout) has gone by. Only then does the slot logic
//   decide (SlotManager::after_boot): passed, the slot becomes good and the
//   security floor rises; failed, the slot is marked bad, the other made
//   active and a reboot is asked for.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.h"
#include "slots/health_gate.h"
#include "slots/slot_backend.h"

namespace appliance::updated {

enum class BootVerdict {
  settled,     // the booted slot is not on trial: nothing to do
  waiting,     // on trial, the gate has not passed yet, time is left
  committed,   // the gate passed: the slot is good
  rolled_back  // the gate never passed: the other slot boots next
};

struct BootCheck {
  BootVerdict verdict = BootVerdict::settled;
  std::string message;
};

Result<BootCheck> check_boot(slots::SlotBackend& backend, slots::HealthGate& gate, std::int64_t now,
                             std::int64_t deadline);

// After a rollback: updated, unprivileged, cannot reboot. It leaves `file`
// (replaced atomically; one line, the reason); on a box appliance-reboot.path
// sees it and a root job removes it and reboots. Nothing reads its content
// but the operator.
Result<void> request_reboot(const std::filesystem::path& file, std::string_view reason);

}  // namespace appliance::updated
