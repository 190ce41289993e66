// NAME
//   slot_access.cpp - opening the configured slot backend.
#include "updated/slot_access.h"

#include "slots/block_backend.h"
#include "slots/file_backend.h"

namespace appliance::updated {

Result<std::unique_ptr<slots::SlotBackend>> open_slot_backend(const Settings& s) {
  if (s.slot_backend == "block") {
    auto b = slots::BlockSlotBackend::open({s.slot_device_a.string(), s.slot_device_b.string()},
                                           s.slot_dir.string());
    if (!b) return Error{"slots: " + b.message()};
    return std::unique_ptr<slots::SlotBackend>(
        std::make_unique<slots::BlockSlotBackend>(std::move(*b)));
  }
  auto f = slots::FileSlotBackend::open(s.slot_dir.string());
  if (!f) return Error{"slots: " + f.message()};
  return std::unique_ptr<slots::SlotBackend>(
      std::make_unique<slots::FileSlotBackend>(std::move(*f)));
}

}  // namespace appliance::updated
