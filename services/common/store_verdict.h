// NAME
//   store_verdict.h - the store check's verdict, as a file for the update
//   daemon's health gate.
//
// DESCRIPTION
//   `appliancectl store check --verdict` (root: it opens the store and has
//   keyd unwrap data keys) writes what it found to Paths::store_verdict(),
//   replaced atomically, world-readable, holding nothing secret:
//
//     {"boot_id":"0f3c...","time":"2026-11-23T16:00:00Z","result":"ok",
//      "reason":"3 tenants checked, 0 with faults"}
//
//   updated, which may not open the store, reads it: a verdict counts only
//   when it is from this boot and ok. parse_store_verdict() reads the file
//   strictly (exactly these four keys, each once, of their type and form;
//   at most kMaxVerdict bytes) and is fuzzed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/status_file.h"  // read_boot_id()

namespace appliance {

struct StoreVerdict {
  std::string boot_id;  // /proc/sys/kernel/random/boot_id when the check ran
  std::string time;     // when it ended, UTC, 2026-11-23T16:00:00Z
  bool ok = false;
  std::string reason;  // one line
};

inline constexpr std::size_t kMaxVerdict = 4096;
inline constexpr std::size_t kMaxVerdictReason = 512;

// Cuts the reason to one line of at most kMaxVerdictReason bytes.
StoreVerdict make_store_verdict(std::string boot_id, std::int64_t now, bool ok,
                                std::string_view reason);
std::string format_store_verdict(const StoreVerdict& verdict);
Result<StoreVerdict> parse_store_verdict(std::string_view text);

}  // namespace appliance
