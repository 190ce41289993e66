// NAME
//   summary_test.cpp - summaries of simple, multipart and nested messages.
#include "proto/mime/summary.h"

#include <gtest/gtest.h>

namespace appliance::mime {
namespace {

std::string crlf(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

std::string_view slice(std::string_view m, std::uint64_t b, std::uint64_t e) {
  return m.substr(b, e - b);
}

const std::string kSimple = crlf(
    "Date: Mon, 7 Feb 1994 21:52:25 -0800\n"
    "From: Fred Foobar <foobar@Blurdybloop.example>\n"
    "Subject: afternoon meeting\n"
    "To: mooch@owatagu.example\n"
    "Message-Id: <B27397-0100000@Blurdybloop.example>\n"
    "\n"
    "Hello Joe, do you think we can meet at 3:30 tomorrow?\n");

TEST(Summary, SimpleMessage) {
  auto s = analyse(kSimple);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(s->envelope,
            "(\"Mon, 7 Feb 1994 21:52:25 -0800\" \"afternoon meeting\" "
            "((\"Fred Foobar\" NIL \"foobar\" \"Blurdybloop.example\")) "
            "((\"Fred Foobar\" NIL \"foobar\" \"Blurdybloop.example\")) "
            "((\"Fred Foobar\" NIL \"foobar\" \"Blurdybloop.example\")) "
            "((NIL NIL \"mooch\" \"owatagu.example\")) NIL NIL NIL "
            "\"<B27397-0100000@Blurdybloop.example>\")");
  EXPECT_EQ(s->body, "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 55 1)");
  EXPECT_EQ(
      s->bodystructure,
      "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 55 1 NIL NIL NIL NIL)");
  EXPECT_EQ(slice(kSimple, s->root.body_begin, s->root.end),
            "Hello Joe, do you think we can meet at 3:30 tomorrow?\r\n");
  EXPECT_TRUE(slice(kSimple, s->root.header_begin, s->root.body_begin).ends_with("\r\n\r\n"));
  EXPECT_EQ(s->date, 760686745);
  EXPECT_EQ(s->subject, "afternoon meeting");
  EXPECT_NE(s->from.find("foobar@Blurdybloop.example"), std::string::npos);
}

const std::string kNested = crlf(
    "From: a@example.com\n"
    "Subject: =?utf-8?q?caf=C3=A9?=\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"outer\"\n"
    "\n"
    "preamble\n"
    "--outer\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "\n"
    "first part\n"
    "--outer\n"
    "Content-Type: message/rfc822\n"
    "\n"
    "From: b@example.com\n"
    "Subject: inner\n"
    "Content-Type: multipart/alternative; boundary=inner\n"
    "\n"
    "--inner\n"
    "\n"
    "plain\n"
    "--inner\n"
    "Content-Type: text/html\n"
    "Content-Transfer-Encoding: base64\n"
    "\n"
    "PGI+aGk8L2I+\n"
    "--inner--\n"
    "--outer\n"
    "Content-Type: application/octet-stream; name=x.bin\n"
    "Content-Disposition: attachment; filename=x.bin\n"
    "Content-Transfer-Encoding: base64\n"
    "\n"
    "AAEC\n"
    "--outer--\n"
    "epilogue\n");

// A single part is summarised from its header alone (summary.cpp): what its
// body holds, even lines that look like MIME, changes only its size and lines.
TEST(Summary, SinglePartBodyIsOnlyCounted) {
  std::string m = crlf(
      "From: a@example.com\n"
      "Content-Type: text/plain; charset=utf-8\n"
      "Content-Transfer-Encoding: quoted-printable\n"
      "\n"
      "--outer\n"
      "Content-Type: multipart/mixed; boundary=\"outer\"\n"
      "\n"
      "caf=C3=A9\n");
  auto s = analyse(m);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(s->bodystructure,
            "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"QUOTED-PRINTABLE\" 71 4 NIL "
            "NIL NIL NIL)");
  EXPECT_FALSE(s->root.multipart);
  EXPECT_EQ(s->root.encoding, "quoted-printable");
  EXPECT_EQ(slice(m, s->root.body_begin, s->root.end).substr(0, 9), "--outer\r\n");
  // GMime passes over a line that is not a field, as when it parsed the whole message.
  std::string odd = crlf("Subject: x\nnot a field\nContent-Type: text/html\n\nbody\n");
  auto o = analyse(odd);
  ASSERT_TRUE(o) << o.message();
  EXPECT_EQ(o->body, "(\"TEXT\" \"HTML\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 6 1)");
  // A multipart type the look at the header's lines misses is still parsed whole.
  std::string folded = crlf(
      "Content-Type:\n multipart/mixed; boundary=b\n\n--b\n\none\n--b\n\ntwo\n--b--\n");
  auto f = analyse(folded);
  ASSERT_TRUE(f) << f.message();
  EXPECT_TRUE(f->root.multipart);
  EXPECT_EQ(f->root.parts.size(), 2u);
}

// A multipart without a boundary has no parts to find; its summary is the
// same every time, with no boundary made up for it.
TEST(Summary, AMultipartWithoutABoundaryIsSummarisedTheSameEachTime) {
  std::string m = crlf("Content-Type: multipart/mixed\n\n--b\n\none\n--b--\n");
  auto first = summarize(m), second = summarize(m);
  ASSERT_TRUE(first) << first.message();
  ASSERT_TRUE(second) << second.message();
  EXPECT_EQ(*first, *second);
  auto s = analyse(m);
  ASSERT_TRUE(s) << s.message();
  EXPECT_TRUE(s->root.multipart);
  EXPECT_TRUE(s->root.parts.empty());
  EXPECT_EQ(s->bodystructure.find("BOUNDARY"), std::string::npos) << s->bodystructure;
}

// GMime reads only the fields the summary uses; the others, folded or not, change nothing.
TEST(Summary, FieldsTheSummaryDoesNotReadAreLeftOut) {
  std::string m = crlf(
      "Received: from a\n"
      "\tby b; Mon, 7 Feb 1994 21:52:25 -0800\n"
      "content-type : text/html\n"
      "X-Folded:\n"
      " Subject: not this one\n"
      "Subject: this one\n"
      "DKIM-Signature: v=1;\n"
      "\tb=abc\n"
      "From: a@example.com\n"
      "\n"
      "body\n");
  auto s = analyse(m);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(s->subject, "this one");
  EXPECT_EQ(s->body, "(\"TEXT\" \"HTML\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 6 1)");
  EXPECT_EQ(s->envelope,
            "(NIL \"this one\" ((NIL NIL \"a\" \"example.com\")) ((NIL NIL \"a\" \"example.com\")) "
            "((NIL NIL \"a\" \"example.com\")) NIL NIL NIL NIL NIL)");
  ASSERT_TRUE(s->header);
  EXPECT_EQ(*s->header, m.substr(0, m.find("\r\n\r\n") + 4));  // the header kept is the whole
}

TEST(Summary, NestedParts) {
  auto s = analyse(kNested);
  ASSERT_TRUE(s) << s.message();
  ASSERT_TRUE(s->root.multipart);
  ASSERT_EQ(s->root.parts.size(), 3u);
  auto body = [&](std::vector<std::uint32_t> numbers) {
    const Part* p = find(s->root, numbers, nullptr);
    return p ? std::string(slice(kNested, p->body_begin, p->end)) : std::string("-");
  };
  EXPECT_EQ(body({1}), "first part");
  EXPECT_EQ(body({2, 1}), "plain");
  EXPECT_EQ(body({2, 2}), "PGI+aGk8L2I+");
  EXPECT_EQ(body({3}), "AAEC");
  EXPECT_EQ(body({4}), "-");
  EXPECT_EQ(body({1, 1}), "-");
  const Part* p2 = find(s->root, {2}, nullptr);
  ASSERT_TRUE(p2 && p2->message);
  EXPECT_TRUE(slice(kNested, p2->parts[0].header_begin, p2->parts[0].body_begin)
                  .starts_with("From: b@example.com"));
  const Part* html = find(s->root, {2, 2}, nullptr);
  EXPECT_EQ(html->encoding, "base64");
  EXPECT_EQ(slice(kNested, html->header_begin, html->body_begin),
            "Content-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\n");
  EXPECT_EQ(s->subject, "café");
  EXPECT_NE(s->bodystructure.find("\"MIXED\" (\"BOUNDARY\" \"outer\") NIL NIL NIL)"),
            std::string::npos);
  EXPECT_NE(s->bodystructure.find("(\"ATTACHMENT\" (\"FILENAME\" \"x.bin\"))"), std::string::npos);
  EXPECT_NE(s->bodystructure.find("\"MESSAGE\" \"RFC822\""), std::string::npos);
  EXPECT_NE(s->body.find("\"ALTERNATIVE\")"), std::string::npos);
}

TEST(Summary, SinglePartNumbers) {
  auto s = analyse(kSimple);
  ASSERT_TRUE(s);
  bool entity = false;
  EXPECT_EQ(find(s->root, {}, &entity), &s->root);
  EXPECT_TRUE(entity);
  EXPECT_EQ(find(s->root, {1}, &entity), &s->root);
  EXPECT_FALSE(entity);
  EXPECT_EQ(find(s->root, {2}, nullptr), nullptr);
}

TEST(Summary, Decode) {
  EXPECT_EQ(*decode("PGI+aGk8L2I+", "base64"), "<b>hi</b>");
  EXPECT_EQ(*decode("caf=C3=A9=\r\n!", "quoted-printable"), "caf\xc3\xa9!");
  EXPECT_EQ(*decode("as is", ""), "as is");
  EXPECT_FALSE(decode("x", "x-unknown"));
}

TEST(Summary, RoundTrip) {
  for (const std::string& m : {kSimple, kNested}) {
    auto s = analyse(m);
    ASSERT_TRUE(s);
    std::string text = serialize(*s);
    auto back = parse(text);
    ASSERT_TRUE(back) << back.message();
    EXPECT_EQ(back->envelope, s->envelope);
    EXPECT_EQ(back->bodystructure, s->bodystructure);
    EXPECT_EQ(serialize(*back), text);
    EXPECT_FALSE(parse(text.substr(0, text.size() - 1)));
  }
}

TEST(Summary, KeepsTheHeaderBlockUnlessHuge) {
  auto s = analyse(kSimple);
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->header);
  EXPECT_EQ(*s->header, slice(kSimple, s->root.header_begin, s->root.body_begin));
  auto back = parse(serialize(*s));
  ASSERT_TRUE(back) << back.message();
  EXPECT_EQ(back->header, s->header);

  // Older summaries, without the header, are still read: the header then comes from the blob.
  Summary v1 = *s;
  v1.header.reset();
  std::string text = serialize(v1);
  ASSERT_TRUE(text.starts_with("M1;"));
  auto old = parse(text);
  ASSERT_TRUE(old) << old.message();
  EXPECT_FALSE(old->header);

  // A cached header that does not match the root's header range is damage.
  Summary wrong = *s;
  wrong.header = "Subject: x\r\n\r\n";
  EXPECT_FALSE(parse(serialize(wrong)));

  std::string huge =
      "Subject: big\r\nX-Filler: " + std::string(kMaxCachedHeader, 'a') + "\r\n\r\nbody\r\n";
  auto big = analyse(huge);
  ASSERT_TRUE(big);
  EXPECT_FALSE(big->header);
  EXPECT_TRUE(parse(serialize(*big)));
}

TEST(Summary, EightBitAndGarbage) {
  std::string m = "Subject: caf\xc3\xa9\r\nFrom: \"J\xc3\xb6rg\" <j@example.com>\r\n\r\nx";
  auto s = analyse(m);
  ASSERT_TRUE(s);
  EXPECT_NE(s->envelope.find("{5}\r\ncaf\xc3\xa9"), std::string::npos);
  EXPECT_NE(s->envelope.find("=?"), std::string::npos);  // the name, encoded again
  auto back = parse(serialize(*s));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->envelope, s->envelope);
  for (std::string_view junk :
       {"", "\r\n", "no header at all", "Content-Type: multipart/mixed\r\n\r\n"}) {
    auto j = analyse(junk);
    if (j) {
      EXPECT_TRUE(parse(serialize(*j)));
    }
  }
  EXPECT_FALSE(parse("M1;3:abc"));
  EXPECT_FALSE(parse("garbage"));
}

}  // namespace
}  // namespace appliance::mime
