// NAME
//   key_events.cpp - key changes to the security event log.
#include "appliancectl/key_events.h"

#include <fmt/format.h>

#include "appliancectl/store_access.h"
#include "auth/clock.h"
#include "auth/security_log.h"

namespace appliance::ctl {

int record_key_event(store::Store& store, std::string_view change, const std::string& key,
                     const std::string& details) {
  auth::SystemClock clock;
  auto recorded = auth::SecurityLog(store.logs(), clock)
                      .record("appliancectl", fmt::format("key.{}", change), key, details);
  if (!recorded)
    return fail(fmt::format("{} was done, but not written to the security event log: {}", key,
                            recorded.message()));
  return 0;
}

int record_key_event(const std::filesystem::path& home, std::string_view change,
                     const std::string& key, const std::string& details) {
  // The log lives in the system data: made here if nothing else made it yet.
  return with_store(home, true, [&](store::Store& store) {
    return record_key_event(store, change, key, details);
  });
}

}  // namespace appliance::ctl
