// NAME
//   update_check.h - one check of the update channel, and what follows from
//   it under the operator's install policy.
//
// DESCRIPTION
//   check_for_update() refreshes the TUF metadata, takes the newest target
//   of the channel (by its custom "version"), and compares it with what the
//   slots run and hold:
//
//     up_to_date  nothing newer than the running version
//     pending     the newest is already installed, waiting for a reboot
//     refused     its security_version is below the floor (or it has none)
//     available   newer; policy never: not downloaded; notify: downloaded
//                 and verified, not installed
//     installed   policy automatic: written into the inactive slot, which
//                 boots next
//     failed      a TUF error (naming the attack it stopped), a download or
//                 an install error
//
//   It never throws and never stops at a bad repository: the caller logs
//   the message and checks again later. All I/O goes through CheckIo.
#pragma once

#include <string>
#include <string_view>

#include "slots/slot_backend.h"
#include "tuf/clock.h"
#include "tuf/fetcher.h"
#include "tuf/metadata_store.h"
#include "tuf/target_store.h"
#include "updated/settings.h"

namespace appliance::updated {

enum class Outcome { up_to_date, pending, refused, available, installed, failed };
std::string_view outcome_name(Outcome outcome);

struct CheckIo {
  tuf::Fetcher& fetcher;
  tuf::MetadataStore& metadata;
  tuf::TargetStore& targets;
  slots::SlotBackend& slots;
  const tuf::Clock& clock;
};

struct CheckResult {
  Outcome outcome = Outcome::failed;
  std::string running_version;
  std::string available_version;  // newest in the channel, when newer
  std::string pending_version;    // in the inactive slot, boots next
  std::string message;
};

CheckResult check_for_update(const Settings& settings, CheckIo& io);

}  // namespace appliance::updated
