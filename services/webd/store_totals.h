// NAME
//   store_totals.h - Prometheus counters made from the store's windows:
//   logins by protocol and result, and mail out (messages, recipients).
//
// DESCRIPTION
//   The login log and the sending hours keep entries and hours, not totals
//   since a start, and both forget (retention, kSendingHoursKept, an account
//   destroyed): a count over them can go down, which Prometheus would take
//   for a counter's reset. StoreTotals keeps totals in webd instead, from 0
//   when webd starts, as the daemons' own counters do, and adds to them
//   what is new at each reading:
//   - logins: the entries with an id above the last one read (the store lists
//     them newest first). When all of the newest entries read are new, the
//     ones between them and the last read (by id) are counted with protocol
//     and result "unknown": more logins between two readings than one reading
//     takes (10,000) are counted, if not told apart.
//   - mail out: each clock hour's growth beyond the most read of it before.
//     An hour that shrank (an account destroyed) adds nothing until it grows
//     past that, and a reading that raced with a newer one adds nothing twice.
//     Hours that come and go between two readings (more than the window
//     apart) are not counted: /metrics is read every minute or so.
//   The first reading sets where the totals start (webd reads once when it
//   starts). Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "store/accounts.h"
#include "store/store.h"
#include "webd/operations.h"

namespace appliance::webd {

class StoreTotals {
 public:
  using LoginKey = std::pair<std::string, std::string>;  // protocol, result
  struct Totals {
    std::map<LoginKey, std::uint64_t> logins;
    std::uint64_t messages_out = 0, recipients_out = 0;
  };

  // `logins`: the newest entries of the login log, newest first; `hours`: the
  // sending hours up to now (mail_out_hours). The totals after adding them.
  Totals add(const std::vector<store::LoginRecord>& logins, const std::vector<MailHour>& hours);

 private:
  void add_logins(const std::vector<store::LoginRecord>& logins);
  void add_hours(const std::vector<MailHour>& hours);

  std::mutex mutex_;
  bool started_ = false;
  store::Id last_login_ = 0;
  std::map<std::int64_t, MailHour> seen_;  // by hour: the most read of each
  std::int64_t window_ = 0;                // the first hour of the newest window read
  Totals totals_;
};

// The first reading, from the store: where the totals start.
Result<void> start_totals(store::Store& store, StoreTotals& totals, std::int64_t now);

}  // namespace appliance::webd
