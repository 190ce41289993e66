// NAME
//   health_gate.h - what must hold after booting a new slot before it is
//   committed.
//
// DESCRIPTION
//   HealthGate is the interface the slot logic asks; ChecklistGate runs named
//   checks (on the appliance: every service ready, keyd ready, the store's
//   check passes) and fails with the name and reason of each one that did
//   not pass, e.g. "health gate failed: keyd: not ready; store: check failed".
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/result.h"

namespace appliance::slots {

class HealthGate {
 public:
  virtual ~HealthGate() = default;
  virtual Result<void> check() = 0;
};

struct HealthCheck {
  std::string name;  // "services", "keyd", "store"
  std::function<Result<void>()> run;
};

class ChecklistGate : public HealthGate {
 public:
  explicit ChecklistGate(std::vector<HealthCheck> checks) : checks_(std::move(checks)) {}
  // Runs every check, even after one failed, so that the report is complete.
  Result<void> check() override;

 private:
  std::vector<HealthCheck> checks_;
};

}  // namespace appliance::slots
