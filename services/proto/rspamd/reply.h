// NAME
//   reply.h - the reply of rspamd's /checkv2 scan, read strictly.
//
// DESCRIPTION
//   rspamd answers a scan with a JSON object; what the appliance acts on is
//   its "action" (one of rspamd's fixed names), its "score" and
//   "required_score", and "messages"."smtp_message", the text rspamd wants
//   the client to see. Everything else (symbols, timings, milter hints) is
//   allowed and ignored. A reply that is not such an object, or names an
//   action this code does not know, is an error: the caller then treats the
//   scan as failed rather than guessing.
//
// SECURITY
//   The reply comes over the network from the filter. smtp_message is kept
//   only as printable ASCII, at most kMaxSmtpMessage bytes, because it goes
//   into an SMTP reply line.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace appliance::rspamd {

constexpr std::size_t kMaxReply = 1u << 20;
constexpr std::size_t kMaxSmtpMessage = 200;

enum class Action {
  no_action,
  greylist,
  add_header,
  rewrite_subject,
  soft_reject,
  reject,
  discard,
  quarantine,
};

struct Reply {
  Action action = Action::no_action;
  double score = 0;
  std::optional<double> required_score;
  std::string smtp_message;  // printable ASCII, may be empty
  bool skipped = false;      // rspamd's "is_skipped": a settings rule skipped the scan
};

Result<Reply> parse_reply(std::string_view body);
std::string_view action_name(Action action);

}  // namespace appliance::rspamd
