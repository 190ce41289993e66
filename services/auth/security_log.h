// NAME
//   security_log.h - security events appended to the store's hash chain, and
//   the chain checked.
//
// DESCRIPTION
//   record() links each event to the last one stored (event_chain.h) while
//   the store holds other appends off, so every process that records events
//   extends one chain. verify() reads the whole chain from the start and
//   names the first entry that breaks it: edited, deleted, reordered, or a
//   link that does not connect.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/clock.h"
#include "auth/event_chain.h"
#include "common/result.h"
#include "store/accounts.h"

namespace appliance::auth {

struct ChainFault {
  std::uint64_t seq = 0;  // the first entry that breaks the chain (or where one is missing)
  std::string reason;
};

class SecurityLog {
 public:
  SecurityLog(store::SystemLogs& logs, const Clock& clock) : logs_(logs), clock_(clock) {}

  // details: a JSON object.
  Result<ChainedEvent> record(std::string actor, std::string action, std::string target,
                              std::string details = "{}");
  // Oldest first, those after `after`.
  Result<std::vector<ChainedEvent>> list(std::uint64_t after, std::size_t limit);
  // Empty when the chain holds; with `head`, also when it still reaches it.
  Result<std::optional<ChainFault>> verify(const std::optional<ChainHead>& head = {});

 private:
  store::SystemLogs& logs_;
  const Clock& clock_;
};

}  // namespace appliance::auth
