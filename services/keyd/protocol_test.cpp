#include "keyd/protocol.h"

#include <gtest/gtest.h>

namespace appliance::keyd {
namespace {

ipc::Message frame_of(const Request& q) {
  ipc::Writer w = encode_request(q);
  auto m = ipc::decode(w.frame().substr(4));
  EXPECT_TRUE(m.ok());
  return *m;
}

TEST(KeydProtocol, SignRoundTrip) {
  Request q;
  q.type = ipc::Type::key_sign;
  q.key = "tls/mail.example.test";
  q.scheme = SignScheme::rsa_pss;
  q.data = std::string(32, 'd');
  auto back = decode_request(frame_of(q));
  ASSERT_TRUE(back.ok()) << back.message();
  EXPECT_EQ(back->key, q.key);
  EXPECT_EQ(back->scheme, SignScheme::rsa_pss);
  EXPECT_EQ(back->data, q.data);
}

TEST(KeydProtocol, CsrRoundTrip) {
  Request q;
  q.type = ipc::Type::key_csr;
  q.key = "tls/a/v1";
  q.extra = "a";
  q.dns_names = {"a", "b"};
  auto back = decode_request(frame_of(q));
  ASSERT_TRUE(back.ok()) << back.message();
  EXPECT_EQ(back->dns_names, q.dns_names);
}

TEST(KeydProtocol, RejectsUnknownScheme) {
  ipc::Writer w(ipc::Type::key_sign);
  w.str("tls/x").u8(9).bytes("d");
  auto back = decode_request(*ipc::decode(w.frame().substr(4)));
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.message(), "unknown signature scheme 9");
}

TEST(KeydProtocol, RejectsTrailingAndOversized) {
  ipc::Writer w(ipc::Type::key_public);
  w.str("tls/x").u8(0);
  EXPECT_EQ(decode_request(*ipc::decode(w.frame().substr(4))).message(),
            "key_public: 1 trailing bytes after 1 fields");
  ipc::Writer big(ipc::Type::key_sign);
  big.str("tls/x").u8(1).bytes(std::string(kMaxInput + 1, 'x'));
  EXPECT_EQ(decode_request(*ipc::decode(big.frame().substr(4))).message(),
            "key_sign: field 3: 1025 bytes exceed the limit of 1024");
}

TEST(KeydProtocol, RejectsRepliesAsRequests) {
  ipc::Writer w(ipc::Type::health_reply);
  EXPECT_EQ(decode_request(*ipc::decode(w.frame().substr(4))).message(),
            "health_reply is not a keyd request");
}

}  // namespace
}  // namespace appliance::keyd
