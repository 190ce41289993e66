// NAME
//   limits.h - the listener keys every network daemon reads from its section.
//
// DESCRIPTION
//   idle_timeout (seconds; the range and default are the protocol's: RFC 1939
//   asks POP3 for at least 10 minutes, IMAP for 30), max_connections (per
//   listener) and workers (threads for blocking work). MailBase turns them
//   into each listener's options (mail_base.h).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "common/config.h"

namespace appliance::net {

struct ListenerLimits {
  std::chrono::seconds idle_timeout{300};
  std::size_t max_connections = 1000;
  std::size_t workers = 4;

  static ListenerLimits read(config::Reader& section, std::int64_t min_idle, std::int64_t max_idle,
                             std::int64_t default_idle) {
    ListenerLimits l;
    l.idle_timeout =
        std::chrono::seconds(section.integer("idle_timeout", min_idle, max_idle, default_idle));
    l.max_connections =
        static_cast<std::size_t>(section.integer("max_connections", 1, 100000, 1000));
    l.workers = static_cast<std::size_t>(section.integer("workers", 1, 256, 4));
    return l;
  }
};

}  // namespace appliance::net
