// NAME
//   slot_manager.h - installing an update into the inactive slot, the boot
//   loader's choice with boot counting, and commit or rollback after boot.
//
// DESCRIPTION
//   install()     checks the candidate (security_version not below the floor
//                 nor below the running slot's; length and hashes as the
//                 signed target lists them), marks the inactive slot bad,
//                 writes the image, reads the slot back against the same
//                 hashes, marks it trying with kMaxBootTries tries, and
//                 only then makes it active. A crash at any point
//                 leaves the running slot active.
//   choose_boot() what the boot loader does at power-on: an active slot
//                 still trying spends one try; one with no tries left is
//                 marked bad and the other (good) slot boots instead.
//   after_boot()  runs the health gate if the booted slot is trying: passed,
//                 it becomes good and raises the security floor; failed, it
//                 is marked bad, the other slot becomes active and a reboot
//                 is asked for.
//
//   Each step saves the state through the backend before it returns.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"
#include "slots/health_gate.h"
#include "slots/slot_backend.h"
#include "tuf/digest.h"
#include "tuf/updater.h"

namespace appliance::slots {

// A slot image downloaded and verified by the TUF client, with what its
// signed target entry says.
struct Candidate {
  std::string image_path;
  std::string name;
  std::uint64_t length = 0;
  tuf::Hashes hashes;
  std::string version;
  std::uint64_t security_version = 0;
};

// Reads custom "version" (string) and "security_version" (integer) of a target.
Result<Candidate> candidate_from_target(const tuf::TargetInfo& target,
                                        const std::string& image_path);

struct AfterBoot {
  bool committed = false;        // the booted slot passed the gate just now
  bool reboot_requested = false;  // the gate failed: boot the other slot
  std::string message;
};

class SlotManager {
 public:
  explicit SlotManager(SlotBackend& backend) : backend_(backend) {}

  // Returns the slot written (0 = a, 1 = b).
  Result<int> install(const Candidate& candidate);
  Result<int> choose_boot();
  Result<AfterBoot> after_boot(HealthGate& gate);

 private:
  Result<void> check_candidate(const BootState& state, const Candidate& c) const;
  Result<AfterBoot> roll_back(BootState& state, const std::string& reason);

  SlotBackend& backend_;
};

}  // namespace appliance::slots
