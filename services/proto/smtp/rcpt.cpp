// NAME
//   rcpt.cpp - RCPT TO:<forward-path> and the DSN parameters NOTIFY and ORCPT
//   (RFC 3461).
#include <fmt/format.h>

#include "proto/smtp/command.h"
#include "proto/smtp/syntax.h"

namespace appliance::smtp {

namespace {

Reply bad_value(std::string_view keyword) {
  return make_reply(501, "5.5.4", fmt::format("Bad value for {}", keyword));
}

// "addr-type;xtext" (RFC 3461 4.2).
bool read_orcpt(RcptParams& p, std::string_view v) {
  std::size_t semi = v.find(';');
  if (v.size() > kMaxOrcpt || semi == 0 || semi == std::string_view::npos) return false;
  auto decoded = decode_xtext(v.substr(semi + 1));
  if (!decoded || decoded->empty()) return false;
  p.orcpt_type = v.substr(0, semi);
  p.orcpt = std::move(*decoded);
  return true;
}

std::optional<Reply> apply(RcptParams& p, const Param& param) {
  std::string_view k = param.keyword, v = param.value.value_or("");
  if (iequals(k, "NOTIFY")) {
    auto bits = parse_notify(v);
    if (!bits) return bad_value("NOTIFY");
    p.notify = *bits;
  } else if (iequals(k, "ORCPT")) {
    if (!read_orcpt(p, v)) return bad_value("ORCPT");
  } else {
    return make_reply(555, "5.5.4", fmt::format("Unsupported parameter {}", k));
  }
  return std::nullopt;
}

}  // namespace

std::optional<unsigned> parse_notify(std::string_view v) {
  if (iequals(v, "NEVER")) return notify_never;
  unsigned bits = 0;
  while (true) {
    std::size_t comma = v.find(',');
    std::string_view word = v.substr(0, comma);
    unsigned bit = iequals(word, "SUCCESS")   ? notify_success
                   : iequals(word, "FAILURE") ? notify_failure
                   : iequals(word, "DELAY")   ? notify_delay
                                              : 0;
    if (bit == 0 || (bits & bit)) return std::nullopt;
    bits |= bit;
    if (comma == std::string_view::npos) return bits;
    v.remove_prefix(comma + 1);
  }
}

std::string notify_text(unsigned bits) {
  if (bits & notify_never) return "NEVER";
  std::string out;
  for (auto [bit, word] :
       {std::pair{notify_success, "SUCCESS"}, {notify_failure, "FAILURE"}, {notify_delay, "DELAY"}})
    if (bits & bit) out += (out.empty() ? "" : ",") + std::string(word);
  return out;
}

Parsed<Command> parse_rcpt(std::string_view args, const ParseContext& context) {
  if (!istarts_with(args, " TO:")) return make_reply(501, "5.5.4", "Syntax: RCPT TO:<address>");
  auto path = read_path_args(args.substr(4), {.postmaster = true}, "5.1.3");
  if (!path) return path.reply();
  if (!path->ascii && !context.smtputf8) return needs_smtputf8();
  Rcpt rcpt{std::move(path->mailbox), {}};
  if (auto refusal = apply_params(path->params, rcpt.params, apply)) return *refusal;
  return Command(std::move(rcpt));
}

}  // namespace appliance::smtp
