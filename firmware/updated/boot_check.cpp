// NAME
//   boot_check.cpp - the health gate asked until it passes or time runs out.
#include "updated/boot_check.h"

#include "slots/slot_manager.h"
#include "tuf/files.h"

namespace appliance::updated {
namespace {

// Hands the slot logic the answer the gate already gave.
struct Answer : slots::HealthGate {
  explicit Answer(Result<void> r) : result(std::move(r)) {}
  Result<void> check() override { return result; }
  Result<void> result;
};

}  // namespace

Result<BootCheck> check_boot(slots::SlotBackend& backend, slots::HealthGate& gate,
                             std::int64_t now, std::int64_t deadline) {
  auto state = backend.load_state();
  if (!state) return state.error();
  const slots::SlotInfo& booted = state->slot(state->booted);
  if (booted.status != slots::SlotStatus::trying) return BootCheck{};
  Answer answer(gate.check());
  if (!answer.result && now < deadline) {
    return BootCheck{BootVerdict::waiting, "slot " + std::string(slots::slot_name(state->booted)) +
                                               " (" + booted.version +
                                               ") on trial: " + answer.result.message()};
  }
  slots::SlotManager manager(backend);
  auto after = manager.after_boot(answer);
  if (!after) return after.error();
  if (after->committed) return BootCheck{BootVerdict::committed, after->message};
  return BootCheck{BootVerdict::rolled_back, after->message};
}

Result<void> request_reboot(const std::filesystem::path& file, std::string_view reason) {
  auto dir = tuf::files::Directory::open(file.parent_path().string(), true);
  if (!dir) return dir.error();
  std::string line(reason.substr(0, reason.find('\n')));
  return dir->write_atomically(file.filename().string(), line + "\n");
}

}  // namespace appliance::updated
