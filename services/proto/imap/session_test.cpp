// NAME
//   session_test.cpp - the session's events, states and limits, driven with strings.
#include <gtest/gtest.h>

#include "proto/common/testing/script.h"
#include "proto/imap/session.h"

namespace appliance::imap {
namespace {

std::string sent(const std::vector<Event>& events) {
  return script::sent<event::Send>(events);
}

SessionConfig tls_config() {
  SessionConfig c;
  c.implicit_tls = true;
  return c;
}

TEST(Session, LoginCarriesTheSecretAndChangesState) {
  Session s(tls_config());
  s.greet();
  s.take_events();
  s.receive("a LOGIN alice {6+}\r\nsecret\r\n");
  auto events = s.take_events();
  ASSERT_EQ(events.size(), 1u);
  auto& login = std::get<event::Login>(events[0]);
  EXPECT_EQ(login.user, "alice");
  EXPECT_TRUE(login.password.equals("secret"));
  EXPECT_TRUE(s.waiting());
  s.answer(Answer{Cond::ok, {}, {}, {}, "alice@example.org"});
  EXPECT_EQ(s.state(), State::authenticated);
  EXPECT_EQ(s.account(), "alice@example.org");
  EXPECT_TRUE(sent(s.take_events()).starts_with("a OK [CAPABILITY IMAP4rev1 IMAP4rev2"));
}

TEST(Session, CondstoreNotOfferedIsNotEnabled) {
  SessionConfig c = tls_config();
  c.condstore = false;
  Session s(c);
  s.greet();
  s.receive("a LOGIN u p\r\n");
  s.answer(Answer::ok());
  s.take_events();
  auto caps = s.capabilities();
  EXPECT_EQ(std::count(caps.begin(), caps.end(), "CONDSTORE"), 0);
  s.receive("b ENABLE CONDSTORE QRESYNC UTF8=ACCEPT\r\n");
  EXPECT_EQ(sent(s.take_events()), "* ENABLED UTF8=ACCEPT\r\nb OK ENABLE completed\r\n");
  EXPECT_FALSE(s.condstore());
}

TEST(Session, SelectAnswerDecidesTheState) {
  Session s(tls_config());
  s.greet();
  s.receive("a LOGIN u p\r\n");
  s.answer(Answer::ok());
  s.receive("b SELECT INBOX\r\n");
  s.take_events();
  s.answer(Answer::ok("* 3 EXISTS\r\n", "READ-WRITE"));
  EXPECT_EQ(s.state(), State::selected);
  EXPECT_EQ(sent(s.take_events()), "* 3 EXISTS\r\nb OK [READ-WRITE] Completed\r\n");
  s.receive("c SELECT nosuch\r\n");
  s.answer(Answer::no("No such mailbox", "NONEXISTENT"));
  EXPECT_EQ(s.state(), State::authenticated);
}

TEST(Session, QueuedCommandsWaitTheirTurnAndAreLimited) {
  SessionConfig c = tls_config();
  c.max_queued = 2;
  Session s(c);
  s.greet();
  s.receive("a LOGIN u p\r\n");
  s.answer(Answer::ok());
  s.take_events();
  s.receive("b STATUS x (MESSAGES)\r\nc NOOP\r\nd NOOP\r\n");
  EXPECT_EQ(s.take_events().size(), 1u);  // only b's request
  s.receive("e NOOP\r\n");
  EXPECT_TRUE(s.closed());
  EXPECT_EQ(sent(s.take_events()), "* BYE Too many commands in flight\r\n");
}

// SEARCHRES (RFC 5182): a command naming "$" runs only after the SEARCH that
// saves it is answered; a SEARCH in another charset goes to the server layer,
// which refuses it and, with SAVE, empties "$" (RFC 9051 6.4.4.1).
TEST(Session, SavedResultIsUsedInOrder) {
  Session s(tls_config());
  s.greet();
  s.receive("a LOGIN u p\r\n");
  s.answer(Answer::ok());
  auto caps = s.capabilities();
  EXPECT_EQ(std::count(caps.begin(), caps.end(), "SEARCHRES"), 1);
  s.receive("b SELECT INBOX\r\n");
  s.answer(Answer::ok());
  s.take_events();
  s.receive("c SEARCH RETURN (SAVE) CHARSET KOI8-R FLAGGED\r\nd FETCH $ FLAGS\r\n");
  auto events = s.take_events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(std::get<event::Request>(events[0]).tag, "c");
  s.answer(Answer::no("Unsupported charset", std::string(kBadCharset)));
  events = s.take_events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(sent({events[0]}), "c NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset\r\n");
  auto& fetch = std::get<event::Request>(events[1]);
  EXPECT_TRUE(std::get<Fetch>(fetch.command).set.saved);
}

// APPENDLIMIT (RFC 7889): one literal, in a command that also has its line.
TEST(Session, AppendLimitIsTheLiteralWithinTheCommand) {
  SessionConfig c = tls_config();
  EXPECT_EQ(Session(c).append_limit(), 50u << 20);
  c.limits = InputLimits{.max_line = 100, .max_literal = 5000, .max_command = 1000};
  Session s(c);
  EXPECT_EQ(s.append_limit(), 900u);
  s.greet();
  s.receive("a LOGIN u p\r\n");
  s.answer(Answer::ok());
  auto caps = s.capabilities();
  EXPECT_EQ(std::count(caps.begin(), caps.end(), "APPENDLIMIT=900"), 1);
}

TEST(Session, IdlePushAndDone) {
  Session s(tls_config());
  s.greet();
  s.receive("a LOGIN u p\r\n");
  s.answer(Answer::ok());
  s.take_events();
  s.receive("b IDLE\r\n");
  EXPECT_TRUE(s.idling());
  s.push("* 4 EXISTS\r\n");
  s.receive("DONE\r\n");
  EXPECT_FALSE(s.idling());
  EXPECT_EQ(sent(s.take_events()), "+ idling\r\n* 4 EXISTS\r\nb OK IDLE terminated\r\n");
}

TEST(Session, NothingAfterClose) {
  Session s(SessionConfig{});
  s.greet();
  s.receive("a LOGOUT\r\nb NOOP\r\n");
  auto events = s.take_events();
  EXPECT_TRUE(std::holds_alternative<event::Close>(events.back()));
  s.receive("c NOOP\r\n");
  s.push("* 1 EXISTS\r\n");
  EXPECT_TRUE(s.take_events().empty());
}

}  // namespace
}  // namespace appliance::imap
