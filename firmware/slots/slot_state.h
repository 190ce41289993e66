// NAME
//   slot_state.h - the A/B boot state: what each slot holds, which boots
//   next, which is running, and the security_version floor.
//
// DESCRIPTION
//   A slot is empty, bad (being written, or failed), trying (installed, not
//   yet proven: it boots while tries_left > 0) or good (passed the health
//   gate after a boot). `active` is the slot the boot loader picks next;
//   `booted` the one running now. `security_floor` is the highest
//   security_version ever committed: no slot image below it is installed.
//
//   The state is kept as a small JSON document (format_state / parse_state);
//   parse_state reads file input strictly and is fuzzed.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace appliance::slots {

enum class SlotStatus { empty, bad, trying, good };

struct SlotInfo {
  SlotStatus status = SlotStatus::empty;
  std::string version;
  std::uint64_t security_version = 0;
  std::uint32_t tries_left = 0;
};

inline constexpr std::uint32_t kMaxBootTries = 3;

struct BootState {
  std::array<SlotInfo, 2> slots;
  int active = 0;  // 0 = slot "a", 1 = slot "b"
  int booted = 0;
  std::uint64_t security_floor = 0;

  SlotInfo& slot(int i) { return slots[static_cast<std::size_t>(i)]; }
  const SlotInfo& slot(int i) const { return slots[static_cast<std::size_t>(i)]; }
};

inline int other_slot(int slot) { return 1 - slot; }
inline const char* slot_name(int slot) { return slot == 0 ? "a" : "b"; }
std::string_view status_name(SlotStatus status);

// A box as it leaves the factory: slot a good, active and booted.
BootState factory_state(const std::string& version, std::uint64_t security_version);

Result<BootState> parse_state(std::string_view text);
std::string format_state(const BootState& state);

}  // namespace appliance::slots
