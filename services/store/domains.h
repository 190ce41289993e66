// NAME
//   domains.h - every tenant's domains listed, a domain removed, and a
//   tenant without domains removed.
//
// DESCRIPTION
//   Both backends' Store implements DomainStore as well; domains_of() finds
//   it. It is apart from store.h, which nearly every part of the appliance
//   includes, so that adding it did not rebuild them all; it belongs in
//   Store when store.h changes next.
#pragma once

#include <string_view>
#include <vector>

#include "common/result.h"
#include "store/store.h"

namespace appliance::store {

class DomainStore {
 public:
  virtual ~DomainStore() = default;
  // Every tenant's domains, by name.
  virtual Result<std::vector<Domain>> domains() = 0;
  // False when there was no such domain. The tenant's accounts stay: the caller checks first.
  virtual Result<bool> remove_domain(std::string_view name) = 0;
  // Removes a tenant that has no domain left, with its databases; false when
  // there is no such tenant or it still has a domain.
  virtual Result<bool> remove_tenant(Id tenant) = 0;
};

// The store's DomainStore, or an error for a store that has none.
inline Result<DomainStore*> domains_of(Store& store) {
  if (auto* d = dynamic_cast<DomainStore*>(&store)) return d;
  return make_error("this store cannot list its domains");
}

}  // namespace appliance::store
