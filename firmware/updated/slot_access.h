// NAME
//   slot_access.h - the slot backend [updated] names: the file backend
//   (slot_dir holds images and state) or the block-device backend
//   (slot_device_a, slot_device_b; slot_dir holds the state alone).
#pragma once

#include <memory>

#include "common/result.h"
#include "slots/slot_backend.h"
#include "updated/settings.h"

namespace appliance::updated {

Result<std::unique_ptr<slots::SlotBackend>> open_slot_backend(const Settings& settings);

}  // namespace appliance::updated
