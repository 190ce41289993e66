// NAME
//   export_tar_test.cpp - the export as a ustar stream: headers and their
//   checksums, sizes and padding, long paths and large sizes through pax,
//   files that do not match their announced size.
#include "auth/export_tar.h"

#include <gtest/gtest.h>

namespace appliance::auth {
namespace {

std::uint64_t octal_field(const std::string& block, std::size_t at, std::size_t width) {
  return std::stoull(block.substr(at, width - 1), nullptr, 8);
}

void expect_valid_header(const std::string& h) {
  ASSERT_EQ(h.size(), 512u);
  unsigned sum = 0;
  for (std::size_t i = 0; i < 512; ++i)
    sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(h[i]);
  EXPECT_EQ(octal_field(h, 148, 7), sum);
  EXPECT_EQ(h.substr(257, 8), std::string("ustar\0"
                                          "00",
                                          8));
}

// A stream into a string.
struct Archive {
  std::string bytes;
  TarStream tar{[this](std::string_view b) {
                  bytes.append(b);
                  return Result<void>();
                },
                1700000000};
};

TEST(TarStream, FilesAndFoldersBecomeUstarEntries) {
  Archive a;
  ASSERT_TRUE(a.tar.open("account.json", 8));
  ASSERT_EQ(a.bytes.size(), 512u) << "the header goes out at once";
  ASSERT_TRUE(a.tar.write("{\"a\":"));
  ASSERT_TRUE(a.tar.write("1}\n"));
  ASSERT_TRUE(a.tar.close());
  ASSERT_TRUE(a.tar.folder("mail/INBOX/new"));
  ASSERT_TRUE(a.tar.finish());
  const std::string& archive = a.bytes;
  ASSERT_EQ(archive.size(), 512u + 512u + 512u + 1024u);
  std::string file = archive.substr(0, 512);
  expect_valid_header(file);
  EXPECT_EQ(file.substr(0, 13), std::string("account.json\0", 13));
  EXPECT_EQ(file[156], '0');
  EXPECT_EQ(octal_field(file, 124, 12), 8u);
  EXPECT_EQ(octal_field(file, 100, 8), 0600u);
  EXPECT_EQ(octal_field(file, 136, 12), 1700000000u);
  EXPECT_EQ(archive.substr(512, 9), std::string("{\"a\":1}\n\0", 9));
  std::string dir = archive.substr(1024, 512);
  expect_valid_header(dir);
  EXPECT_EQ(dir[156], '5');
  EXPECT_EQ(dir.substr(0, 15), "mail/INBOX/new/");
  EXPECT_EQ(archive.substr(1536), std::string(1024, '\0'));
}

TEST(TarStream, LongPathsAndLargeSizesGetAPaxHeader) {
  std::string long_name = "mail/" + std::string(120, 'x') + ".mbox";  // no slash fits the split
  std::string split = "mail/" + std::string(60, 'y') + "/" + std::string(80, 'z') + ".mbox";
  Archive a;
  for (const std::string& path : {long_name, split}) {
    ASSERT_TRUE(a.tar.open(path, 1));
    ASSERT_TRUE(a.tar.write("x"));
    ASSERT_TRUE(a.tar.close());
  }
  const std::string& s = a.bytes;
  expect_valid_header(s.substr(0, 512));
  EXPECT_EQ(s[156], 'x');
  std::string record = " path=" + long_name + "\n";
  EXPECT_NE(s.find(std::to_string(record.size() + 3) + record), std::string::npos);
  EXPECT_EQ(s[1024 + 156], '0');
  std::size_t second = 1024 + 512 + 512;
  expect_valid_header(s.substr(second, 512));
  EXPECT_EQ(s.substr(second + 345, 65), "mail/" + std::string(60, 'y'));  // the prefix field

  Archive big;
  std::uint64_t size = std::uint64_t{9} << 30;
  ASSERT_TRUE(big.tar.open("mail/INBOX.mbox", size));
  EXPECT_EQ(big.bytes[156], 'x');
  EXPECT_NE(big.bytes.find("size=" + std::to_string(size) + "\n"), std::string::npos);
}

TEST(TarStream, RefusesPathsThatLeaveAndBytesThatDoNotMatchTheSize) {
  Archive a;
  EXPECT_FALSE(a.tar.open("../x", 1));
  EXPECT_FALSE(a.tar.folder("/etc"));
  EXPECT_FALSE(a.tar.open("unsized", std::nullopt));
  ASSERT_TRUE(a.tar.open("four", 4));
  EXPECT_FALSE(a.tar.write("fives"));
  ASSERT_TRUE(a.tar.write("abc"));
  EXPECT_FALSE(a.tar.close()) << "one byte short";
}

}  // namespace
}  // namespace appliance::auth
