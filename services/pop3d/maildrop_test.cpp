// NAME
//   maildrop_test.cpp - the INBOX snapshot, RETR and TOP streamed from a real
//   SQLite store, and the UPDATE state.
#include "pop3d/maildrop.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "store/testing/fixture.h"

namespace appliance::pop3d {
namespace {

// Collects a streamed answer.
struct Collected : Stream {
  void begin(std::string t) override { text = std::move(t), ++begun; }
  bool piece(std::string d) override {
    data += d, ++pieces;
    return pieces < stop_after;
  }
  void end() override { ++ended; }
  void abort(std::string why) override { aborted = std::move(why); }
  std::string text, data, aborted;
  int begun = 0, pieces = 0, ended = 0, stop_after = 1 << 30;
};

class MaildropTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    t_ = tenant("example");
    std::tie(alice_, inbox_) = account(*t_, "alice@example.test");
  }
  store::Message add(std::string_view body) { return put(*t_, alice_, inbox_, body).value(); }
  Maildrop open() {
    auto m = Maildrop::open(t_, alice_.id);
    EXPECT_TRUE(m.ok()) << m.message();
    return std::move(*m);
  }

  std::shared_ptr<store::TenantStore> t_;
  store::Account alice_;
  store::Mailbox inbox_;
};

const std::string kFirst = "Subject: one\r\n\r\nline 1\r\n.dot\r\nline 3\r\n";
const std::string kSecond = "Subject: two\r\n\r\nbody\r\n";

TEST_F(MaildropTest, ListingsOfTheSnapshotAtLogin) {
  add(kFirst);
  add(kSecond);
  Maildrop m = open();
  add("Subject: later\r\n\r\n");  // not seen until the next login
  EXPECT_EQ(m.stat().text, fmt::format("2 {}", kFirst.size() + kSecond.size()));
  auto list = m.list(std::nullopt);
  EXPECT_EQ(list.text, fmt::format("2 messages ({} octets)", kFirst.size() + kSecond.size()));
  EXPECT_EQ(*list.data, fmt::format("1 {}\r\n2 {}\r\n", kFirst.size(), kSecond.size()));
  EXPECT_EQ(m.list(2).text, fmt::format("2 {}", kSecond.size()));
  EXPECT_EQ(m.list(3).text, "No message 3; the maildrop has 2");
  EXPECT_FALSE(m.list(0).ok);
  std::string uidl = fmt::format("{:08X}{:08X}", 2, inbox_.uidvalidity);
  EXPECT_EQ(m.uidl(2).text, "2 " + uidl);
  EXPECT_EQ(m.uidl(std::nullopt).data->substr(20), "2 " + uidl + "\r\n");
}

TEST_F(MaildropTest, DeleMarksAndRsetUnmarks) {
  add(kFirst);
  add(kSecond);
  Maildrop m = open();
  EXPECT_EQ(m.dele(1).text, "Message 1 deleted");
  EXPECT_EQ(m.dele(1).text, "Message 1 is deleted");
  EXPECT_EQ(m.stat().text, fmt::format("1 {}", kSecond.size()));
  EXPECT_FALSE(m.list(1).ok);
  EXPECT_EQ(*m.uidl(std::nullopt).data, fmt::format("2 {}\r\n", m.unique_id({0, 2, 0, false})));
  Collected out;
  EXPECT_FALSE(m.retrieve(1, std::nullopt, out)->ok);
  EXPECT_EQ(m.rset().text, fmt::format("Maildrop has 2 messages ({} octets)",
                                       kFirst.size() + kSecond.size()));
  EXPECT_EQ(m.update().text, "Bye");  // nothing marked: nothing removed
  EXPECT_EQ(t_->messages(alice_.id, inbox_.id)->size(), 2u);
}

