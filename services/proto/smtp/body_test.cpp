// NAME
//   body_test.cpp - the DATA and BDAT body readers.
#include <gtest/gtest.h>

#include "proto/smtp/body.h"

namespace appliance::smtp {
namespace {

struct BodyRun {
  std::string body;
  std::size_t used = 0;
  bool done = false;
  std::string refusal;
};

// Feeds `in` in pieces of `step` octets, as a socket might deliver it.
BodyRun read_data(std::string_view in, std::size_t step = 4096, BodyLimits limits = {1 << 20}) {
  BodyRun r;
  DataReader reader(limits, [&](std::string_view b) { r.body += b; });
  while (r.used < in.size() && !reader.done())
    r.used += reader.feed(in.substr(r.used, std::min(step, in.size() - r.used)));
  r.done = reader.done();
  if (reader.refusal()) r.refusal = reader.refusal()->summary();
  return r;
}

TEST(DataReader, UnstuffsDotsAndStopsAtTheEnd) {
  std::string_view in = "Subject: x\r\n\r\n..leading dot\r\n.\r\nQUIT\r\n";
  for (std::size_t step : {1, 2, 3, 7, 4096}) {
    BodyRun r = read_data(in, step);
    EXPECT_TRUE(r.done) << step;
    EXPECT_EQ(r.body, "Subject: x\r\n\r\n.leading dot\r\n") << step;
    EXPECT_EQ(in.substr(r.used), "QUIT\r\n") << step;
    EXPECT_EQ(r.refusal, "");
  }
}

TEST(DataReader, EmptyMessageAndLoneDots) {
  EXPECT_EQ(read_data(".\r\n").body, "");
  EXPECT_TRUE(read_data(".\r\n").done);
  BodyRun r = read_data("a\r\n.x\r\n.\r\n");
  EXPECT_EQ(r.body, "a\r\nx\r\n");
  EXPECT_FALSE(read_data("a\r\nb.\r\n").done);
}

// Each malformed end of data must neither end the message nor be accepted.
TEST(DataReader, SmugglingSequencesNeverEndTheMessage) {
  const char* bad[] = {"\n.\n", "\n.\r\n", "\r\n.\n",    "\r.\r",    "\r.\r\n",
                       "\n.\r", "\r\n.\r", "\r\n.\rX\n", "\n\r\n.\n"};
  for (const char* seq : bad) {
    std::string in = std::string("a") + seq + "MAIL FROM:<x@example.org>\r\n";
    BodyRun r = read_data(in);
    EXPECT_FALSE(r.done) << "ended by " << testing::PrintToString(seq);
    BodyRun real = read_data(in + "\r\n.\r\nQUIT\r\n");
    EXPECT_TRUE(real.done) << testing::PrintToString(seq);
    EXPECT_EQ(std::string_view(in + "\r\n.\r\nQUIT\r\n").substr(real.used), "QUIT\r\n");
    EXPECT_TRUE(real.refusal.starts_with("550 5.6.0 Message refused: bare"))
        << testing::PrintToString(seq) << " " << real.refusal;
  }
}

TEST(DataReader, BareLfAndBareCrAreNamed) {
  EXPECT_EQ(read_data("a\nb\r\n.\r\n").refusal,
            "550 5.6.0 Message refused: bare LF; lines must end with CRLF");
  EXPECT_EQ(read_data("a\rb\r\n.\r\n").refusal,
            "550 5.6.0 Message refused: bare CR; lines must end with CRLF");
}

TEST(DataReader, SizeLimitKeepsReadingToTheEnd) {
  std::string in = std::string(100, 'x') + "\r\n" + std::string(100, 'y') + "\r\n.\r\nNOOP\r\n";
  BodyRun r = read_data(in, 16, {150});
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.refusal, "552 5.3.4 Message size exceeds fixed maximum message size");
  EXPECT_LE(r.body.size(), 150u);
  EXPECT_EQ(std::string_view(in).substr(r.used), "NOOP\r\n");
  EXPECT_EQ(read_data(std::string(98, 'x') + "\r\n.\r\n", 4096, {100}).refusal, "");
}

TEST(DataReader, LineLengthLimit) {
  BodyLimits limits{1 << 20, 10};
  EXPECT_EQ(read_data("12345678\r\n.\r\n", 4096, limits).refusal, "");
  EXPECT_EQ(read_data("..2345678\r\n.\r\n", 4096, limits).refusal,
            "");  // the stuffed dot is not counted
  EXPECT_EQ(read_data("123456789\r\n.\r\n", 4096, limits).refusal,
            "550 5.6.0 Message refused: line longer than 10 octets");
}

// Text is passed over in runs: the limit and the line ends hold wherever a piece ends.
TEST(DataReader, LineLengthLimitAcrossPieces) {
  BodyLimits limits{1 << 20, 10};
  for (std::size_t step : {1, 2, 3, 5, 7, 4096}) {
    BodyRun ok = read_data("12345678\r\n.2345678\r\nab\r\n.\r\n", step, limits);
    EXPECT_EQ(ok.refusal, "") << step;
    EXPECT_EQ(ok.body, "12345678\r\n2345678\r\nab\r\n") << step;
    EXPECT_EQ(read_data("1234\r\n123456789\r\n.\r\n", step, limits).refusal,
              "550 5.6.0 Message refused: line longer than 10 octets")
        << step;
    EXPECT_EQ(read_data("1234\r5678\r\n.\r\n", step, limits).refusal,
              "550 5.6.0 Message refused: bare CR; lines must end with CRLF")
        << step;
  }
}

TEST(ChunkReader, CountsChunksAndChecksAcrossThem) {
  std::string body;
  ChunkReader reader({1 << 20}, [&](std::string_view b) { body += b; });
  reader.begin_chunk(5, false);
  EXPECT_EQ(reader.feed("abc\r\nNEXT"), 5u);
  EXPECT_TRUE(reader.chunk_done());
  reader.begin_chunk(4, true);
  EXPECT_EQ(reader.feed("de\r"), 3u);
  EXPECT_FALSE(reader.chunk_done());
  EXPECT_EQ(reader.feed("\nXX"), 1u);
  EXPECT_TRUE(reader.chunk_done() && reader.last());
  EXPECT_EQ(body, "abc\r\nde\r\n");
  EXPECT_EQ(reader.size(), 9u);
  EXPECT_FALSE(reader.refusal());
}

TEST(ChunkReader, RefusesBareEndingsUnlessBinary) {
  ChunkReader text({1 << 20}, [](std::string_view) {});
  text.begin_chunk(3, true);
  (void)text.feed("ab\r");
  ASSERT_TRUE(text.refusal());
  EXPECT_EQ(text.refusal()->summary(),
            "550 5.6.0 Message refused: bare CR; lines must end with CRLF");
  ChunkReader binary({1 << 20, 1000, true}, [](std::string_view) {});
  binary.begin_chunk(4, true);
  (void)binary.feed("a\nb\r");
  EXPECT_FALSE(binary.refusal());
}

TEST(ChunkReader, LineLengthLimitAcrossChunks) {
  // "12345" as one chunk, then `rest` as the last.
  auto refusal = [](std::string_view rest) {
    ChunkReader reader({1 << 20, 10}, [](std::string_view) {});
    reader.begin_chunk(5, false);
    (void)reader.feed("12345");
    reader.begin_chunk(rest.size(), true);
    (void)reader.feed(rest);
    return reader.refusal() ? reader.refusal()->summary() : std::string();
  };
  EXPECT_EQ(refusal("678\r\nab"), "");
  EXPECT_EQ(refusal("6789\r\n"), "550 5.6.0 Message refused: line longer than 10 octets");
}

TEST(ChunkReader, SizeLimit) {
  std::string body;
  ChunkReader reader({4}, [&](std::string_view b) { body += b; });
  reader.begin_chunk(6, true);
  EXPECT_EQ(reader.feed("abcdef"), 6u);
  ASSERT_TRUE(reader.refusal());
  EXPECT_EQ(reader.refusal()->code, 552);
  EXPECT_EQ(body, "");
}

}  // namespace
}  // namespace appliance::smtp
