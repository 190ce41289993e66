// NAME
//   store_totals.cpp - counters of logins and mail out, made from the store's windows.
#include "webd/store_totals.h"

#include <algorithm>

namespace appliance::webd {

StoreTotals::Totals StoreTotals::add(const std::vector<store::LoginRecord>& logins,
                                     const std::vector<MailHour>& hours) {
  std::lock_guard lock(mutex_);
  if (!started_) {
    started_ = true;
    last_login_ = logins.empty() ? 0 : logins.front().id;
    for (const MailHour& h : hours) seen_[h.hour] = h;
    if (!hours.empty()) window_ = hours.front().hour;
    return totals_;
  }
  add_logins(logins);
  add_hours(hours);
  return totals_;
}

void StoreTotals::add_logins(const std::vector<store::LoginRecord>& logins) {
  std::size_t fresh = 0;
  for (const store::LoginRecord& l : logins) {  // newest first
    if (l.id <= last_login_) break;
    ++totals_.logins[{l.protocol, l.result}];
    ++fresh;
  }
  if (fresh == 0) return;
  // All of them new: the entries between the oldest read and the last one are not in hand.
  const store::Id oldest = logins[fresh - 1].id;
  if (fresh == logins.size() && oldest > last_login_ + 1)
    totals_.logins[{"unknown", "unknown"}] += static_cast<std::uint64_t>(oldest - last_login_ - 1);
  last_login_ = logins.front().id;
}

void StoreTotals::add_hours(const std::vector<MailHour>& hours) {
  // Hours before the newest window read (oldest first) are not read again.
  if (!hours.empty()) window_ = std::max(window_, hours.front().hour);
  seen_.erase(seen_.begin(), seen_.lower_bound(window_));
  for (const MailHour& h : hours) {
    if (h.hour < window_) continue;
    MailHour& seen = seen_.try_emplace(h.hour, MailHour{h.hour}).first->second;
    // The most ever read stays: a reading that raced with a newer one adds nothing twice.
    if (h.messages > seen.messages) totals_.messages_out += h.messages - seen.messages;
    if (h.recipients > seen.recipients) totals_.recipients_out += h.recipients - seen.recipients;
    seen.messages = std::max(seen.messages, h.messages);
    seen.recipients = std::max(seen.recipients, h.recipients);
  }
}

Result<void> start_totals(store::Store& store, StoreTotals& totals, std::int64_t now) {
  auto logins = newest_logins(store);
  if (!logins) return logins.error();
  auto hours = mail_out_hours(store, now, kWindowHours);
  if (!hours) return hours.error();
  totals.add(*logins, *hours);
  return {};
}

}  // namespace appliance::webd
