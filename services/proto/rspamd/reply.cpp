// NAME
//   reply.cpp - rspamd's scan reply: one JSON object, its action and score.
#include "proto/rspamd/reply.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <nlohmann/json.hpp>
#include <utility>

namespace appliance::rspamd {

namespace {

using Json = nlohmann::json;

constexpr std::array<std::pair<std::string_view, Action>, 8> kActions{{
    {"no action", Action::no_action},
    {"greylist", Action::greylist},
    {"add header", Action::add_header},
    {"rewrite subject", Action::rewrite_subject},
    {"soft reject", Action::soft_reject},
    {"reject", Action::reject},
    {"discard", Action::discard},
    {"quarantine", Action::quarantine},
}};

Result<double> number(const Json& j, const char* key) {
  if (!j.is_number()) return make_error(fmt::format("rspamd reply: \"{}\" is not a number", key));
  double v = j.get<double>();
  if (!std::isfinite(v)) return make_error(fmt::format("rspamd reply: \"{}\" is not finite", key));
  return v;
}

// Printable ASCII only, bounded: it becomes part of an SMTP reply line.
std::string reply_text(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (out.size() == kMaxSmtpMessage) break;
    if (c >= 0x20 && c < 0x7f) out += c;
  }
  auto end = out.find_last_not_of(' ');
  out.erase(end == std::string::npos ? 0 : end + 1);
  return out.substr(std::min(out.find_first_not_of(' '), out.size()));
}

}  // namespace

std::string_view action_name(Action action) {
  for (const auto& [name, a] : kActions)
    if (a == action) return name;
  return "unknown";
}

Result<Reply> parse_reply(std::string_view body) {
  if (body.size() > kMaxReply)
    return make_error(fmt::format("rspamd reply: larger than {} bytes", kMaxReply));
  Json j = Json::parse(body, nullptr, false);
  if (j.is_discarded()) return make_error("rspamd reply: not JSON");
  if (!j.is_object()) return make_error("rspamd reply: not a JSON object");
  Reply r;
  auto action = j.find("action");
  if (action == j.end() || !action->is_string())
    return make_error("rspamd reply: no \"action\" string");
  const auto& name = action->get_ref<const std::string&>();
  auto known = std::find_if(kActions.begin(), kActions.end(),
                            [&](const auto& a) { return a.first == name; });
  if (known == kActions.end())
    return make_error(fmt::format("rspamd reply: unknown action \"{}\"", reply_text(name)));
  r.action = known->second;
  auto score = j.find("score");
  if (score == j.end()) return make_error("rspamd reply: no \"score\"");
  auto s = number(*score, "score");
  if (!s) return s.error();
  r.score = *s;
  if (auto req = j.find("required_score"); req != j.end()) {
    auto v = number(*req, "required_score");
    if (!v) return v.error();
    r.required_score = *v;
  }
  if (auto skipped = j.find("is_skipped"); skipped != j.end()) {
    if (!skipped->is_boolean()) return make_error("rspamd reply: \"is_skipped\" is not a boolean");
    r.skipped = skipped->get<bool>();
  }
  if (auto messages = j.find("messages"); messages != j.end() && messages->is_object()) {
    auto m = messages->find("smtp_message");
    if (m != messages->end() && m->is_string())
      r.smtp_message = reply_text(m->get_ref<const std::string&>());
  }
  return r;
}

}  // namespace appliance::rspamd
