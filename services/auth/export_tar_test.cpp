// NAME
//   export_tar_test.cpp - the export as a ustar archive: headers and their
//   checksums, sizes and padding, long paths through pax, the bound.
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

TEST(TarExport, FilesAndFoldersBecomeUstarEntries) {
  TarExport tar(1 << 20, 1700000000);
  ASSERT_TRUE(tar.open("account.json"));
  ASSERT_TRUE(tar.write("{\"a\":"));
  ASSERT_TRUE(tar.write("1}\n"));
  ASSERT_TRUE(tar.close());
  ASSERT_TRUE(tar.folder("mail/INBOX/new"));
  auto archive = tar.finish();
  ASSERT_TRUE(archive) << archive.message();
  ASSERT_EQ(archive->size(), 512u + 512u + 512u + 1024u);
  std::string file = archive->substr(0, 512);
  expect_valid_header(file);
  EXPECT_EQ(file.substr(0, 13), std::string("account.json\0", 13));
  EXPECT_EQ(file[156], '0');
  EXPECT_EQ(octal_field(file, 124, 12), 8u);
  EXPECT_EQ(octal_field(file, 100, 8), 0600u);
  EXPECT_EQ(octal_field(file, 136, 12), 1700000000u);
  EXPECT_EQ(archive->substr(512, 9), std::string("{\"a\":1}\n\0", 9));
  std::string dir = archive->substr(1024, 512);
  expect_valid_header(dir);
  EXPECT_EQ(dir[156], '5');
  EXPECT_EQ(dir.substr(0, 15), "mail/INBOX/new/");
  EXPECT_EQ(archive->substr(1536), std::string(1024, '\0'));
}

TEST(TarExport, LongPathsGetAPaxHeader) {
  std::string long_name = "mail/" + std::string(120, 'x') + ".mbox";  // no slash fits the split
  std::string split = "mail/" + std::string(60, 'y') + "/" + std::string(80, 'z') + ".mbox";
  TarExport tar(1 << 20, 0);
  for (const std::string& path : {long_name, split}) {
    ASSERT_TRUE(tar.open(path));
    ASSERT_TRUE(tar.write("x"));
    ASSERT_TRUE(tar.close());
  }
  std::string a = tar.finish().value();
  expect_valid_header(a.substr(0, 512));
  EXPECT_EQ(a[156], 'x');
  std::string record = " path=" + long_name + "\n";
  EXPECT_NE(a.find(std::to_string(record.size() + 3) + record), std::string::npos);
  EXPECT_EQ(a[1024 + 156], '0');
  std::size_t second = 1024 + 512 + 512;
  expect_valid_header(a.substr(second, 512));
  EXPECT_EQ(a.substr(second + 345, 65), "mail/" + std::string(60, 'y'));  // the prefix field
}

TEST(TarExport, RefusesPathsThatLeaveAndGrowthPastTheLimit) {
  TarExport tar(4096, 0);
  EXPECT_FALSE(tar.open("../x"));
  EXPECT_FALSE(tar.folder("/etc"));
  ASSERT_TRUE(tar.open("big"));
  EXPECT_FALSE(tar.write(std::string(5000, 'a')));
  EXPECT_TRUE(tar.too_large());
  EXPECT_FALSE(tar.write("a"));
}

}  // namespace
}  // namespace appliance::auth
