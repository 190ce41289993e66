// NAME
//   connections.h - SMTP sessions kept open across the entries of a pass.
//
// DESCRIPTION
//   A pass delivers entry after entry; several often go to the same host.
//   Connections keeps each session that ended its transaction in order, by
//   host (MX name, address and port), so that the next entry for that host
//   is sent over it: RSET, then MAIL (RFC 5321 4.1.1.5), without a new TCP
//   connection, greeting, EHLO and TLS handshake. A session that has
//   carried `per_connection` messages is closed (QUIT), as is one that does
//   not answer RSET with 250 (the server may have closed it: a new one is
//   opened); at most `idle` sessions wait, the oldest closed first, and the
//   rest are closed when the pass ends. One per pass, shared by its lanes
//   (queue_run.h): a session taken is the taker's alone until put back.
//   It also remembers, for the rest of the pass, each address and port that
//   could not be reached or would not open a session (no connection, a
//   greeting or EHLO refused or never sent): the later entries for it are
//   deferred with the same reason at once instead of waiting out the same
//   timeouts again, as Postfix marks a dead destination. A new pass tries
//   again.
//   The key (attempt.cpp) names the host and the TLS policy the session was
//   opened under: domains that share an MX host share its sessions only
//   when their policies agree, so that a session opened under a weaker
//   policy never carries mail that asked for a stronger one (MTA-STS is per
//   domain).
#pragma once

#include <cstddef>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "deliverd/transaction.h"

namespace appliance::deliverd {

class Connections {
 public:
  explicit Connections(unsigned per_connection, std::size_t idle = 16)
      : per_connection_(per_connection), idle_(idle) {}
  ~Connections();
  Connections(const Connections&) = delete;
  Connections& operator=(const Connections&) = delete;

  // A kept session for `host`, reset and ready for MAIL; nullopt when none is
  // kept or the kept one did not take RSET (it is then closed).
  std::optional<Session> take(const std::string& host);
  // After a transaction on `session`: kept for the next one, or closed at its cap.
  void put_back(const std::string& host, Session session);
  // `target`: "address:port".
  void mark_dead(const std::string& target, const std::string& why);
  std::optional<std::string> dead(const std::string& target);  // why, when it is

 private:
  unsigned per_connection_;
  std::size_t idle_;
  std::mutex mutex_;                                 // for kept_; no I/O under it
  std::list<std::pair<std::string, Session>> kept_;  // oldest first
  std::map<std::string, std::string> dead_;          // target -> why
};

}  // namespace appliance::deliverd
