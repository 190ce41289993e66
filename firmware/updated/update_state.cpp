// NAME
//   update_state.cpp - the status file and the health summary.
#include "updated/update_state.h"

#include "common/update_status.h"
#include "tuf/datetime.h"

namespace appliance::updated {

void UpdateState::record(const CheckResult& check, std::int64_t now) {
  last_check = now;
  result = std::string(outcome_name(check.outcome));
  message = check.message;
  if (!check.running_version.empty()) running_version = check.running_version;
  available_version = check.available_version;
  pending_version = check.pending_version;
}

std::string format_status(const UpdateState& s, const Settings& settings) {
  UpdateStatus status;
  status.channel = settings.channel;
  status.install = std::string(policy_name(settings.policy));
  status.state = s.idle ? "idle" : "checking";
  if (s.last_check) status.last_check = tuf::format_datetime(s.last_check);
  status.result = s.result;
  status.message = s.message;
  status.running_version = s.running_version;
  status.available_version = s.available_version;
  status.pending_version = s.pending_version;
  status.boot = s.boot;
  return format_update_status(status);
}

std::string health_summary(const UpdateState& s, const Settings& settings) {
  if (s.idle) return "idle: no metadata_url configured";
  std::string out = settings.channel + ", install " + std::string(policy_name(settings.policy)) +
                    ": " + s.result;
  if (s.result == "failed" || s.result == "refused") out += " (" + s.message + ")";
  if (!s.running_version.empty()) out += "; running " + s.running_version;
  if (!s.available_version.empty()) out += "; available " + s.available_version;
  if (!s.pending_version.empty()) out += "; pending " + s.pending_version;
  if (s.last_check) out += "; checked " + tuf::format_datetime(s.last_check);
  return out;
}

}  // namespace appliance::updated
