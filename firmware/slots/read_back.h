// NAME
//   read_back.h - what a slot holds, read back and checked against the
//   signed target's hashes before the slot is tried.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"
#include "tuf/digest.h"

namespace appliance::slots {

// Hashes the first `length` bytes of `path` (a slot file or device). With
// `whole`, `path` must end there; a device is longer than its image.
Result<void> check_slot_bytes(const std::string& path, std::uint64_t length,
                              const tuf::Hashes& hashes, bool whole);

}  // namespace appliance::slots