TEST_F(MaildropTest, RetrAndTopStreamTheMessage) {
  add(kFirst);
  Maildrop m = open();
  Collected retr;
  EXPECT_FALSE(m.retrieve(1, std::nullopt, retr));
  EXPECT_EQ(retr.text, fmt::format("{} octets", kFirst.size()));
  EXPECT_EQ(retr.data, kFirst);
  EXPECT_EQ(retr.ended, 1);
  Collected top;
  EXPECT_FALSE(m.retrieve(1, 1, top));
  EXPECT_EQ(top.data, "Subject: one\r\n\r\nline 1\r\n");
  EXPECT_EQ(top.ended, 1);
}

TEST_F(MaildropTest, ALargeMessageComesInPiecesAndTopStopsEarly) {
  std::string body = "Subject: big\r\n\r\n";
  for (int i = 0; body.size() < (1u << 20); ++i) body += fmt::format("line {:07}\r\n", i);
  add(body);
  Maildrop m = open();
  Collected retr;
  EXPECT_FALSE(m.retrieve(1, std::nullopt, retr));
  EXPECT_EQ(retr.data, body);
  EXPECT_GT(retr.pieces, 4);
  Collected top;
  EXPECT_FALSE(m.retrieve(1, 2, top));
  EXPECT_EQ(top.data, "Subject: big\r\n\r\nline 0000000\r\nline 0000001\r\n");
  EXPECT_EQ(top.pieces, 1);  // the read stopped with the first piece
}

TEST_F(MaildropTest, AClientGoneStopsTheRead) {
  std::string body;
  for (int i = 0; body.size() < (1u << 20); ++i) body += fmt::format("line {:07}\r\n", i);
  add(body);
  Maildrop m = open();
  Collected out;
  out.stop_after = 2;
  EXPECT_FALSE(m.retrieve(1, std::nullopt, out));
  EXPECT_EQ(out.pieces, 2);
  EXPECT_EQ(out.ended, 0);
  EXPECT_EQ(out.aborted, "");
}

TEST_F(MaildropTest, EmptyMessage) {
  add("");
  Maildrop m = open();
  Collected out;
  EXPECT_FALSE(m.retrieve(1, std::nullopt, out));
  EXPECT_EQ(out.text, "0 octets");
  EXPECT_EQ(out.ended, 1);
}

TEST_F(MaildropTest, QuitRemovesOnlyWhatWasMarkedAndDurably) {
  auto m1 = add(kFirst);
  auto m2 = add(kSecond);
  auto m3 = add("Subject: three\r\n\r\n");
  ASSERT_TRUE(t_->set_flags(alice_.id, m2.id, store::kDeleted, 0).ok());  // an IMAP client's
  {
    Maildrop m = open();
    m.dele(1);
    m.dele(3);
    EXPECT_EQ(m.update().text, "Bye; 2 messages deleted");
  }
  t_.reset();
  reopen();
  auto again = store_->tenant(1).value();
  auto left = again->messages(alice_.id, inbox_.id).value();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].id, m2.id);
  (void)m1, (void)m3;
}

TEST_F(MaildropTest, AMessageRemovedByAnotherClient) {
  auto m1 = add(kFirst);
  add(kSecond);
  Maildrop m = open();
  ASSERT_EQ(*t_->remove(alice_.id, inbox_.id, {m1.uid}), 1u);  // an IMAP expunge meanwhile
  Collected out;
  auto refused = m.retrieve(1, std::nullopt, out);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->text, "Message 1 was removed by another client");
  EXPECT_EQ(out.begun, 0);
  m.dele(1);
  m.dele(2);
  EXPECT_TRUE(m.update().ok);  // the gone one is skipped
  EXPECT_TRUE(t_->messages(alice_.id, inbox_.id)->empty());
}

TEST_F(MaildropTest, AnAccountWithoutInboxIsRefused) {
  auto bob = t_->create_account("bob@example.test").value();
  EXPECT_EQ(Maildrop::open(t_, bob.id).message(), fmt::format("account {} has no INBOX", bob.id));
}

}  // namespace
}  // namespace appliance::pop3d
