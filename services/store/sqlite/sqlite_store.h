// NAME
//   sqlite_store.h - the embedded store: SQLite files under one directory.
//
// DESCRIPTION
//   <root>/system.db            settings, tenants, domains, key metadata,
//                               login log, security events
//   <root>/tenants/<id>/        one tenant: meta.db, blobs.db, tmp/
//
//   Tenants are opened on first use and kept open. A tenant whose files are
//   damaged is refused with the file and the fault; the store and every other
//   tenant keep working, and the next tenant() call checks the files again.
#pragma once

#include <filesystem>
#include <memory>

#include "store/data_key.h"
#include "store/store.h"

namespace appliance::store::sqlite {

struct Options {
  std::filesystem::path root;
  DataKeySource* keys = nullptr;  // not owned; outlives the store
  bool group_commit = true;       // false: one sync per write (the benchmark's baseline)
  bool verify_on_open = true;     // quick_check each tenant's files when it is opened
};

Result<std::unique_ptr<Store>> open_store(const Options& options);

}  // namespace appliance::store::sqlite
