// NAME
//   health.h - `appliancectl health`: ask each daemon whether it is ready.
#pragma once

#include <string>

#include "common/paths.h"

namespace appliance::ctl {

// Queries the admin socket of one daemon, or of every daemon that has one.
// Returns 0 when all answered ready, 1 otherwise.
int health(const Paths& paths, const std::string& daemon);

}  // namespace appliance::ctl
