// NAME
//   mailbox_sql.cpp - building the UID-range queries of mailbox access.
#include "store/mailbox_sql.h"

#include <fmt/format.h>

namespace appliance::store::sql {

std::string uid_condition(const std::vector<UidRange>& uids) {
  std::string out;
  for (const UidRange& r : uids)
    out += fmt::format("{}uid BETWEEN {} AND {}", out.empty() ? "" : " OR ", r.first, r.last);
  return "(" + (out.empty() ? std::string("1 = 0") : out) + ")";
}

namespace {
std::string where(const std::vector<UidRange>& uids) {
  return "WHERE account = $1 AND mailbox = $2 AND " + uid_condition(uids);
}
}  // namespace

std::string messages_in(const std::vector<UidRange>& uids) {
  return fmt::format("SELECT {} FROM messages {} ORDER BY uid", kMessageColumns, where(uids));
}

std::string uids_in(const std::vector<UidRange>& uids) {
  return fmt::format("SELECT uid FROM messages {} ORDER BY uid", where(uids));
}

std::string store_flags(const std::vector<UidRange>& uids) {
  return fmt::format("UPDATE messages SET flags = (flags | $3) & ~$4, modseq = $5 {} RETURNING {}",
                     where(uids), kMessageColumns);
}

std::string expunge(const std::vector<UidRange>& uids) {
  return fmt::format("DELETE FROM messages {} AND (flags & $3) != 0 RETURNING uid", where(uids));
}

std::string copy(const std::vector<UidRange>& uids) {
  return fmt::format(
      "INSERT INTO messages (account, mailbox, uid, blob, size, internal_date, flags, modseq, "
      "summary) SELECT account, $3, $4 - 1 + ROW_NUMBER() OVER (ORDER BY uid), blob, size, "
      "internal_date, flags, $5, summary FROM messages {}",
      where(uids));
}

std::string remove(const std::vector<UidRange>& uids) {
  return "DELETE FROM messages " + where(uids);
}

}  // namespace appliance::store::sql
