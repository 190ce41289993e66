// NAME
//   simple_header_test.cpp - which headers take the simple path, and that its
//   summaries are GMime's.
#include "proto/mime/simple_header.h"

#include <gtest/gtest.h>

#include "proto/mime/summary.h"

namespace appliance::mime {
namespace {

// What smtpd stores of a message from a plain client, and what a mail
// program sends: trace fields, folded lists, MIME fields with parameters.
const std::string kMessages[] = {
    "Received: from client.test (client.test [127.0.0.1])\r\n"
    "\tby mail.b.test with ESMTPS id 7A1B; Mon, 23 Nov 2026 10:00:00 +0000\r\n"
    "Authentication-Results: mail.b.test; spf=pass smtp.mailfrom=client.test\r\n"
    "From: <sender@client.test>\r\n"
    "To: <bob@b.test>\r\n"
    "Date: Mon, 23 Nov 2026 10:00:00 +0000 (UTC)\r\n"
    "Message-Id: <20261123.1@client.test>\r\n"
    "\r\n"
    "La de da de da 1.\r\n",

    "Date: Mon, 7 Feb 1994 21:52:25 -0800\r\n"
    "From: Fred Foobar <foobar@Blurdybloop.example>\r\n"
    "Subject: afternoon\r\n meeting\r\n"
    "To: mooch@owatagu.example,\r\n \"Doe, Jane\" <jane@owatagu.example>,\r\n\tsales: a@b.test, "
    "c@d.test;\r\n"
    "Cc: <cc@x.test>\r\n"
    "Reply-To: list@x.test\r\n"
    "Message-ID: <B27397-0100000@Blurdybloop.example>\r\n"
    "In-Reply-To: <earlier@x.test>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=\"utf-8\"; format=flowed\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "Content-Language: en, de\r\n"
    "\r\n"
    "Hello Joe, do you think we can meet at 3:30 tomorrow?=20\r\n",

    "From: a@b.test\r\n"
    "Content-Type: application/pdf;\r\n name=\"report.pdf\"\r\n"
    "Content-Disposition: attachment; filename=\"report.pdf\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "Content-ID: <part1@x.test>\r\n"
    "\r\n"
    "JVBERi0xLjQK\r\n",

    "From: =?UTF-8?Q?J=C3=B6rg_M=C3=BCller?= <joerg@x.test>\r\n"
    "To: =?iso-8859-1?q?Ren=E9?= <rene@y.test>, b@y.test\r\n"
    "Subject: =?UTF-8?B?R3LDvN9l?= und\r\n =?UTF-8?Q?Tsch=C3=BCss?=\r\n"
    "\r\n"
    "body\r\n",
};

TEST(SimpleHeader, TheSummaryIsGMimes) {
  for (const std::string& m : kMessages) {
    std::size_t end = m.find("\r\n\r\n") + 4;
    ASSERT_TRUE(simple_fields(m.substr(0, end))) << m;
    auto fast = analyse(m);
    auto gmime = testing::analyse_with_gmime(m);
    ASSERT_TRUE(fast && gmime) << m;
    EXPECT_EQ(serialize(*fast), serialize(*gmime)) << m;
    EXPECT_FALSE(fast->envelope.empty());
  }
}

TEST(SimpleHeader, FieldsUnfoldedAndTrimmed) {
  auto f = simple_fields("Subject:  two\r\n  lines \r\nX-Other: x\r\nTO:\tbob@b.test\r\n\r\n");
  ASSERT_TRUE(f);
  ASSERT_TRUE(f->get("subject") && f->get("to"));
  EXPECT_EQ(f->get("subject")->value, "two  lines");
  EXPECT_EQ(f->get("subject")->folded, "two\r\n  lines") << "folds kept for the address parser";
  EXPECT_EQ(f->get("to")->value, "bob@b.test");
  EXPECT_EQ(f->get("x-other"), nullptr) << "only the summarised fields";
}

TEST(SimpleHeader, AnythingElseIsLeftToGMime) {
  const char* refused[] = {
      "Subject: bare LF\n\r\n",                           // a line end other than CRLF
      "Subject: bare\rCR\r\n\r\n",                        //
      "Subject: caf\xc3\xa9\r\n\r\n",                     // 8-bit
      "Subject : spaced\r\n\r\n",                         // a space before the colon
      " continued\r\nSubject: x\r\n\r\n",                 // a continuation first
      "not a field\r\n\r\n",                              // no colon
      ": no name\r\n\r\n",                                //
      "To: a@b.test\r\nto: c@d.test\r\n\r\n",             // twice
      "Content-Description: =?utf-8?q?caf=C3=A9?=\r\n\r\n",  // an encoded word elsewhere
      "From: a@b.test (Alice)\r\n\r\n",                   // a comment in an address field
      "Subject: no blank line\r\n",                       //
      "Subject: x\r\n\r\nSubject: after the header\r\n",  // not a header block
  };
  for (std::string_view h : refused) EXPECT_FALSE(simple_fields(h)) << h;
  constexpr char kNul[] = "Subject: nul\0x\r\n\r\n";  // a control character
  EXPECT_FALSE(simple_fields(std::string_view(kNul, sizeof kNul - 1)));
  EXPECT_FALSE(simple_fields("Subject: esc\x1b\r\n\r\n"));
  EXPECT_TRUE(simple_fields("Subject: (parens) are fine here\r\n\r\n"));
  EXPECT_TRUE(simple_fields("\r\n")) << "an empty header";
}

TEST(SimpleHeader, PlainMailboxes) {
  auto m = plain_mailbox("<Alice.B+tag@Mail-1.Example>");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->local, "Alice.B+tag");
  EXPECT_EQ(m->domain, "Mail-1.Example");
  EXPECT_TRUE(plain_mailbox("a@b"));
  for (const char* v :
       {"Alice <a@b.test>", "a@b.test, c@d.test", "<a@b.test", "a@b@c", "a..b@c", ".a@b", "a@b.",
        "a@xn--bcher-kva.test", "\"a\"@b.test", "a@[1.2.3.4]", "@b", "a@", "a b@c"})
    EXPECT_FALSE(plain_mailbox(v)) << v;
}

TEST(SimpleHeader, AMultipartOrMessageTypeTakesGMimesWholeParse) {
  std::string m = "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\none\r\n--b--\r\n";
  auto s = analyse(m);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->root.multipart);
  EXPECT_EQ(serialize(*s), serialize(*testing::analyse_with_gmime(m)));
}

}  // namespace
}  // namespace appliance::mime
