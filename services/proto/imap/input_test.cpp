// NAME
//   input_test.cpp - framing commands: lines, literals, limits.
#include <gtest/gtest.h>

#include "proto/imap/input.h"

namespace appliance::imap {
namespace {

std::string complete(const std::optional<Input>& in) {
  if (!in) return "<none>";
  if (auto* c = std::get_if<input::Complete>(&*in)) return c->text;
  if (std::holds_alternative<input::Continue>(*in)) return "<continue>";
  auto& r = std::get<input::Refused>(*in);
  return "<" + r.tag + " " + r.kind + " " + r.text + (r.close ? " close" : "") + ">";
}

TEST(CommandReader, LinesAndPartialInput) {
  CommandReader r;
  r.feed("a NOOP\r\nb NO");
  EXPECT_EQ(complete(r.next()), "a NOOP");
  EXPECT_EQ(complete(r.next()), "<none>");
  r.feed("OP\n");
  EXPECT_EQ(complete(r.next()), "b NOOP");
}

TEST(CommandReader, SynchronisingLiteralAsksForContinuation) {
  CommandReader r;
  r.feed("a LOGIN {5}\r\n");
  EXPECT_EQ(complete(r.next()), "<continue>");
  EXPECT_EQ(complete(r.next()), "<none>");
  r.feed("alice {2+}\r\npw\r\n");
  EXPECT_EQ(complete(r.next()), "a LOGIN {5}\r\nalice {2+}\r\npw");
}

TEST(CommandReader, LiteralBytesAreNotLines) {
  CommandReader r;
  r.feed("a APPEND x {7+}\r\nb {3}\r\n\r\n");
  EXPECT_EQ(complete(r.next()), "a APPEND x {7+}\r\nb {3}\r\n");
}

TEST(CommandReader, OversizeLiterals) {
  CommandReader r(InputLimits{100, 10, 1000});
  r.feed("a APPEND x {11}\r\nb NOOP\r\n");
  EXPECT_EQ(complete(r.next()), "<a NO [TOOBIG] Literal too large>");
  EXPECT_EQ(complete(r.next()), "b NOOP");
  r.feed("c APPEND x {11+}\r\n01234567890\r\n");
  EXPECT_EQ(complete(r.next()), "<c BAD [TOOBIG] Literal too large close>");
}

TEST(CommandReader, LongLinesAreSkippedToTheirEnd) {
  CommandReader r(InputLimits{10, 10, 1000});
  r.feed("a " + std::string(20, 'x'));
  EXPECT_EQ(complete(r.next()), "<a BAD Line too long>");
  r.feed("yyy\r\nb NOOP\r\n");
  EXPECT_EQ(complete(r.next()), "b NOOP");
}

TEST(CommandReader, ClearDropsEverything) {
  CommandReader r;
  r.feed("a NOOP\r\n");
  r.clear();
  EXPECT_EQ(complete(r.next()), "<none>");
  r.feed("DONE\r\n");
  EXPECT_EQ(r.next_line(), "DONE");
}

}  // namespace
}  // namespace appliance::imap
