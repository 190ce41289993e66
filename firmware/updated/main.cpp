// NAME
//   updated - the update daemon: follows one channel of the signed update
//   repository and installs into the inactive slot when policy allows.
//
// SYNOPSIS
//   updated --config FILE
//
// DESCRIPTION
//   Reads [updated] (docs/configuration.md). Without metadata_url it is
//   idle and ready. Otherwise it checks its channel on a timer, reports in
//   its health summary and in a JSON status file, and installs a newer
//   release only under `install = automatic`. After a boot into a new slot
//   it commits the slot once the appliance's health gate passes, and rolls
//   back when it does not pass in time.
//
// SECURITY
//   Trusts: its configuration, and the root.json in its metadata directory
//   (installed out of band); every other byte from the network is believed
//   only after the TUF client verified it against that root (signatures,
//   thresholds, versions, expiry, lengths and hashes), and a target whose
//   security_version is below the floor is refused however well signed.
//   Reads: TUF metadata and slot images over http(s) or file URLs, the slot
//   state, and the health answers of the supervisor, keyd and the other
//   daemons on their admin sockets. Runs as appliance-updated; holds no key
//   and no secret; writes only its metadata, target, slot and status files.
#include "common/daemon.h"
#include "updated/updated_service.h"

int main(int argc, char** argv) {
  appliance::updated::UpdatedService service;
  return appliance::run_daemon("updated", "appliance-updated", service, argc, argv);
}
