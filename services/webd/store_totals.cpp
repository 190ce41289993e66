// NAME
//   store_totals.cpp - counters of logins and mail out, made from the store's windows.
#include "webd/store_totals.h"

namespace appliance::webd {

StoreTotals::Totals StoreTotals::add(const std::vector<store::LoginRecord>& logins,
                                     const std::vector<MailHour>& hours) {
  std::lock_guard lock(mutex_);
  if (!started_) {
    started_ = true;
    last_login_ = logins.empty() ? 0 : logins.front().id;
    for (const MailHour& h : hours) seen_[h.hour] = h;
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
  std::map<std::int64_t, MailHour> now;
  for (const MailHour& h : hours) {
    auto was = seen_.find(h.hour);
    MailHour before = was == seen_.end() ? MailHour{h.hour} : was->second;
    if (h.messages >= before.messages) totals_.messages_out += h.messages - before.messages;
    if (h.recipients >= before.recipients)
      totals_.recipients_out += h.recipients - before.recipients;
    now[h.hour] = h;
  }
  seen_ = std::move(now);
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
