// NAME
//   mailbox_sql.cpp - building the UID-range queries of mailbox access.
#include "store/mailbox_sql.h"

#include <fmt/format.h>

#include <cctype>
#include <map>

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
      "summary, keywords) SELECT account, $3, $4 - 1 + ROW_NUMBER() OVER (ORDER BY uid), blob, "
      "size, internal_date, flags, $5, summary, keywords FROM messages {}",
      where(uids));
}

std::string insert_message() {
  return fmt::format(
      "INSERT INTO messages (account, mailbox, uid, blob, size, internal_date, flags, modseq, "
      "summary, keywords) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING {}",
      kMessageColumns);
}

std::string keywords_in(const std::vector<UidRange>& uids) {
  return "SELECT id, keywords FROM messages " + where(uids);
}

std::vector<std::string> split_keywords(std::string_view keywords) {
  std::vector<std::string> out;
  while (!keywords.empty()) {
    auto space = keywords.find(' ');
    if (space != 0) out.emplace_back(keywords.substr(0, space));
    keywords = space == std::string_view::npos ? "" : keywords.substr(space + 1);
  }
  return out;
}

std::string merge_keywords(std::string_view current, const std::vector<std::string>& add,
                           const std::vector<std::string>& remove, bool replace) {
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  std::map<std::string, std::string> kept;  // lower case -> as first spelt
  if (!replace)
    for (auto& k : split_keywords(current)) kept.emplace(lower(k), k);
  for (const auto& k : add) kept.emplace(lower(k), k);
  for (const auto& k : remove) kept.erase(lower(k));
  std::string out;
  for (const auto& [key, k] : kept) out += (out.empty() ? "" : " ") + k;
  return out;
}

std::string remove(const std::vector<UidRange>& uids) {
  return "DELETE FROM messages " + where(uids);
}

}  // namespace appliance::store::sql
