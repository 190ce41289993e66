// NAME
//   filter.h - content filtering of mail on the MX port through rspamd's
//   HTTP protocol.
//
// DESCRIPTION
//   When `[smtpd] rspamd_url` names an rspamd worker, each message arriving
//   on the MX port is held to its end (hold.h), then sent whole to
//   <url>/checkv2 with its envelope in request headers (IP, Helo, From, Rcpt,
//   Queue-Id), on a worker, before anything is stored. rspamd's action
//   decides (filtering_of()):
//
//     no action              delivered
//     add header, rewrite    delivered into the recipient's Junk mailbox
//     subject, quarantine,   (created when missing), marked X-Spam: Yes
//     discard
//     greylist, soft reject  451 4.7.1, nothing stored (the sender retries)
//     reject                 550 5.7.1, nothing stored
//
//   Every scanned message gets X-Spam-Action and X-Spam-Score fields.
//   "discard" is kept in Junk rather than dropped: mail that got a 250 is
//   never lost without trace. A scan that fails (rspamd down, a timeout, a
//   reply that does not parse) defers the message with 451 4.7.1 (the
//   default, as Postfix's milter_default_action), or delivers it unscanned
//   with `rspamd_failure = accept`. A message larger than `rspamd_max_size`
//   is delivered unscanned.
//
// SECURITY
//   rspamd sees every message in clear: point the URL only at a filter on
//   this box or one reached over a network you trust. Its reply is parsed
//   strictly (proto/rspamd); its text reaches the client only as printable
//   ASCII. The request headers carry values the session has already checked.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "proto/rspamd/reply.h"
#include "proto/smtp/reply.h"

namespace appliance::smtpd {

// The envelope of a message on the MX port.
struct Envelope {
  std::string address;    // the client's IP address
  std::string helo;       // its EHLO/HELO name
  std::string mail_from;  // local@domain, or empty for <>
  std::vector<std::string> recipients;
  std::string queue_id;
};

// What the filter made of a message.
struct Filtering {
  enum class Outcome { deliver, junk, refuse };
  Outcome outcome = Outcome::deliver;
  std::string fields;   // header fields to put above the message, each ending in CRLF
  smtp::Reply refusal;  // Outcome::refuse: the reply to send instead of 250
  std::string summary;  // for the log: "add header, score 6.00/15.00"
};

enum class FilterFailure { defer, accept };

struct FilterOptions {
  std::string url;       // the rspamd worker, e.g. http://127.0.0.1:11333
  std::string mta_name;  // this host, sent as rspamd's MTA-Name
  std::chrono::milliseconds timeout{20000};
  FilterFailure on_failure = FilterFailure::defer;
  std::size_t max_size = 10u << 20;
};

// The verdict for a scan's reply, or for a scan that failed (pure).
Filtering filtering_of(const Result<rspamd::Reply>& reply, FilterFailure on_failure);

class ContentFilter {
 public:
  virtual ~ContentFilter() = default;
  virtual std::size_t max_size() const = 0;
  // Blocking (the network): call on a worker.
  virtual Filtering scan(const Envelope& envelope, std::string_view message) = 0;
};

// rspamd's /checkv2 over HTTP, one request per message (libcurl).
class RspamdFilter final : public ContentFilter {
 public:
  explicit RspamdFilter(FilterOptions options);
  std::size_t max_size() const override { return options_.max_size; }
  Filtering scan(const Envelope& envelope, std::string_view message) override;

 private:
  Result<rspamd::Reply> ask(const Envelope& envelope, std::string_view message);
  FilterOptions options_;
};

}  // namespace appliance::smtpd
