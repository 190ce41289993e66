// NAME
//   open.h - the store as the configuration names it.
//
// DESCRIPTION
//   Every daemon and appliancectl open the store through open_configured():
//   `[appliance] store = sqlite` gives the embedded store under
//   <home>/store; `store = postgres` the PostgreSQL database named by
//   `store.postgres`, with large blobs spooled under <home>/store/spool
//   while they are written. The caller's DataKeySource (keyd in a daemon)
//   wraps and unwraps the accounts' data keys.
#pragma once

#include <memory>

#include "common/daemon.h"
#include "common/paths.h"
#include "common/result.h"
#include "store/data_key.h"
#include "store/store.h"

namespace appliance::store {

Result<std::unique_ptr<Store>> open_configured(const Paths& paths, const StoreConfig& config,
                                               DataKeySource* keys);

}  // namespace appliance::store
