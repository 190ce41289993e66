// NAME
//   parse_test.cpp - the POP3 command parser.
#include <gtest/gtest.h>

#include "proto/pop3/command.h"

namespace appliance::pop3 {
namespace {

std::string parse(std::string_view line) {
  auto c = parse_command(line);
  return c ? command_name(*c) : "ERR " + c.message();
}

TEST(Parse, KeywordsAndArguments) {
  EXPECT_EQ(parse("stat"), "STAT");
  EXPECT_EQ(parse("LIST"), "LIST");
  EXPECT_EQ(std::get<List>(*parse_command("LIST 3")).message, 3u);
  EXPECT_EQ(std::get<Top>(*parse_command("TOP 2 0")).lines, 0u);
  EXPECT_EQ(std::get<Uidl>(*parse_command("uidl 7")).message, 7u);
  EXPECT_EQ(std::get<User>(*parse_command("USER alice@example.org")).name, "alice@example.org");
  EXPECT_TRUE(std::get<Pass>(*parse_command("PASS two words")).password.equals("two words"));
  auto a = std::get<Auth>(*parse_command("AUTH plain AGEAYg=="));
  EXPECT_EQ(a.mechanism, "PLAIN");
  EXPECT_EQ(a.initial, "AGEAYg==");
  EXPECT_EQ(std::get<Auth>(*parse_command("AUTH")).mechanism, "");
}

TEST(Parse, Refusals) {
  EXPECT_EQ(parse("FROB"), "ERR Unknown command");
  EXPECT_EQ(parse("RETR"), "ERR Expected one message number");
  EXPECT_EQ(parse("RETR 0"), "ERR Invalid message number");
  EXPECT_EQ(parse("RETR 4294967296"), "ERR Invalid message number");
  EXPECT_EQ(parse("RETR -1"), "ERR Invalid message number");
  EXPECT_EQ(parse("DELE 1 2"), "ERR Expected one message number");
  EXPECT_EQ(parse("LIST  1"), "ERR Invalid argument spacing");
  EXPECT_EQ(parse("TOP 1"), "ERR Expected a message number and a line count");
  EXPECT_EQ(parse("STAT now"), "ERR STAT takes no arguments");
  EXPECT_EQ(parse("PASS"), "ERR Expected a password");
  EXPECT_EQ(parse("USER"), "ERR Expected one user name");
  EXPECT_EQ(parse("NOOP\x01"), "ERR Control character in command");
}

}  // namespace
}  // namespace appliance::pop3
