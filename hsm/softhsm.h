// NAME
//   softhsm.h - a SoftHSM configuration of our own (development and tests).
//
// DESCRIPTION
//   create_softhsm_config(dir) makes dir (mode 0700), dir/tokens (mode 0700)
//   and dir/softhsm2.conf (mode 0600) with the file object store, and returns
//   the path of the configuration. SoftHSM reads it from the environment
//   variable SOFTHSM2_CONF during C_Initialize, so point that variable at it
//   before Module::load(), and before any thread is started (setenv is not
//   thread-safe). The embedded default and the tests use this; an appliance
//   ships its configuration in the image.
#pragma once

#include <filesystem>
#include <string>

#include "common/result.h"

namespace appliance::hsm {

Result<std::string> create_softhsm_config(const std::filesystem::path& dir);

// setenv("SOFTHSM2_CONF", conf): call before Module::load and before threads.
Result<void> use_softhsm_config(const std::string& conf);

}  // namespace appliance::hsm
