// NAME
//   data.h - a message being received: streamed into one sealed blob per
//   recipient account, then appended to each account's INBOX.
//
// DESCRIPTION
//   prepare() opens one BlobWriter per account (each account's blob is
//   sealed under its own data key): a store read and perhaps a keyd request,
//   so it runs on the worker that resolved the recipient, at RCPT time.
//   begin() takes the prepared writers, one per distinct account, and writes
//   the trace header first. The
//   body follows piece by piece as the session hands it over; a BlobWriter
//   keeps at most a megabyte in memory and spills sealed bytes beyond it, so
//   no message is ever held whole. commit(), on a worker, appends into every
//   INBOX, the first append there and each other on a worker of its own so
//   that they share group commits, and calls done() once every append is
//   durable (or one failed): the caller sends "250" only after a successful
//   done().
//
//   The MIME summary IMAP serves ENVELOPE and BODYSTRUCTURE from
//   (proto/mime) needs the message whole: Delivery keeps a plain copy of
//   messages up to kSummaryLimit and summarises it on the worker at commit;
//   a larger message is stored without a summary.
//
//   A multi-recipient message whose commit fails half-way is refused with a
//   4xx; the client's retry then duplicates it for the accounts that have it,
//   which is the safe side (RFC 5321 6.1: never lose a message).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "auth/directory.h"
#include "common/result.h"
#include "smtpd/sending.h"
#include "store/store.h"

namespace appliance::smtpd {

// Where mail the content filter marks as spam goes (filter.h).
constexpr std::string_view kJunk = "Junk";

// Most mail; a bound on the copy each connection may hold for the summary.
constexpr std::size_t kSummaryLimit = 4u << 20;

class Delivery {
 public:
  struct Part {
    std::shared_ptr<store::TenantStore> tenant;
    store::Id account = 0;
    std::unique_ptr<store::BlobWriter> blob;
    // Set for the copy to other domains (outbound.h): queued, not appended.
    std::shared_ptr<store::NewQueueEntry> outbound;
    SendingState sending;  // the copy to other domains: its account's, at its first recipient
  };
  using Parts = std::vector<Part>;

  // Blocking: call on a worker.
  static Result<Parts> prepare(store::Store& store, const std::vector<auth::Recipient>& accounts);
  // Adds `more` to `into`, keeping one part per account (an alias and its
  // account are one copy).
  static void merge(Parts& into, Parts more);
  static Result<std::unique_ptr<Delivery>> begin(Parts parts, std::string_view header);
  Result<void> write(std::string_view bytes);
  // Blocking: call on a worker. `done` runs on a worker thread.
  using Done = std::function<void(Result<void>)>;
  static void commit(std::shared_ptr<Delivery> delivery,
                     const std::function<void(std::function<void()>)>& run,
                     std::int64_t internal_date, Done done);

  std::size_t accounts() const { return parts_.size(); }
  // Local copies go to this mailbox instead of INBOX (created when missing).
  void file_into(std::string mailbox) { mailbox_ = std::move(mailbox); }

 private:
  struct Commit;
  std::string summary() const;
  Result<void> append(std::size_t part, std::int64_t internal_date, const std::string& summary);
  static Result<void> enqueue(Part& part, std::int64_t now);  // outbound.cpp

  std::vector<Part> parts_;
  std::string mailbox_;  // empty: INBOX
  std::string copy_;  // for the summary, while the message is within kSummaryLimit
  bool copy_whole_ = true;
};

}  // namespace appliance::smtpd
