// NAME
//   session_test.cpp - Session behaviour that transcripts show less well.
#include <gtest/gtest.h>

#include "proto/common/sasl.h"
#include "proto/smtp/session.h"

namespace appliance::smtp {
namespace {

std::string replies(Session& s) {
  std::string out;
  for (auto& e : s.take_events()) {
    if (auto* send = std::get_if<event::Send>(&e)) out += send->text;
  }
  return out;
}

SessionConfig submission() {
  SessionConfig c;
  c.mode = Mode::submission;
  c.implicit_tls = true;
  return c;
}

TEST(Session, PasswordOnlyInTheAuthenticateEvent) {
  Session s(submission());
  s.greet();
  s.receive("EHLO c.example\r\n");
  s.receive("AUTH PLAIN " + sasl::base64_encode(std::string("\0u\0hunter2", 10)) + "\r\n");
  auto events = s.take_events();
  ASSERT_FALSE(events.empty());
  auto* auth = std::get_if<event::Authenticate>(&events.back());
  ASSERT_NE(auth, nullptr);
  EXPECT_TRUE(auth->credentials.password.equals("hunter2"));
  for (auto& e : events) {
    auto* send = std::get_if<event::Send>(&e);
    EXPECT_TRUE(send == nullptr || send->text.find("hunter2") == std::string::npos);
  }
  EXPECT_TRUE(s.waiting());
  s.answer(Verdict::accept("u"));
  EXPECT_EQ(replies(s), "235 2.7.0 Authentication successful\r\n");
  EXPECT_EQ(s.account(), "u");
}

TEST(Session, PipelinedCommandsWaitForAnswers) {
  Session s({});
  s.greet();
  (void)s.take_events();
  s.receive("EHLO c.example\r\n");
  s.receive("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\nNOOP\r\n");
  (void)s.take_events();
  EXPECT_TRUE(s.waiting());  // the sender check
  s.answer(Verdict::accept());
  EXPECT_EQ(replies(s), "250 2.1.0 Ok\r\n");
  s.answer(Verdict::refuse());
  EXPECT_EQ(replies(s), "550 5.1.1 Recipient address rejected\r\n250 2.0.0 Ok\r\n");
  EXPECT_FALSE(s.waiting());
  s.answer(Verdict::accept());  // nothing pending: ignored
  EXPECT_EQ(replies(s), "");
}

TEST(Session, BufferedInputIsBounded) {
  SessionConfig c;
  c.max_buffered = 64;
  Session s(c);
  s.greet();
  (void)s.take_events();
  s.receive("EHLO c.example\r\n");
  s.receive("MAIL FROM:<a@example.org>\r\n" + std::string(100, 'N'));
  EXPECT_TRUE(s.closed());
  EXPECT_NE(replies(s).find("421 4.7.0 Too much pipelined input"), std::string::npos);
}

// A socket may deliver a line in any pieces; the replies must not change.
TEST(Session, LinesArrivingByteByByte) {
  Session whole({}), bytes({});
  whole.greet();
  bytes.greet();
  for (std::string_view line : {"EHLO c.example\r\n", "NOOP\r\n", "VRFY x\r\n", "QUIT\r\n"}) {
    whole.receive(line);
    for (char c : line) bytes.receive(std::string_view(&c, 1));
  }
  std::string expected = replies(whole);
  EXPECT_NE(expected.find("221 2.0.0 Bye"), std::string::npos);
  EXPECT_EQ(replies(bytes), expected);
}

TEST(Session, NothingAfterClose) {
  Session s({});
  s.receive("EHLO early\r\n");
  EXPECT_EQ(replies(s), "554 5.5.0 Protocol error: input before greeting\r\n");
  EXPECT_TRUE(s.closed());
  s.greet();
  s.receive("QUIT\r\n");
  EXPECT_EQ(replies(s), "");
}

}  // namespace
}  // namespace appliance::smtp
