// NAME
//   blob_seal_test - sealing round trips; every kind of damage is named.
#include "store/blob_seal.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <vector>

namespace appliance::store {
namespace {

AccountKeys keys(char c) {
  return AccountKeys::derive(Secret(std::string(32, c))).value();
}

struct Sealed {
  std::string header, id;
  std::uint64_t size = 0;
  std::vector<std::string> chunks;
};

Sealed seal(const AccountKeys& k, std::string_view plain, std::size_t piece = 1000) {
  Sealed out;
  auto s = BlobSealer::start(k).value();
  auto keep = [&](std::string_view c) -> Result<void> {
    out.chunks.emplace_back(c);
    return {};
  };
  for (std::size_t at = 0; at < plain.size(); at += piece)
    EXPECT_TRUE(s.write(plain.substr(at, piece), keep).ok());
  EXPECT_TRUE(s.finish(keep).ok());
  out.header = s.header(), out.id = s.id(), out.size = s.size();
  return out;
}

Result<std::string> open(const AccountKeys& k, const Sealed& s) {
  auto o = BlobOpener::start(k, s.header, s.id, s.size);
  if (!o) return o.error();
  std::string plain;
  auto sink = [&](std::string_view p) -> Result<void> {
    plain += p;
    return {};
  };
  for (std::size_t i = 0; i < s.chunks.size(); ++i)
    if (auto r = o->chunk(s.chunks[i], i + 1 == s.chunks.size(), sink); !r) return r.error();
  if (auto r = o->finish(); !r) return r.error();
  return plain;
}

// Random-looking bytes do not compress, so this makes several chunks.
std::string noise(std::size_t n) {
  std::string s(n, '\0');
  std::uint32_t x = 12345;
  for (auto& c : s) c = static_cast<char>((x = x * 1103515245 + 12345) >> 16);
  return s;
}

TEST(BlobSeal, RoundTripsEmptySmallAndLarge) {
  auto k = keys('a');
  // Up to kChunkSize bytes are compressed as one frame of known size, beyond as a stream.
  for (const std::string& plain :
       {std::string(), std::string("hello"), noise(kChunkSize), noise(kChunkSize + 1),
        noise(300000), std::string(5 << 20, 'x')}) {
    auto s = seal(k, plain, 7777);
    auto back = open(k, s);
    ASSERT_TRUE(back.ok()) << back.message();
    EXPECT_EQ(*back, plain);
  }
  EXPECT_GT(seal(k, noise(300000)).chunks.size(), 4u);
  EXPECT_EQ(seal(k, std::string(5 << 20, 'x')).chunks.size(), 1u);  // compressed
}

TEST(BlobSeal, AddressIsPerAccountAndNeverThePlaintextHash) {
  auto a = seal(keys('a'), "same mail"), a2 = seal(keys('a'), "same mail");
  auto b = seal(keys('b'), "same mail");
  EXPECT_EQ(a.id, a2.id);          // content-addressed within an account
  EXPECT_NE(a.id, b.id);           // two accounts' copies are not linkable
  EXPECT_NE(a.header, a2.header);  // fresh salt: a new key per blob
}

TEST(BlobSeal, SealedBytesHoldNoPlaintext) {
  std::string plain = "MARKER-7f3a " + std::string(1000, 'z');
  auto s = seal(keys('a'), plain);
  for (const auto& c : s.chunks) EXPECT_EQ(c.find("MARKER-7f3a"), std::string::npos);
}

TEST(BlobSeal, DamageIsNamed) {
  auto k = keys('a');
  auto good = seal(k, noise(200000));
  ASSERT_GE(good.chunks.size(), 3u);

  auto flipped = good;
  flipped.chunks[1][10] ^= 1;
  EXPECT_EQ(open(k, flipped).message(), "chunk 1: authentication failed");

  auto cut = good;
  cut.chunks.pop_back();
  EXPECT_EQ(open(k, cut).message(),
            fmt::format("truncated: chunk {} is not the final chunk", cut.chunks.size() - 1));

  auto swapped = good;
  std::swap(swapped.chunks[0], swapped.chunks[1]);
  EXPECT_EQ(open(k, swapped).message(), "chunk 0: authentication failed");

  auto other_key = open(keys('b'), good);
  EXPECT_EQ(other_key.message(), "chunk 0: authentication failed");

  auto wrong_id = good;
  wrong_id.id[0] ^= 1;
  EXPECT_EQ(open(k, wrong_id).message(), "content does not match its address");

  auto wrong_size = good;
  wrong_size.size -= 1;
  EXPECT_EQ(open(k, wrong_size).message(), "blob is longer than its recorded 199999 bytes");

  auto bad_header = good;
  bad_header.header[0] = 'X';
  EXPECT_EQ(open(k, bad_header).message(), "blob header has no ASB1 magic");
}

TEST(BlobSeal, SmallValuesAreBoundToWhereTheyBelong) {
  auto k = keys('a');
  auto sealed = seal_value(k, "Subject: hello", "message 1").value();
  EXPECT_EQ(open_value(k, sealed, "message 1").value(), "Subject: hello");
  EXPECT_EQ(open_value(k, sealed, "message 2").message(), "authentication failed");
  EXPECT_EQ(open_value(k, "short", "message 1").message(), "sealed value is too short");
}

}  // namespace
}  // namespace appliance::store
