// NAME
//   health_gate.cpp - running a checklist of health checks.
#include "slots/health_gate.h"

namespace appliance::slots {

Result<void> ChecklistGate::check() {
  std::string failures;
  for (const HealthCheck& c : checks_) {
    Result<void> r = c.run ? c.run() : Result<void>(Error{"no check"});
    if (!r) failures += (failures.empty() ? "" : "; ") + c.name + ": " + r.message();
  }
  if (checks_.empty()) failures = "no checks configured";
  if (!failures.empty()) return Error{"health gate failed: " + failures};
  return {};
}

}  // namespace appliance::slots
