// Must NOT compile: a Secret cannot be a log field. Built by the ctest
// "common_log_secret_refused", which passes only when this fails to build.
#include "common/log.h"

void leak(const appliance::Secret& pin) { appliance::log::info("pin", {{"pin", pin}}); }
