// NAME
//   status.h - `appliance status`: what runs, and is it healthy.
#pragma once

#include <string>

#include "common/paths.h"

namespace appliance {

// Prints the supervisor's children with their health, and updated's reboot
// request if one waits; returns 0 when every daemon is ready, 1 when one is
// not, 3 when no supervisor runs there.
int print_status(const Paths& paths);

}  // namespace appliance
