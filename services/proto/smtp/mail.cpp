// NAME
//   mail.cpp - MAIL FROM:<reverse-path> and its parameters (RFC 1870, 6152,
//   3030, 6531, 3461, 4954).
#include <fmt/format.h>

#include "proto/smtp/command.h"
#include "proto/smtp/syntax.h"

namespace appliance::smtp {

namespace {

Reply bad_value(std::string_view keyword) {
  return make_reply(501, "5.5.4", fmt::format("Bad value for {}", keyword));
}

std::optional<Body> body_type(std::string_view v) {
  if (iequals(v, "7BIT")) return Body::seven_bit;
  if (iequals(v, "8BITMIME")) return Body::eight_bit_mime;
  if (iequals(v, "BINARYMIME")) return Body::binary_mime;
  return std::nullopt;
}

std::optional<Reply> apply(MailParams& p, const Param& param) {
  std::string_view k = param.keyword, v = param.value.value_or("");
  bool has = param.value.has_value();
  if (iequals(k, "SIZE")) {
    if (!has || !(p.size = parse_decimal(v))) return bad_value("SIZE");
  } else if (iequals(k, "BODY")) {
    auto body = body_type(v);
    if (!body) return bad_value("BODY");
    p.body = *body;
  } else if (iequals(k, "SMTPUTF8")) {
    if (has) return bad_value("SMTPUTF8");
    p.smtputf8 = true;
  } else if (iequals(k, "RET")) {
    if (!iequals(v, "FULL") && !iequals(v, "HDRS")) return bad_value("RET");
    p.ret = iequals(v, "FULL") ? Ret::full : Ret::headers;
  } else if (iequals(k, "ENVID")) {
    if (v.size() > kMaxEnvid || !(p.envid = decode_xtext(v)) || p.envid->empty())
      return bad_value("ENVID");
  } else if (iequals(k, "AUTH")) {
    if (!(p.auth = decode_xtext(v)) || p.auth->empty()) return bad_value("AUTH");
  } else {
    return make_reply(555, "5.5.4", fmt::format("Unsupported parameter {}", k));
  }
  return std::nullopt;
}

}  // namespace

Parsed<Command> parse_mail(std::string_view args) {
  if (!istarts_with(args, " FROM:")) return make_reply(501, "5.5.4", "Syntax: MAIL FROM:<address>");
  auto path = read_path_args(args.substr(6), {.allow_null = true}, "5.1.7");
  if (!path) return path.reply();
  Mail mail{std::move(path->mailbox), {}};
  if (auto refusal = apply_params(path->params, mail.params, apply)) return *refusal;
  if (!path->ascii && !mail.params.smtputf8) return needs_smtputf8();
  return Command(std::move(mail));
}

}  // namespace appliance::smtp
