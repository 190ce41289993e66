// NAME
//   open.cpp - the store as the configuration names it.
#include "store/open.h"

#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace appliance::store {

Result<std::unique_ptr<Store>> open_configured(const Paths& paths, const StoreConfig& config,
                                               DataKeySource* keys) {
  if (config.backend == "postgres")
    return postgres::open_store(
        {.conninfo = config.postgres, .keys = keys, .spool_dir = paths.store_dir() / "spool"});
  if (config.backend != "sqlite") return make_error("unknown store backend '" + config.backend + "'");
  return sqlite::open_store({.root = paths.store_dir(), .keys = keys});
}

}  // namespace appliance::store
