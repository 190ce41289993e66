// NAME
//   security_log.cpp - events to and from the store's rows, the chain checked.
#include "auth/security_log.h"

#include <fmt/format.h>

namespace appliance::auth {
namespace {

constexpr std::size_t kPage = 1000;

ChainedEvent from_row(const store::EventRow& r) {
  return {{r.seq, r.time, r.actor, r.action, r.target, r.details}, r.prev_hash, r.hash};
}

store::EventRow to_row(const ChainedEvent& e) {
  return {e.event.seq,    e.event.time,    e.event.actor, e.event.action,
          e.event.target, e.event.details, e.prev_hash,   e.hash};
}

}  // namespace

Result<ChainedEvent> SecurityLog::record(std::string actor, std::string action, std::string target,
                                         std::string details) {
  SecurityEvent event{0,
                      clock_.unix_seconds(),
                      std::move(actor),
                      std::move(action),
                      std::move(target),
                      std::move(details)};
  ChainedEvent made;
  auto row = logs_.append_event(
      [&](const std::optional<store::EventRow>& last) -> Result<store::EventRow> {
        event.seq = last ? last->seq + 1 : 1;
        auto linked = chain_event(last ? last->hash : genesis_hash(), event);
        if (!linked) return linked.error();
        made = *linked;
        return to_row(made);
      });
  if (!row) return make_error(fmt::format("security event {}: {}", event.action, row.message()));
  return made;
}

Result<std::vector<ChainedEvent>> SecurityLog::list(std::uint64_t after, std::size_t limit) {
  auto rows = logs_.events(after, limit);
  if (!rows) return rows.error();
  std::vector<ChainedEvent> out;
  for (const auto& r : *rows) out.push_back(from_row(r));
  return out;
}

Result<std::optional<ChainFault>> SecurityLog::verify(const std::optional<ChainHead>& head) {
  std::vector<ChainedEvent> all;
  for (std::uint64_t after = 0;;) {
    auto page = list(after, kPage);
    if (!page) return page.error();
    if (page->empty()) break;
    after = page->back().event.seq;
    all.insert(all.end(), page->begin(), page->end());
  }
  auto broken = verify_chain(all, genesis_hash(), 1, head);
  if (!broken) return std::optional<ChainFault>();
  std::uint64_t seq = broken->index < all.size() ? all[broken->index].event.seq
                                                 : (all.empty() ? 1 : all.back().event.seq + 1);
  return std::optional<ChainFault>(ChainFault{seq, broken->reason});
}

}  // namespace appliance::auth
