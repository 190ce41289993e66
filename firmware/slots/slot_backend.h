// NAME
//   slot_backend.h - where slot images and the boot state live.
//
// DESCRIPTION
//   The slot logic (slot_manager.h) only reads and writes through this
//   interface. FileSlotBackend (file_backend.h) keeps both in a directory,
//   for tests and development; BlockSlotBackend (block_backend.h) writes
//   the partitions of the A/B disk and keeps the state on a partition of
//   its own, where the boot loader reads it.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"
#include "slots/slot_state.h"
#include "tuf/digest.h"

namespace appliance::slots {

class SlotBackend {
 public:
  virtual ~SlotBackend() = default;
  virtual Result<BootState> load_state() = 0;
  // Atomic: after a crash the old or the new state is read, never a mix.
  virtual Result<void> save_state(const BootState& state) = 0;
  // Copies a verified image file into a slot, durably.
  virtual Result<void> write_image(int slot, const std::string& image_path) = 0;
  // Reads what the slot now holds: its first `length` bytes must have the
  // signed target's `hashes` (and, in a file, nothing may follow them).
  virtual Result<void> read_back(int slot, std::uint64_t length, const tuf::Hashes& hashes) = 0;
};

}  // namespace appliance::slots
