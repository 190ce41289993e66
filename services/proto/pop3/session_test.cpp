// NAME
//   session_test.cpp - the POP3 session's events and states, driven with strings.
#include "proto/pop3/session.h"

#include <gtest/gtest.h>

#include <memory>

#include "proto/common/testing/script.h"

namespace appliance::pop3 {
namespace {

std::string sent(const std::vector<Event>& events) {
  return script::sent<event::Send>(events);
}

std::unique_ptr<Session> logged_in() {
  SessionConfig c;
  c.implicit_tls = true;
  auto session = std::make_unique<Session>(c);
  Session& s = *session;
  s.greet();
  s.receive("USER alice\r\nPASS two words\r\n");
  auto events = s.take_events();
  auto& login = std::get<event::Login>(events.back());
  EXPECT_EQ(login.user, "alice");
  EXPECT_TRUE(login.password.equals("two words"));
  s.answer(Answer{true, {}, {}, {}, "alice@example.org"});
  s.take_events();
  return session;
}

TEST(Session, LoginMovesToTransaction) {
  auto session = logged_in();
  Session& s = *session;
  EXPECT_EQ(s.state(), State::transaction);
  EXPECT_EQ(s.account(), "alice@example.org");
}

TEST(Session, RetrIsDotStuffed) {
  auto session = logged_in();
  Session& s = *session;
  s.receive("RETR 1\r\n");
  auto events = s.take_events();
  ASSERT_EQ(std::get<Retr>(std::get<event::Request>(events[0]).command).message, 1u);
  s.answer(Answer::accept("5 octets", std::string(".x\r\n.\r\n")));
  EXPECT_EQ(sent(s.take_events()), "+OK 5 octets\r\n..x\r\n..\r\n.\r\n");
}

TEST(Session, StreamedRetrIsStuffedAcrossPiecesAndHoldsThePipeline) {
  auto session = logged_in();
  Session& s = *session;
  s.receive("RETR 1\r\nNOOP\r\n");
  ASSERT_EQ(s.take_events().size(), 1u);
  s.stream_begin("9 octets");
  s.stream("a\r");
  s.stream("\n.");
  s.answer(Answer::accept("ignored while streaming"));
  s.stream("b\r\n.");
  EXPECT_TRUE(s.waiting());
  EXPECT_EQ(sent(s.take_events()), "+OK 9 octets\r\na\r\n..b\r\n..");
  s.stream_end();
  auto events = s.take_events();
  EXPECT_EQ(sent(events).substr(0, 5), "\r\n.\r\n");
  EXPECT_TRUE(std::holds_alternative<event::Request>(events.back()));  // the NOOP, read now
}

TEST(Session, QuitEntersUpdateAndCloses) {
  auto session = logged_in();
  Session& s = *session;
  s.receive("QUIT\r\nSTAT\r\n");
  EXPECT_EQ(s.state(), State::update);
  s.answer(Answer::accept("Bye"));
  auto events = s.take_events();
  EXPECT_TRUE(std::holds_alternative<event::Close>(events.back()));
  EXPECT_TRUE(s.closed());
  s.receive("STAT\r\n");
  EXPECT_TRUE(s.take_events().empty());
}

TEST(Session, TooMuchPipelinedInputCloses) {
  SessionConfig c;
  c.implicit_tls = true;
  c.max_buffered = 64;
  Session s(c);
  s.greet();
  s.receive("USER alice\r\nPASS x\r\n" + std::string(100, 'N'));
  EXPECT_TRUE(s.closed());
}

}  // namespace
}  // namespace appliance::pop3
