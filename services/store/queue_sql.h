// NAME
//   queue_sql.h - the portable SQL of the outbound queue, and how its rows
//   read, shared by both backends (as account_sql.h is for accounts).
#pragma once

#include <string_view>

#include "store/queue.h"

namespace appliance::store::sql {

inline constexpr std::string_view kQueueColumns =
    "id, account, blob, size, sender, created, next_attempt, last_attempt, attempts, held, "
    "delay_notified, ret, envid";
inline constexpr std::string_view kEnqueue =
    "INSERT INTO queue (account, blob, size, sender, created, next_attempt, held, ret, envid) "
    "VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8) RETURNING id";
inline constexpr std::string_view kCountSending =
    "INSERT INTO sending (account, hour, messages, recipients) VALUES ($1, $2, 1, $3) "
    "ON CONFLICT (account, hour) DO UPDATE SET messages = sending.messages + 1, "
    "recipients = sending.recipients + excluded.recipients RETURNING messages";
inline constexpr std::string_view kForgetSending =
    "DELETE FROM sending WHERE account = $1 AND hour < $2";
inline constexpr std::string_view kSending =
    "SELECT hour, messages, recipients FROM sending WHERE account = $1 AND hour >= $2 "
    "ORDER BY hour";
inline constexpr std::string_view kEnqueueRecipient =
    "INSERT INTO queue_recipients (entry, seq, address, notify, orcpt) VALUES ($1, $2, $3, $4, $5)";
inline constexpr std::string_view kQueueRecipients =
    "SELECT address, state, reply, host, tls_policy, tls_version, updated, notify, orcpt "
    "FROM queue_recipients WHERE entry = $1 ORDER BY seq";
inline constexpr std::string_view kQueueAttempt =
    "UPDATE queue SET attempts = attempts + 1, last_attempt = $2, next_attempt = $3 "
    "WHERE id = $1 RETURNING id";
inline constexpr std::string_view kQueueRecipientResult =
    "UPDATE queue_recipients SET state = $3, reply = $4, host = $5, tls_policy = $6, "
    "tls_version = $7, updated = $8 WHERE entry = $1 AND address = $2";
inline constexpr std::string_view kQueueHold =
    "UPDATE queue SET held = $2 WHERE id = $1 RETURNING id";
inline constexpr std::string_view kQueueReschedule =
    "UPDATE queue SET next_attempt = $2 WHERE id = $1 RETURNING id";
inline constexpr std::string_view kQueueRescheduleAll =
    "UPDATE queue SET next_attempt = $1 WHERE held = 0 RETURNING id";
inline constexpr std::string_view kQueueDropRecipients =
    "DELETE FROM queue_recipients WHERE entry = $1";
inline constexpr std::string_view kQueueDelayNotified =
    "UPDATE queue SET delay_notified = 1 WHERE id = $1 RETURNING id";
inline constexpr std::string_view kQueueRemove = "DELETE FROM queue WHERE id = $1 RETURNING id";

template <class Row>
QueueEntry queue_row(const Row& r) {
  QueueEntry e;
  e.id = r.int64(0);
  e.account = r.int64(1);
  e.blob = std::string(r.bytes(2));
  e.size = static_cast<std::uint64_t>(r.int64(3));
  e.sender = r.text(4);
  e.created = r.int64(5);
  e.next_attempt = r.int64(6);
  e.last_attempt = r.int64(7);
  e.attempts = static_cast<std::uint32_t>(r.int64(8));
  e.held = r.int64(9) != 0;
  e.delay_notified = r.int64(10) != 0;
  e.ret = r.text(11);
  e.envid = r.text(12);
  return e;
}

template <class Row>
QueuedRecipient queued_recipient_row(const Row& r) {
  QueuedRecipient q;
  q.address = r.text(0);
  q.state = recipient_state(r.text(1)).value_or(RecipientState::pending);
  q.reply = r.text(2);
  q.host = r.text(3);
  q.tls_policy = r.text(4);
  q.tls_version = r.text(5);
  q.updated = r.int64(6);
  q.dsn = {r.text(7), r.text(8)};
  return q;
}

}  // namespace appliance::store::sql
