// NAME
//   key_events.h - changes of the token's keys, written to the security
//   event log.
//
// DESCRIPTION
//   keyd holds no store, so the tool that asked keyd for a change records
//   it, as account changes are recorded: actor "appliancectl", action
//   "key.<change>" (generate, rotate, import, set_certificate, retire,
//   delete), the key's name as target, details as a JSON object. The change
//   stands either way; a failure to record it is reported and makes the
//   command exit 1, so that a script notices.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "store/store.h"

namespace appliance::ctl {

// In a store already open.
int record_key_event(store::Store& store, std::string_view change, const std::string& key,
                     const std::string& details = "{}");
// Opens the store of `home` for it (keyd must be running).
int record_key_event(const std::filesystem::path& home, std::string_view change,
                     const std::string& key, const std::string& details = "{}");

}  // namespace appliance::ctl
