// NAME
//   update_state.h - what updated knows and tells: the last check, its
//   result, the versions involved, and the boot of a new slot.
//
// DESCRIPTION
//   UpdateState is kept in memory by the daemon and written after every
//   change as a JSON status file (format_status, common/update_status.h)
//   that webd reads; the same facts, short, are the daemon's health summary
//   (health_summary).
#pragma once

#include <cstdint>
#include <string>

#include "updated/settings.h"
#include "updated/update_check.h"

namespace appliance::updated {

struct UpdateState {
  bool idle = false;         // no metadata_url: nothing is checked
  std::int64_t last_check = 0;  // seconds since the epoch; 0: never
  std::string result = "not checked yet";
  std::string message;
  std::string running_version;
  std::string available_version;
  std::string pending_version;
  std::string boot;  // what the health gate decided about the booted slot

  void record(const CheckResult& check, std::int64_t now);
};

std::string format_status(const UpdateState& state, const Settings& settings);
std::string health_summary(const UpdateState& state, const Settings& settings);

}  // namespace appliance::updated
