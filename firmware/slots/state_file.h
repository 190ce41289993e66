// NAME
//   state_file.h - the boot state as state.json in a directory, replaced
//   atomically (temporary file, fsync, rename, fsync of the directory).
//
// DESCRIPTION
//   Shared by the file backend (beside its images) and the block-device
//   backend (on a partition of its own, apart from the slots).
#pragma once

#include "slots/slot_state.h"
#include "tuf/files.h"

namespace appliance::slots {

// A directory without state.json is an error naming it.
Result<BootState> load_state_file(const tuf::files::Directory& dir);
Result<void> save_state_file(const tuf::files::Directory& dir, const BootState& state);

}  // namespace appliance::slots
