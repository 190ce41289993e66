// NAME
//   queue.h - the outbound queue of one tenant (deliverd's work).
//
// DESCRIPTION
//   An entry is one submitted message for the recipients in other domains:
//   its body is a blob sealed under the sender's account key (the blob
//   machinery of local delivery, so a destroyed account takes its queued mail
//   with it), the envelope sender, and the recipients, each with its own
//   state and the last reply its delivery got. The entry carries the attempt
//   count, the time of the next attempt, a held flag and its creation time.
//
//   Every change is durable on return and goes through the tenant's group
//   commit, as local delivery does: smtpd's enqueue() and the appends of the
//   same message share a sync when they run together.
//
//   The envelope (addresses) is kept in clear, as a mail server's log keeps
//   it; the body is sealed (docs/delivery.md).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "store/blob_writer.h"

namespace appliance::store {

using QueueId = std::int64_t;
using Sink = std::function<Result<void>(std::string_view plain)>;  // as in store.h

enum class RecipientState { pending, delivered, bounced };
const char* to_string(RecipientState state);
std::optional<RecipientState> recipient_state(std::string_view text);

// A recipient's DSN options of the submission (RFC 3461); "" when not given.
struct RecipientDsn {
  std::string notify;  // "NEVER", or some of "SUCCESS,FAILURE,DELAY"
  std::string orcpt;   // "rfc822;bob@example.com": the type, ';', the decoded address
};

struct QueuedRecipient {
  std::string address;
  RecipientState state = RecipientState::pending;
  std::string reply;        // the last reply, or why the attempt failed
  std::string host;         // the host of the last attempt, "name [address]"
  std::string tls_policy;   // what decided the TLS use: "opportunistic", ...
  std::string tls_version;  // "TLSv1.3"; "" when the attempt ran in plain text
  std::int64_t updated = 0;
  RecipientDsn dsn;  // the submission's options
  // Not stored: set by deliverd for this attempt when the host that took the
  // message advertised DSN and was given the recipient's options.
  bool dsn_passed_on = false;
};

struct QueueEntry {
  QueueId id = 0;
  std::int64_t account = 0;  // the sender's account: the blob is sealed under its key
  std::string blob;          // content address
  std::uint64_t size = 0;
  std::string sender;  // the envelope sender
  std::int64_t created = 0, next_attempt = 0, last_attempt = 0;
  std::uint32_t attempts = 0;
  bool held = false;
  bool delay_notified = false;  // the sender was told it is still being retried
  std::string ret;              // RET of the submission: "FULL", "HDRS" or ""
  std::string envid;            // ENVID of the submission, decoded; "" when not given
  std::vector<QueuedRecipient> recipients;

  bool pending() const;  // a recipient is still pending
};

struct NewQueueEntry {
  std::int64_t account = 0;
  std::string sender;
  std::vector<std::string> recipients;
  std::int64_t created = 0;       // also the first attempt's time
  bool held = false;              // queued on hold (smtpd's burst hold)
  std::string ret, envid;         // as in QueueEntry
  std::vector<RecipientDsn> dsn;  // empty, or one per recipient, in the same order
  // The appliance's own notice for the account (smtpd's delivered reports):
  // not counted in its sending hours.
  bool notice = false;
};

// One account's submissions to other domains in one clock hour.
struct SendingHour {
  std::int64_t hour = 0;  // Unix time / 3600
  std::uint64_t messages = 0, recipients = 0;
};
inline constexpr std::int64_t kSendingHoursKept = 8 * 24;  // older hours are forgotten

class TenantQueue {
 public:
  virtual ~TenantQueue() = default;

  // The blob must come from TenantStore::new_blob(entry.account). Counts the
  // message and its recipients in the account's sending hours, in the same
  // commit, unless it is a notice.
  virtual Result<QueueEntry> enqueue(std::unique_ptr<BlobWriter> blob,
                                     const NewQueueEntry& entry) = 0;
  virtual Result<std::vector<QueueEntry>> entries() = 0;
  virtual Result<std::optional<QueueEntry>> entry(QueueId id) = 0;
  // Entries not held whose next attempt is due at `now`, oldest attempt first.
  virtual Result<std::vector<QueueEntry>> due(std::int64_t now, std::size_t limit) = 0;
  // Streams the message as queued (the blob is verified against its address).
  virtual Result<void> read(const QueueEntry& entry, const Sink& sink) = 0;

  // One attempt: counts it, sets the given recipients' results (by address)
  // and the next attempt's time.
  virtual Result<void> record_attempt(QueueId id, const std::vector<QueuedRecipient>& results,
                                      std::int64_t now, std::int64_t next_attempt) = 0;
  // The administrator's verbs; false when there is no such entry.
  virtual Result<bool> set_held(QueueId id, bool held) = 0;
  virtual Result<bool> reschedule(QueueId id, std::int64_t when) = 0;
  virtual Result<std::uint64_t> reschedule_all(std::int64_t when) = 0;  // not held ones
  virtual Result<bool> remove(QueueId id) = 0;
  // The account's sending hours from `since_hour` on, oldest first; hours
  // without a submission are absent.
  virtual Result<std::vector<SendingHour>> sending(std::int64_t account,
                                                   std::int64_t since_hour) = 0;
  // deliverd: the sender has had its delay notice; false when there is no such entry.
  virtual Result<bool> note_delay_notice(QueueId id) = 0;
};

}  // namespace appliance::store
