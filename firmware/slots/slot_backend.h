// NAME
//   slot_backend.h - where slot images and the boot state live.
//
// DESCRIPTION
//   The slot logic (slot_manager.h) only reads and writes through this
//   interface. FileSlotBackend (file_backend.h) keeps both in a directory,
//   for tests and development; on the appliance a backend writes the
//   partitions of the A/B disk and keeps the state where the boot loader
//   reads it.
#pragma once

#include <string>

#include "common/result.h"
#include "slots/slot_state.h"

namespace appliance::slots {

class SlotBackend {
 public:
  virtual ~SlotBackend() = default;
  virtual Result<BootState> load_state() = 0;
  // Atomic: after a crash the old or the new state is read, never a mix.
  virtual Result<void> save_state(const BootState& state) = 0;
  // Copies a verified image file into a slot, durably.
  virtual Result<void> write_image(int slot, const std::string& image_path) = 0;
};

}  // namespace appliance::slots
