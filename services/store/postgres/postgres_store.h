// NAME
//   postgres_store.h - the cluster store: one PostgreSQL database, one schema
//   per tenant.
//
// DESCRIPTION
//   schema appliance      settings, tenants, domains, key metadata,
//                         login log, security events
//   schema tenant_<id>    one tenant: accounts, mailboxes, messages, queue,
//                         blobs and their sealed chunks
//
//   Connection parameters come from a libpq conninfo string. The schemas are
//   created and migrated at open; a schema newer than the binary is refused.
//   Tenants are opened on first use and kept open; a tenant whose data the
//   server reports damaged is refused, the others keep working.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "store/data_key.h"
#include "store/store.h"

namespace appliance::store::postgres {

struct Options {
  std::string conninfo;             // e.g. "host=/run/postgresql dbname=appliance"
  DataKeySource* keys = nullptr;    // not owned; outlives the store
  std::filesystem::path spool_dir;  // unnamed spool files of large blobs being written
  bool group_commit = true;         // false: one commit per write (the benchmark's baseline)
};

Result<std::unique_ptr<Store>> open_store(const Options& options);

}  // namespace appliance::store::postgres
