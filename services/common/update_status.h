// NAME
//   update_status.h - what the update daemon tells webd, as a file.
//
// DESCRIPTION
//   updated writes its state after every change to its status file
//   (Paths::update_status() unless `[updated] status_file` says otherwise),
//   replaced atomically, mode 0644, holding nothing secret:
//
//     {"channel":"stable","install":"notify","state":"checking",
//      "last_check":"2026-11-02T10:00:00Z","result":"available",
//      "message":"version 2.0 is available","running_version":"1.0",
//      "available_version":"2.0","pending_version":"","boot":""}
//
//   `last_check` is null before the first check; `state` is "idle" without
//   a metadata_url. webd reads it for the administrators
//   (GET /api/v1/admin/updates). parse_update_status() reads strictly:
//   exactly these keys, each once, of their type; the words from their
//   lists; every text one line of at most kMaxUpdateText bytes; at most
//   kMaxUpdateStatus bytes in all. It is fuzzed.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace appliance {

struct UpdateStatus {
  std::string channel;                    // stable, beta, lts
  std::string install;                    // never, notify, automatic
  std::string state;                      // idle, checking
  std::optional<std::string> last_check;  // UTC, 2026-11-02T10:00:00Z
  std::string
      result;  // not checked yet, up_to_date, pending, refused, available, installed, failed
  std::string message;
  std::string running_version;
  std::string available_version;
  std::string pending_version;
  std::string boot;  // what the health gate decided about the booted slot
};

inline constexpr std::size_t kMaxUpdateStatus = 16384;
inline constexpr std::size_t kMaxUpdateText = 2048;

// Texts are cut to one line of at most kMaxUpdateText bytes.
std::string format_update_status(const UpdateStatus& status);
Result<UpdateStatus> parse_update_status(std::string_view text);

}  // namespace appliance
