#include "common/ipc.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

namespace appliance::ipc {
namespace {

std::string payload(Writer& w) { return w.frame().substr(4); }

TEST(Ipc, RoundTrip) {
  Writer w(Type::health_reply);
  w.boolean(true).str("keyd").u32(7).u64(1ull << 40).u16(65535).u8(9);
  auto m = decode(payload(w));
  ASSERT_TRUE(m.ok()) << m.message();
  EXPECT_EQ(m->type, Type::health_reply);
  Reader r(m->body);
  EXPECT_TRUE(r.boolean());
  EXPECT_EQ(r.str(16), "keyd");
  EXPECT_EQ(r.u32(), 7u);
  EXPECT_EQ(r.u64(), 1ull << 40);
  EXPECT_EQ(r.u16(), 65535);
  EXPECT_EQ(r.u8(), 9);
  EXPECT_TRUE(r.end().ok());
}

TEST(Ipc, RejectsTrailingBytes) {
  Writer w(Type::health_reply);
  w.boolean(true).str("keyd").str("extra");
  auto m = decode(payload(w));
  Reader r(m->body);
  r.boolean();
  r.str(16);
  auto end = r.end();
  ASSERT_FALSE(end.ok());
  EXPECT_EQ(end.message(), "9 trailing bytes after 2 fields");
}

TEST(Ipc, RejectsTruncated) {
  Writer w(Type::health_reply);
  w.boolean(true).str("keyd");
  std::string body = decode(payload(w))->body;
  body.pop_back();
  Reader r(body);
  r.boolean();
  EXPECT_EQ(r.str(16), "");
  r.u32();  // further reads stay failed
  auto end = r.end();
  ASSERT_FALSE(end.ok());
  EXPECT_EQ(end.message(), "truncated message: field 2 (bytes) needs 4 bytes, 3 left");
}

TEST(Ipc, RejectsOverlongField) {
  Writer w(Type::error);
  w.str(std::string(100, 'x'));
  auto m = decode(payload(w));
  Reader r(m->body);
  r.str(99);
  EXPECT_EQ(r.end().message(), "field 1: 100 bytes exceed the limit of 99");
}

TEST(Ipc, RejectsBadBoolean) {
  Writer w(Type::error);
  w.u8(2);
  auto m = decode(payload(w));
  Reader r(m->body);
  r.boolean();
  EXPECT_EQ(r.end().message(), "field 1: boolean with value 2");
}

TEST(Ipc, RejectsUnknownTypeAndVersion) {
  EXPECT_EQ(decode(std::string("\x00\x01\x7f\x7f", 4)).message(), "unknown message type 32639");
  EXPECT_EQ(decode(std::string("\x00\x02\x00\x01", 4)).message(),
            "protocol version 2 not supported (want 1)");
  EXPECT_EQ(decode(std::string("\x00\x01", 2)).message(),
            "frame of 2 bytes is shorter than its header");
}

TEST(Ipc, DecoderReassemblesAndLimits) {
  Writer a(Type::health_request), b(Type::status_request);
  std::string stream = a.frame() + b.frame();
  FrameDecoder d;
  for (char c : stream) d.feed(std::string_view(&c, 1));
  auto first = d.next();
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->type, Type::health_request);
  auto second = d.next();
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->type, Type::status_request);
  auto none = d.next();
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  FrameDecoder small(16);
  small.feed(std::string("\x00\x00\x01\x00", 4));
  EXPECT_EQ(small.next().message(), "frame of 256 bytes exceeds the limit of 16");
  FrameDecoder tiny;
  tiny.feed(std::string("\x00\x00\x00\x02xx", 6));
  EXPECT_EQ(tiny.next().message(), "frame of 2 bytes is shorter than its header");
}

TEST(Ipc, PeerCredentialsOfSocketPair) {
  int sv[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  auto cred = peer_credentials(sv[0]);
  ASSERT_TRUE(cred.ok()) << cred.message();
  EXPECT_EQ(cred->pid, getpid());
  EXPECT_EQ(cred->uid, getuid());
  close(sv[0]);
  close(sv[1]);
}

}  // namespace
}  // namespace appliance::ipc
