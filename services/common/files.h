// NAME
//   files.h - writing a file so that readers see the old or the new, never half.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string_view>

#include "common/result.h"

namespace appliance {

// Writes `data` to path.tmp with `mode`, syncs it, then renames it over `path`.
Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view data,
                                   mode_t mode);

}  // namespace appliance
