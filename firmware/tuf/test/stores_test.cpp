// NAME
//   stores_test.cpp - the metadata and target directories on disk.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "tuf/metadata_store.h"
#include "tuf/target_store.h"

namespace appliance::tuf {
namespace {

namespace fs = std::filesystem;

class TempDir : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "tuf-stores-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir = pattern;
  }
  void TearDown() override { fs::remove_all(dir); }

  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
  std::string read(const std::string& name) const {
    std::ifstream in(fs::path(dir) / name, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  std::string dir;
};

using MetadataDir = TempDir;
using TargetDir = TempDir;

TEST_F(MetadataDir, SavesLoadsAndRemovesUnderUnversionedNames) {
  auto store = DirectoryMetadataStore::open(dir);
  ASSERT_TRUE(store.ok()) << store.message();
  ASSERT_TRUE(store->save("root", "r1").ok());
  ASSERT_TRUE(store->save("timestamp", "t1").ok());
  ASSERT_TRUE(store->save("root", "r2").ok());
  EXPECT_EQ(names(), (std::vector<std::string>{"root.json", "timestamp.json"}));
  EXPECT_EQ(read("root.json"), "r2");
  EXPECT_EQ(**store->load("root", 100), "r2");
  EXPECT_FALSE(store->load("snapshot", 100)->has_value());
  ASSERT_TRUE(store->remove("timestamp").ok());
  ASSERT_TRUE(store->remove("timestamp").ok());  // already gone is fine
  EXPECT_EQ(names(), (std::vector<std::string>{"root.json"}));
}

TEST_F(MetadataDir, LoadIsBounded) {
  auto store = DirectoryMetadataStore::open(dir);
  ASSERT_TRUE(store->save("targets", std::string(1000, 'x')).ok());
  EXPECT_TRUE(store->load("targets", 1000).ok());
  auto r = store->load("targets", 999);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.message(), ::testing::HasSubstr("exceeds 999 bytes"));
}

TEST_F(MetadataDir, RoleNamesCannotEscapeTheDirectory) {
  auto store = DirectoryMetadataStore::open(dir + "/meta");
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->save("../escape", "x").ok());
  ASSERT_TRUE(store->save("a/b", "y").ok());
  EXPECT_EQ(names(), (std::vector<std::string>{"meta"}));
  EXPECT_TRUE(fs::exists(fs::path(dir) / "meta" / "..%2Fescape.json"));
  EXPECT_EQ(**store->load("a/b", 10), "y");
}

TEST_F(MetadataDir, DoesNotFollowSymlinks) {
  auto store = DirectoryMetadataStore::open(dir);
  { std::ofstream(fs::path(dir) / "secret") << "secret"; }
  fs::create_symlink(fs::path(dir) / "secret", fs::path(dir) / "root.json");
  EXPECT_FALSE(store->load("root", 100).ok());
  ASSERT_TRUE(store->save("root", "new").ok());  // replaces the link, not its target
  EXPECT_EQ(read("secret"), "secret");
  EXPECT_EQ(read("root.json"), "new");
}

TEST_F(TargetDir, CommitMakesTheFileAppearAtomically) {
  auto store = DirectoryTargetStore::open(dir);
  ASSERT_TRUE(store.ok());
  auto pending = store->create("images/a.img");
  ASSERT_TRUE(pending.ok());
  ASSERT_TRUE((*pending)->write("part1-").ok());
  ASSERT_TRUE((*pending)->write("part2").ok());
  EXPECT_EQ(names().size(), 1u);  // only the hidden temporary file
  EXPECT_EQ(names()[0].rfind(".images%2Fa.img.tmp-", 0), 0u);
  auto where = (*pending)->commit();
  ASSERT_TRUE(where.ok()) << where.message();
  EXPECT_EQ(*where, dir + "/images%2Fa.img");
  EXPECT_EQ(read("images%2Fa.img"), "part1-part2");
  EXPECT_EQ(names(), (std::vector<std::string>{"images%2Fa.img"}));
}

TEST_F(TargetDir, UncommittedDataIsDiscarded) {
  auto store = DirectoryTargetStore::open(dir);
  { std::ofstream(fs::path(dir) / "a.img") << "previous good image"; }
  {
    auto pending = store->create("a.img");
    ASSERT_TRUE((*pending)->write("bad").ok());
  }
  EXPECT_EQ(names(), (std::vector<std::string>{"a.img"}));
  EXPECT_EQ(read("a.img"), "previous good image");
}

}  // namespace
}  // namespace appliance::tuf
