// NAME
//   mbox_test.cpp - mboxrd output: From lines, quoting, line ends, chunking.
#include "proto/mime/mbox.h"

#include <gtest/gtest.h>

namespace appliance::mime {
namespace {

std::string whole(const std::string& message, std::size_t chunk) {
  MailFileWriter w(MailFile::mbox);
  std::string out = w.begin(0);
  for (std::size_t i = 0; i < message.size(); i += chunk) out += w.add(message.substr(i, chunk));
  return out + w.end();
}

TEST(Mbox, FromLineQuotingAndLineEnds) {
  std::string message =
      "Subject: hi\r\n\r\nFrom here on\r\n>From quoted\r\n>>From twice\r\nFrom:no\r\nlast";
  std::string expected =
      "From MAILER-DAEMON Thu Jan  1 00:00:00 1970\n"
      "Subject: hi\n\n>From here on\n>>From quoted\n>>>From twice\nFrom:no\nlast\n\n";
  for (std::size_t chunk : {1u, 2u, 3u, 7u, 4096u}) EXPECT_EQ(whole(message, chunk), expected) << chunk;
}

TEST(Mbox, CarriageReturnCutFromItsLineFeedAcrossChunks) {
  MailFileWriter w(MailFile::mbox);
  w.begin(0);
  std::string out = w.add("a\r");
  out += w.add("\nb\r\n");
  out += w.end();
  EXPECT_EQ(out, "a\nb\n\n");
}

TEST(Mbox, MaildirFilesAreTheMessageWithLfAndNoQuoting) {
  MailFileWriter w(MailFile::maildir);
  std::string out = w.begin(0);
  out += w.add("Subject: x\r\n\r\nFrom me\r");
  out += w.add("\nend");
  out += w.end();
  EXPECT_EQ(out, "Subject: x\n\nFrom me\nend\n");
}

TEST(Mbox, MaildirNamesCarryTheFlagsInOrder) {
  EXPECT_EQ(maildir_name(1700000000, 7, 0), "1700000000.7.export:2,");
  EXPECT_EQ(maildir_name(1700000000, 7, 1 | 2 | 4 | 8 | 16), "1700000000.7.export:2,DFRST");
}

}  // namespace
}  // namespace appliance::mime
