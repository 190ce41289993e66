// NAME
//   canon_test.cpp - simple and relaxed canonicalization, RFC 6376 3.4.5.
#include "proto/dkim/canon.h"

#include <gtest/gtest.h>

#include "proto/dkim/header.h"

namespace appliance::dkim {
namespace {

std::string body(Canon c, std::string_view in, std::size_t piece = 1000,
                 std::optional<std::uint64_t> limit = std::nullopt) {
  std::string out;
  BodyCanon canon(c, [&](std::string_view s) { out += s; }, limit);
  for (std::size_t i = 0; i < in.size(); i += piece) canon.write(in.substr(i, piece));
  canon.finish();
  return out;
}

constexpr std::string_view kHeader = "A: X\r\nB : Y\t\r\n\tZ  \r\n";
constexpr std::string_view kBody = " C \r\nD \t E\r\n\r\n\r\n";

TEST(Canon, Rfc6376ExampleRelaxed) {
  auto fields = split_fields(kHeader);
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(canon_header(Canon::relaxed, fields[0]), "a:X\r\n");
  EXPECT_EQ(canon_header(Canon::relaxed, fields[1]), "b:Y Z\r\n");
  EXPECT_EQ(body(Canon::relaxed, kBody), " C\r\nD E\r\n");
}

TEST(Canon, Rfc6376ExampleSimple) {
  auto fields = split_fields(kHeader);
  EXPECT_EQ(canon_header(Canon::simple, fields[0]), "A: X\r\n");
  EXPECT_EQ(canon_header(Canon::simple, fields[1]), "B : Y\t\r\n\tZ  \r\n");
  EXPECT_EQ(body(Canon::simple, kBody), " C \r\nD \t E\r\n");
}

TEST(Canon, PiecesOfAnySizeGiveTheSameBody) {
  std::string in = "a  b \r\n\r\n  \r\nc\t\r\n\r\n \r\n";
  for (std::size_t piece = 1; piece < in.size(); ++piece) {
    EXPECT_EQ(body(Canon::relaxed, in, piece), "a b\r\n\r\n\r\nc\r\n") << piece;
    EXPECT_EQ(body(Canon::simple, in, piece), "a  b \r\n\r\n  \r\nc\t\r\n\r\n \r\n") << piece;
  }
}

TEST(Canon, EmptyBodies) {
  EXPECT_EQ(body(Canon::simple, ""), "\r\n");
  EXPECT_EQ(body(Canon::simple, "\r\n\r\n"), "\r\n");
  EXPECT_EQ(body(Canon::relaxed, ""), "");
  EXPECT_EQ(body(Canon::relaxed, " \r\n\t\r\n"), "");
}

TEST(Canon, LastLineWithoutCrlfGetsOne) {
  EXPECT_EQ(body(Canon::simple, "x"), "x\r\n");
  EXPECT_EQ(body(Canon::relaxed, "x  "), "x\r\n");
  EXPECT_EQ(body(Canon::relaxed, "x\r"), "x\r\r\n");
}

TEST(Canon, LengthLimitStopsTheSink) {
  EXPECT_EQ(body(Canon::simple, "hello\r\nworld\r\n", 3, 7), "hello\r\n");
  EXPECT_EQ(body(Canon::simple, "hello\r\n", 1000, 0), "");
}

TEST(Header, CollectorFindsTheEmptyLineAcrossPieces) {
  std::string message = "From: a\r\nTo: b\r\n\r\nbody\r\n";
  for (std::size_t piece = 1; piece < message.size(); ++piece) {
    std::string rest;
    HeaderCollector c(1000, [&](std::string_view s) { rest += s; });
    for (std::size_t i = 0; i < message.size(); i += piece) c.write(message.substr(i, piece));
    EXPECT_TRUE(c.in_body());
    EXPECT_EQ(c.header(), "From: a\r\nTo: b\r\n") << piece;
    EXPECT_EQ(rest, "body\r\n") << piece;
  }
}

TEST(Header, CollectorLimit) {
  HeaderCollector c(10, [](std::string_view) {});
  c.write("Subject: far too long\r\n");
  EXPECT_TRUE(c.overflowed());
}

TEST(Header, NoHeaderFields) {
  std::string rest;
  HeaderCollector c(10, [&](std::string_view s) { rest += s; });
  c.write("\r\nbody");
  EXPECT_TRUE(c.in_body());
  EXPECT_EQ(c.header(), "");
  EXPECT_EQ(rest, "body");
}

TEST(Header, BValueRemoved) {
  EXPECT_EQ(without_b_value("DKIM-Signature: a=1; b=abc\r\n def; bh=xyz\r\n"),
            "DKIM-Signature: a=1; b=; bh=xyz\r\n");
  EXPECT_EQ(without_b_value("DKIM-Signature: bh=xyz; b = abc \r\n"),
            "DKIM-Signature: bh=xyz; b =\r\n");
}

TEST(Header, HashInputTakesFieldsFromTheBottom) {
  std::string header = "From: first\r\nTo: x\r\nFrom: second\r\n";
  auto fields = split_fields(header);
  std::string input = header_hash_input(Canon::relaxed, fields, {"from", "from", "from", "to"},
                                        "DKIM-Signature: h=from; b=zz\r\n");
  EXPECT_EQ(input, "from:second\r\nfrom:first\r\nto:x\r\ndkim-signature:h=from; b=");
}

}  // namespace
}  // namespace appliance::dkim
