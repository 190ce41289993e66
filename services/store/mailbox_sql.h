// NAME
//   mailbox_sql.h - the portable SQL of mailbox access, shared by both backends.
//
// DESCRIPTION
//   Queries for rename, delete, subscriptions, counts, flags by UID range,
//   copy/move and expunge. They run unchanged on SQLite and PostgreSQL
//   ($n placeholders, RETURNING, ON CONFLICT, window functions); each
//   backend only runs them. UID ranges become SQL text of plain integers
//   (uid_condition), never of client bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace appliance::store::sql {

inline constexpr std::string_view kMessageColumns =
    "id, account, mailbox, uid, blob, size, internal_date, flags, modseq, keywords";
inline constexpr std::string_view kMailboxColumns =
    "id, account, name, uidvalidity, uidnext, modseq";
// A row of kMailboxColumns, from either backend's row type (as message_of()).
template <class Row>
Mailbox mailbox_of(const Row& r) {
  return Mailbox{r.int64(0),
                 r.int64(1),
                 r.text(2),
                 static_cast<std::uint32_t>(r.int64(3)),
                 static_cast<std::uint32_t>(r.int64(4)),
                 static_cast<std::uint64_t>(r.int64(5))};
}

// $1 account, $2 name.
inline constexpr std::string_view kMailboxNamed =
    "SELECT id, account, name, uidvalidity, uidnext, modseq FROM mailboxes "
    "WHERE account = $1 AND name = $2";

// "(uid BETWEEN 1 AND 4 OR uid BETWEEN 9 AND 9)"; "(1 = 0)" for no range.
std::string uid_condition(const std::vector<UidRange>& uids);

// $1 account, $2 mailbox, $3 new name.
inline constexpr std::string_view kRenameMailbox =
    "UPDATE mailboxes SET name = $3 WHERE id = $2 AND account = $1 "
    "RETURNING id, account, name, uidvalidity, uidnext, modseq";
inline constexpr std::string_view kDeleteMailboxMessages =
    "DELETE FROM messages WHERE account = $1 AND mailbox = $2";
inline constexpr std::string_view kDeleteMailbox =
    "DELETE FROM mailboxes WHERE account = $1 AND id = $2 RETURNING id";
// $1 account, $2 name.
inline constexpr std::string_view kSubscribe =
    "INSERT INTO subscriptions (account, name) SELECT id, $2 FROM accounts WHERE id = $1 "
    "ON CONFLICT (account, name) DO NOTHING";
inline constexpr std::string_view kUnsubscribe =
    "DELETE FROM subscriptions WHERE account = $1 AND name = $2";
inline constexpr std::string_view kSubscriptions =
    "SELECT name FROM subscriptions WHERE account = $1 ORDER BY name";
// $1 account, $2 mailbox: messages, unseen, deleted, size.
inline constexpr std::string_view kCounts =
    "SELECT CAST(COUNT(*) AS BIGINT), "
    "CAST(COALESCE(SUM(CASE WHEN (flags & 1) = 0 THEN 1 ELSE 0 END), 0) AS BIGINT), "
    "CAST(COALESCE(SUM(CASE WHEN (flags & 8) != 0 THEN 1 ELSE 0 END), 0) AS BIGINT), "
    "CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM messages WHERE account = $1 AND mailbox = $2";
// $1 account, $2 mailbox; returns the new modseq.
inline constexpr std::string_view kNextModseq =
    "UPDATE mailboxes SET modseq = modseq + 1 WHERE id = $2 AND account = $1 RETURNING modseq";

// $1 account, $2 mailbox.
std::string messages_in(const std::vector<UidRange>& uids);
std::string uids_in(const std::vector<UidRange>& uids);
// $3 add, $4 remove, $5 modseq.
std::string store_flags(const std::vector<UidRange>& uids);
// $3 flag \Deleted.
std::string expunge(const std::vector<UidRange>& uids);
// $1 account, $2 mailbox: id and keywords of each message in range.
std::string keywords_in(const std::vector<UidRange>& uids);
// $1 id, $2 keywords, $3 modseq.
inline constexpr std::string_view kSetKeywords =
    "UPDATE messages SET keywords = $2, modseq = $3 WHERE id = $1";
// A message's keywords after a STORE: sorted, unique, space-separated; IMAP
// compares keywords case-insensitively, so a keyword keeps its first spelling.
std::string merge_keywords(std::string_view current, const std::vector<std::string>& add,
                           const std::vector<std::string>& remove, bool replace);
std::vector<std::string> split_keywords(std::string_view keywords);

// $3 destination, $4 first new UID, $5 modseq.
std::string copy(const std::vector<UidRange>& uids);
std::string remove(const std::vector<UidRange>& uids);
// $1 account, $2 destination, $3 count: the first new UID and the modseq.
inline constexpr std::string_view kTakeUids =
    "UPDATE mailboxes SET uidnext = uidnext + $3, modseq = modseq + 1 "
    "WHERE id = $2 AND account = $1 RETURNING uidnext - $3, modseq";
// A new message: $1 account, $2 mailbox, $3 uid, $4 blob, $5 size, $6 internal
// date, $7 flags, $8 modseq, $9 summary, $10 keywords (merge_keywords' form).
std::string insert_message();

}  // namespace appliance::store::sql
