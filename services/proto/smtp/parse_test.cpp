// NAME
//   parse_test.cpp - the command parser, addresses, parameters, xtext, SASL.
#include <gtest/gtest.h>

#include "proto/common/sasl.h"
#include "proto/smtp/auth.h"
#include "proto/smtp/command.h"
#include "proto/smtp/syntax.h"

namespace appliance::smtp {
namespace {

std::string refusal(std::string_view line, ParseContext context = {}) {
  auto p = parse_command(line, context);
  return p ? "accepted" : p.reply().summary();
}

template <class T>
T parsed(std::string_view line, ParseContext context = {}) {
  auto p = parse_command(line, context);
  EXPECT_TRUE(p) << line << ": " << (p ? "" : p.reply().summary());
  EXPECT_TRUE(p && std::holds_alternative<T>(*p)) << line;
  return p && std::holds_alternative<T>(*p) ? std::get<T>(*p) : T{};
}

TEST(Parse, EhloTakesADomainOrAnAddressLiteral) {
  EXPECT_EQ(parsed<Ehlo>("EHLO client.example").domain, "client.example");
  EXPECT_FALSE(parsed<Ehlo>("helo client.example").extended);
  EXPECT_EQ(parsed<Ehlo>("EHLO [192.0.2.1]").domain, "[192.0.2.1]");
  EXPECT_EQ(parsed<Ehlo>("EHLO [IPv6:2001:db8::1]").domain, "[IPv6:2001:db8::1]");
  EXPECT_EQ(refusal("EHLO"), "501 5.5.4 Syntax: EHLO hostname");
  EXPECT_EQ(refusal("EHLO bad_name.example"), "501 5.5.4 Invalid domain name");
  EXPECT_EQ(refusal("EHLO [300.1.1.1]"), "501 5.5.4 Invalid domain name");
  EXPECT_EQ(refusal("EHLO [IPv6:zz]"), "501 5.5.4 Invalid domain name");
  EXPECT_EQ(refusal("EHLO -a.example"), "501 5.5.4 Invalid domain name");
}

TEST(Parse, UnknownAndRefusedVerbs) {
  EXPECT_EQ(refusal("FOO"), "500 5.5.2 Command unrecognized");
  EXPECT_EQ(refusal("EXPN staff"), "502 5.5.1 Command not implemented");
  EXPECT_EQ(refusal("NOOP\x01"), "500 5.5.2 Invalid character in command");
  EXPECT_EQ(refusal("DATA now"), "501 5.5.4 Syntax: DATA");
  EXPECT_EQ(refusal("STARTTLS x"), "501 5.5.4 Syntax: STARTTLS");
  EXPECT_EQ(refusal("VRFY"), "501 5.5.4 Syntax: VRFY address");
  parsed<Data>("data");
  parsed<Rset>("RSET");
  parsed<Quit>("QUIT");
  parsed<Noop>("NOOP anything");
  parsed<Starttls>("StartTLS");
  EXPECT_EQ(parsed<Vrfy>("VRFY someone").argument, "someone");
  EXPECT_EQ(parsed<Help>("HELP MAIL").topic, "MAIL");
  EXPECT_EQ(refusal(std::string(kMaxAuthLine + 1, 'A')), "500 5.5.2 Line too long");
}

TEST(Parse, MailPathsPerRfc5321) {
  auto m = parsed<Mail>("MAIL FROM:<a.b+tag@example.org>");
  EXPECT_EQ(m.sender.local, "a.b+tag");
  EXPECT_EQ(m.sender.domain, "example.org");
  EXPECT_TRUE(parsed<Mail>("MAIL FROM:<>").sender.null());
  EXPECT_EQ(parsed<Mail>("mail from: <x@example.org>").sender.text(), "x@example.org");
  m = parsed<Mail>(R"(MAIL FROM:<"john doe\"x"@example.org>)");
  EXPECT_EQ(m.sender.local, "john doe\"x");
  EXPECT_EQ(m.sender.text(), R"("john doe\"x"@example.org)");
  EXPECT_EQ(parsed<Mail>("MAIL FROM:<@relay.example,@b.example:u@example.org>").sender.text(),
            "u@example.org");
  EXPECT_EQ(parsed<Mail>("MAIL FROM:<u@[192.0.2.7]>").sender.domain, "[192.0.2.7]");
  EXPECT_EQ(parsed<Mail>("MAIL FROM:<u@[IPv6:::1]>").sender.domain, "[IPv6:::1]");
}

TEST(Parse, MailPathRefusals) {
  EXPECT_EQ(refusal("MAIL FROM:a@example.org"),
            "501 5.1.7 Bad sender address: address must be in <>");
  EXPECT_EQ(refusal("MAIL TO:<a@example.org>"), "501 5.5.4 Syntax: MAIL FROM:<address>");
  EXPECT_EQ(refusal("MAIL FROM:<a@example.org"), "501 5.1.7 Bad sender address: no closing >");
  EXPECT_EQ(refusal("MAIL FROM:<a..b@example.org>"),
            "501 5.1.7 Bad sender address: bad local part");
  EXPECT_EQ(refusal("MAIL FROM:<.a@example.org>"), "501 5.1.7 Bad sender address: bad local part");
  EXPECT_EQ(refusal("MAIL FROM:<a@example..org>"), "501 5.1.7 Bad sender address: bad domain");
  EXPECT_EQ(refusal("MAIL FROM:<a@-x.org>"), "501 5.1.7 Bad sender address: bad domain");
  EXPECT_EQ(refusal("MAIL FROM:<a>"), "501 5.1.7 Bad sender address: address has no domain");
  EXPECT_EQ(refusal("MAIL FROM:<@-x:a@b.org>"), "501 5.1.7 Bad sender address: bad source route");
  EXPECT_EQ(refusal("MAIL FROM:<@x,:a@b.org>"), "501 5.1.7 Bad sender address: bad source route");
  EXPECT_EQ(refusal("MAIL FROM:<@x a@b.org>"), "501 5.1.7 Bad sender address: bad source route");
  EXPECT_EQ(refusal("MAIL FROM:<a@example.org>x"),
            "501 5.5.4 Syntax: space expected after address");
  EXPECT_EQ(refusal("MAIL FROM:<a@[1.2.3]>"), "501 5.1.7 Bad sender address: bad domain");
  EXPECT_EQ(refusal("MAIL FROM:<a@[tag:x]>"), "501 5.1.7 Bad sender address: bad domain");
}

TEST(Parse, Limits) {
  std::string local64(64, 'l'), local65(65, 'l');
  parsed<Mail>("MAIL FROM:<" + local64 + "@example.org>");
  EXPECT_EQ(refusal("MAIL FROM:<" + local65 + "@example.org>"),
            "501 5.1.7 Bad sender address: local part too long");
  std::string label63(63, 'd'), label64(64, 'd');
  parsed<Mail>("MAIL FROM:<a@" + label63 + ".example>");
  EXPECT_EQ(refusal("MAIL FROM:<a@" + label64 + ".example>"),
            "501 5.1.7 Bad sender address: bad domain");
  std::string domain;  // 4 * 62 + 3 = 251 octets: a valid domain, but the path is 256+
  for (int i = 0; i < 4; ++i) domain += (i ? "." : "") + std::string(62, 'x');
  EXPECT_EQ(refusal("MAIL FROM:<" + std::string(10, 'l') + "@" + domain + ">"),
            "501 5.1.7 Bad sender address: path too long");
  EXPECT_EQ(refusal("RCPT TO:<" + local65 + "@example.org>"),
            "501 5.1.3 Bad recipient address: local part too long");
}

TEST(Parse, Utf8OnlyWithSmtputf8) {
  EXPECT_EQ(refusal("MAIL FROM:<jörg@example.org>"),
            "553 5.6.7 Non-ASCII address requires SMTPUTF8");
  auto m = parsed<Mail>("MAIL FROM:<jörg@bücher.example> SMTPUTF8");
  EXPECT_EQ(m.sender.local, "jörg");
  EXPECT_EQ(m.sender.domain, "bücher.example");
  EXPECT_TRUE(m.params.smtputf8);
  EXPECT_EQ(refusal("RCPT TO:<jörg@example.org>"), "553 5.6.7 Non-ASCII address requires SMTPUTF8");
  parsed<Rcpt>("RCPT TO:<jörg@example.org>", {.smtputf8 = true});
  EXPECT_EQ(refusal("MAIL FROM:<j\xff@example.org> SMTPUTF8"),
            "501 5.1.7 Bad sender address: invalid UTF-8");
  EXPECT_EQ(refusal("MAIL FROM:<j\xc0\xaf@example.org> SMTPUTF8"),
            "501 5.1.7 Bad sender address: invalid UTF-8");
  EXPECT_EQ(refusal("EHLO bücher.example"), "501 5.5.4 Invalid domain name");
}

TEST(Parse, MailParameters) {
  auto m = parsed<Mail>(
      "MAIL FROM:<a@example.org> SIZE=1000 BODY=8BITMIME RET=HDRS ENVID=QQ+2B314 AUTH=<>");
  EXPECT_EQ(m.params.size, 1000u);
  EXPECT_EQ(m.params.body, Body::eight_bit_mime);
  EXPECT_EQ(m.params.ret, Ret::headers);
  EXPECT_EQ(m.params.envid, "QQ+314");
  EXPECT_EQ(m.params.auth, "<>");
  EXPECT_EQ(m.params.count, 5);
  EXPECT_EQ(parsed<Mail>("MAIL FROM:<> body=binarymime").params.body, Body::binary_mime);
  EXPECT_EQ(refusal("MAIL FROM:<> SIZE=x"), "501 5.5.4 Bad value for SIZE");
  EXPECT_EQ(refusal("MAIL FROM:<> SIZE=99999999999999999999999"), "501 5.5.4 Bad value for SIZE");
  EXPECT_EQ(refusal("MAIL FROM:<> BODY=9BIT"), "501 5.5.4 Bad value for BODY");
  EXPECT_EQ(refusal("MAIL FROM:<> SMTPUTF8=yes"), "501 5.5.4 Bad value for SMTPUTF8");
  EXPECT_EQ(refusal("MAIL FROM:<> RET=ALL"), "501 5.5.4 Bad value for RET");
  EXPECT_EQ(refusal("MAIL FROM:<> ENVID=a+zz"), "501 5.5.4 Bad value for ENVID");
  EXPECT_EQ(refusal("MAIL FROM:<> ENVID=" + std::string(101, 'e')),
            "501 5.5.4 Bad value for ENVID");
  EXPECT_EQ(refusal("MAIL FROM:<> SIZE=1 SIZE=2"), "501 5.5.4 Duplicate parameter SIZE");
  EXPECT_EQ(refusal("MAIL FROM:<> XFOO=1"), "555 5.5.4 Unsupported parameter XFOO");
  EXPECT_EQ(refusal("MAIL FROM:<> =1"), "501 5.5.4 Bad parameter syntax");
}

TEST(Parse, RcptAndDsnParameters) {
  auto r =
      parsed<Rcpt>("RCPT TO:<b@example.net> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;b+40example.net");
  EXPECT_EQ(r.recipient.text(), "b@example.net");
  EXPECT_EQ(r.params.notify, notify_success | notify_delay);
  EXPECT_EQ(r.params.orcpt_type, "rfc822");
  EXPECT_EQ(r.params.orcpt, "b@example.net");
  EXPECT_EQ(parsed<Rcpt>("RCPT TO:<Postmaster>").recipient.local, "Postmaster");
  EXPECT_EQ(parsed<Rcpt>("RCPT TO:<b@x.example> NOTIFY=NEVER").params.notify, notify_never);
  EXPECT_EQ(notify_text(*parse_notify("delay,Success")), "SUCCESS,DELAY");
  EXPECT_EQ(notify_text(notify_never), "NEVER");
  EXPECT_EQ(notify_text(0), "");
  EXPECT_EQ(refusal("RCPT TO:<>"), "501 5.1.3 Bad recipient address: null path not allowed here");
  EXPECT_EQ(refusal("RCPT TO:<b@x.example> NOTIFY=NEVER,DELAY"), "501 5.5.4 Bad value for NOTIFY");
  EXPECT_EQ(refusal("RCPT TO:<b@x.example> NOTIFY=DELAY,DELAY"), "501 5.5.4 Bad value for NOTIFY");
  EXPECT_EQ(refusal("RCPT TO:<b@x.example> ORCPT=b@x"), "501 5.5.4 Bad value for ORCPT");
  EXPECT_EQ(refusal("RCPT TO:<b@x.example> SIZE=1"), "555 5.5.4 Unsupported parameter SIZE");
  EXPECT_EQ(refusal("RCPT FROM:<b@x.example>"), "501 5.5.4 Syntax: RCPT TO:<address>");
}

TEST(Parse, BdatAndAuth) {
  auto b = parsed<Bdat>("BDAT 1000 LAST");
  EXPECT_EQ(b.size, 1000u);
  EXPECT_TRUE(b.last);
  EXPECT_FALSE(parsed<Bdat>("bdat 0").last);
  EXPECT_EQ(refusal("BDAT"), "501 5.5.4 Syntax: BDAT size [LAST]");
  EXPECT_EQ(refusal("BDAT -1"), "501 5.5.4 Syntax: BDAT size [LAST]");
  EXPECT_EQ(refusal("BDAT 10 FIRST"), "501 5.5.4 Syntax: BDAT size [LAST]");
  auto a = parsed<Auth>("AUTH plain AGEAYg==");
  EXPECT_EQ(a.mechanism, "PLAIN");
  EXPECT_EQ(a.initial, "AGEAYg==");
  EXPECT_FALSE(parsed<Auth>("AUTH LOGIN").initial);
  EXPECT_EQ(refusal("AUTH"), "501 5.5.4 Syntax: AUTH mechanism");
  EXPECT_EQ(refusal("AUTH PLAIN a b"), "501 5.5.4 Syntax: AUTH mechanism [initial-response]");
}

TEST(Sasl, PlainAndLoginDecoding) {
  auto c = decode_plain(sasl::base64_encode(std::string("admin\0user\0pw secret", 20)));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->authzid, "admin");
  EXPECT_EQ(c->authcid, "user");
  EXPECT_TRUE(c->password.equals("pw secret"));
  EXPECT_FALSE(decode_plain(sasl::base64_encode(std::string("\0user", 5))));
  EXPECT_FALSE(decode_plain(sasl::base64_encode(std::string("\0\0pw", 4))));
  EXPECT_FALSE(decode_plain(sasl::base64_encode(std::string("a\0b\0c\0d", 7))));
  EXPECT_EQ(decode_plain("not base64").reply().summary(),
            "501 5.5.2 Invalid authentication response");
  auto user = decode_login_field("dXNlcg==");
  ASSERT_TRUE(user);
  EXPECT_EQ(user->reveal(), "user");
  EXPECT_FALSE(decode_login_field("="));
}

TEST(Base64, StrictDecoding) {
  EXPECT_EQ(sasl::base64_decode("aGVsbG8="), "hello");
  EXPECT_EQ(sasl::base64_decode(""), "");
  EXPECT_EQ(sasl::base64_encode("hello"), "aGVsbG8=");
  EXPECT_EQ(sasl::base64_encode("hi"), "aGk=");
  EXPECT_FALSE(sasl::base64_decode("aGVsbG9="));  // unused bits set
  EXPECT_FALSE(sasl::base64_decode("aGVsbG8"));
  EXPECT_FALSE(sasl::base64_decode("aG=sbG8="));
  EXPECT_FALSE(sasl::base64_decode("aGVs bG8="));
  EXPECT_FALSE(sasl::base64_decode("===="));
}

TEST(Syntax, Xtext) {
  EXPECT_EQ(decode_xtext("a+2Bb+3D"), "a+b=");
  EXPECT_FALSE(decode_xtext("a+2b"));  // hex is upper case
  EXPECT_FALSE(decode_xtext("a+2"));
  EXPECT_FALSE(decode_xtext("a=b"));
  EXPECT_EQ(encode_xtext("a+b=c d\xc3"), "a+2Bb+3Dc+20d+C3");
  EXPECT_EQ(decode_xtext(encode_xtext("x+y=z")), "x+y=z");
  EXPECT_EQ(parse_decimal("18446744073709551615"), UINT64_MAX);
  EXPECT_FALSE(parse_decimal("18446744073709551616"));
}

}  // namespace
}  // namespace appliance::smtp
