// NAME
//   delegations_test.cpp - path patterns, hash prefixes, and the pre-order
//   depth-first search with terminating delegations and channels.
#include "tuf/delegations.h"

#include "tuf/digest.h"
#include "tuf/test/fixture.h"

namespace appliance::tuf::testing {
namespace {

using ::testing::Contains;
using ::testing::Not;

TEST(PathPattern, SpecificationExamples) {
  EXPECT_TRUE(match_path_pattern("targets/*.tgz", "targets/foo.tgz"));
  EXPECT_TRUE(match_path_pattern("targets/*.tgz", "targets/bar.tgz"));
  EXPECT_FALSE(match_path_pattern("targets/*.tgz", "targets/foo.txt"));
  EXPECT_TRUE(match_path_pattern("foo-version-?.tgz", "foo-version-2.tgz"));
  EXPECT_TRUE(match_path_pattern("foo-version-?.tgz", "foo-version-a.tgz"));
  EXPECT_FALSE(match_path_pattern("foo-version-?.tgz", "foo-version-alpha.tgz"));
  EXPECT_TRUE(match_path_pattern("*.tgz", "foo.tgz"));
  EXPECT_FALSE(match_path_pattern("*.tgz", "targets/foo.tgz"));
  EXPECT_TRUE(match_path_pattern("foo.tgz", "foo.tgz"));
  EXPECT_FALSE(match_path_pattern("foo.tgz", "foo.tgzx"));
}

TEST(PathPattern, WildcardsNeverCrossSlashes) {
  EXPECT_FALSE(match_path_pattern("*", "a/b"));
  EXPECT_TRUE(match_path_pattern("*/*", "a/b"));
  EXPECT_TRUE(match_path_pattern("a/*/c", "a/anything/c"));
  EXPECT_FALSE(match_path_pattern("a/*/c", "a/x/y/c"));
  EXPECT_FALSE(match_path_pattern("a?b", "a/b"));
  EXPECT_TRUE(match_path_pattern("*", ""));
  EXPECT_TRUE(match_path_pattern("**", "abc"));
  EXPECT_TRUE(match_path_pattern("a*b*c", "aXXbYYbc"));
  EXPECT_FALSE(match_path_pattern("a*b*c", "aXXbYYbcd"));
}

TEST(PathPattern, CharacterSets) {
  EXPECT_TRUE(match_path_pattern("img-[abc].bin", "img-b.bin"));
  EXPECT_FALSE(match_path_pattern("img-[abc].bin", "img-d.bin"));
  EXPECT_TRUE(match_path_pattern("img-[0-9].bin", "img-7.bin"));
  EXPECT_TRUE(match_path_pattern("img-[!0-9].bin", "img-x.bin"));
  EXPECT_FALSE(match_path_pattern("img-[!0-9].bin", "img-7.bin"));
  EXPECT_TRUE(match_path_pattern("img-[.bin", "img-[.bin"));  // unclosed: literal
  EXPECT_TRUE(match_path_pattern("[]]", "]"));
}

TEST(PathPattern, PathologicalPatternsStayFast) {
  std::string path(4000, 'a');
  std::string pattern;
  for (int i = 0; i < 200; ++i) pattern += "*a";
  pattern += "b";
  EXPECT_FALSE(match_path_pattern(pattern, path));
}

TEST(HashPrefixes, MatchTheSha256OfThePath) {
  DelegatedRole bin;
  bin.by_hash_prefix = true;
  std::string digest = sha256_hex("images/a.img");
  bin.path_hash_prefixes = {digest.substr(0, 2)};
  EXPECT_TRUE(role_covers_path(bin, "images/a.img"));
  bin.path_hash_prefixes = {digest.substr(0, 1) == "0" ? "1" : "0"};
  EXPECT_FALSE(role_covers_path(bin, "images/a.img"));
}

TEST(TargetPaths, OnlySafeRelativePaths) {
  EXPECT_TRUE(is_safe_target_path("a.img"));
  EXPECT_TRUE(is_safe_target_path("dir/a.img"));
  for (const char* bad : {"", "/a", "a/", "a//b", "../a", "a/../b", "./a", "a/."}) {
    EXPECT_FALSE(is_safe_target_path(bad)) << bad;
  }
}

// --- the search ----------------------------------------------------------

// Consistent snapshots, so that one path may name different files in
// different roles (each is served under its own hash).
class Search : public ::testing::Test {
 protected:
  void SetUp() override {
    SimulatorOptions options;
    options.consistent_snapshot = true;
    repo = make_repo(options);
    ASSERT_NE(repo, nullptr);
    client = std::make_unique<Client>(*repo);
  }
  void delegate(const std::string& from, DelegationSpec spec) {
    ASSERT_OK(repo->add_delegation(from, spec));
  }
  std::string found_in(const std::string& path, const std::string& channel = "") {
    Updater u = client->updater();
    auto info = channel.empty() ? u.find_target(path) : u.find_target_in_role(channel, path);
    return info ? info->role : info.message();
  }

  std::unique_ptr<RepositorySimulator> repo;
  std::unique_ptr<Client> client;
};

TEST_F(Search, TopLevelTargetsComeFirst) {
  delegate("targets", {.name = "stable", .paths = {"*"}});
  repo->add_target("targets", "a.img", "top");
  repo->add_target("stable", "a.img", "delegated");
  ASSERT_OK(repo->publish());
  EXPECT_EQ(found_in("a.img"), "targets");
}

TEST_F(Search, DelegationsInOrderDepthFirst) {
  delegate("targets", {.name = "A", .paths = {"*"}});
  delegate("targets", {.name = "B", .paths = {"*"}});
  delegate("A", {.name = "A1", .paths = {"*"}});
  repo->add_target("A1", "x.img", "from A1");
  repo->add_target("B", "x.img", "from B");
  ASSERT_OK(repo->publish());
  EXPECT_EQ(found_in("x.img"), "A1");  // A's subtree before B
  auto bytes = client->fetch_target("x.img");
  ASSERT_OK(bytes);
  EXPECT_EQ(*bytes, "from A1");
}

TEST_F(Search, PathsMustMatchAlongTheWholeChain) {
  delegate("targets", {.name = "images", .paths = {"images/*"}});
  delegate("images", {.name = "wide", .paths = {"*/*"}});
  repo->add_target("wide", "images/a.img", "ok");
  repo->add_target("wide", "docs/a.txt", "outside the parent's paths");
  ASSERT_OK(repo->publish());
  EXPECT_EQ(found_in("images/a.img"), "wide");
  EXPECT_THAT(found_in("docs/a.txt"), ::testing::HasSubstr("not found"));
}

TEST_F(Search, TerminatingDelegationStopsTheSearch) {
  delegate("targets", {.name = "T", .paths = {"*.img"}, .terminating = true});
  delegate("targets", {.name = "U", .paths = {"*"}});
  repo->add_target("U", "a.img", "U claims it");
  repo->add_target("U", "a.txt", "U alone");
  ASSERT_OK(repo->publish());
  EXPECT_THAT(found_in("a.img"), ::testing::HasSubstr("not found"));
  EXPECT_THAT(repo->fetch_log, Not(Contains("https://repo.test/metadata/U.json")));
  EXPECT_EQ(found_in("a.txt"), "U");  // T does not cover it, so it does not terminate
}

TEST_F(Search, TerminatingDelegationStillSearchesItsOwnSubtree) {
  delegate("targets", {.name = "T", .paths = {"*"}, .terminating = true});
  delegate("T", {.name = "T1", .paths = {"*"}});
  delegate("targets", {.name = "U", .paths = {"*"}});
  repo->add_target("T1", "a.img", "T1");
  ASSERT_OK(repo->publish());
  EXPECT_EQ(found_in("a.img"), "T1");
}

TEST_F(Search, NonTerminatingMissFallsThrough) {
  delegate("targets", {.name = "A", .paths = {"*"}});
  delegate("targets", {.name = "B", .paths = {"*"}});
  repo->add_target("B", "a.img", "B");
  ASSERT_OK(repo->publish());
  EXPECT_EQ(found_in("a.img"), "B");
}

TEST_F(Search, HashBinDelegations) {
  std::string digest = sha256_hex("a.img");
  std::string other = digest[0] == '0' ? "1" : "0";
  delegate("targets", {.name = "bin-other", .path_hash_prefixes = {other}});
  delegate("targets", {.name = "bin-mine", .path_hash_prefixes = {digest.substr(0, 1)}});
  repo->add_target("bin-other", "a.img", "wrong bin");
  repo->add_target("bin-mine", "a.img", "right bin");
  ASSERT_OK(repo->publish());
  EXPECT_EQ(found_in("a.img"), "bin-mine");
}

TEST_F(Search, CycleAndBudget) {
  delegate("targets", {.name = "A", .paths = {"*"}});
  delegate("A", {.name = "B", .paths = {"*"}});
  // B delegates back to A: the search must not loop.
  nlohmann::json back = repo->targets["A"]["delegations"]["roles"][0];
  back["name"] = "A";
  repo->targets["B"]["delegations"] = repo->targets["A"]["delegations"];
  repo->targets["B"]["delegations"]["roles"] = {back};
  repo->dirty.insert("B");
  ASSERT_OK(repo->publish());
  EXPECT_THAT(found_in("none.img"), ::testing::HasSubstr("not found"));
}

TEST_F(Search, GivesUpAfterTheRoleBudget) {
  std::string parent = "targets";
  for (int i = 0; i < 40; ++i) {
    std::string name = "chain" + std::to_string(i);
    delegate(parent, {.name = name, .paths = {"*"}});
    parent = name;
  }
  repo->add_target(parent, "deep.img", "too deep");
  ASSERT_OK(repo->publish());
  EXPECT_THAT(found_in("deep.img"), ::testing::HasSubstr("gave up after visiting 32 roles"));
  client->config.max_delegations = 64;
  EXPECT_EQ(found_in("deep.img"), "chain39");
}

// --- channels ------------------------------------------------------------

class Channels : public Search {
 protected:
  void SetUp() override {
    Search::SetUp();
    for (const char* channel : {"stable", "beta", "lts"}) {
      delegate("targets", {.name = channel, .paths = {"appliance.img", "appliance/*"}});
      repo->add_target(channel, "appliance.img", std::string("image of ") + channel,
                       {{"version", channel}, {"security_version", 3}});
    }
    ASSERT_OK(repo->publish());
  }
};

TEST_F(Channels, EachChannelServesItsOwnImage) {
  for (const char* channel : {"stable", "beta", "lts"}) {
    auto bytes = client->fetch_target("appliance.img", channel);
    ASSERT_OK(bytes);
    EXPECT_EQ(*bytes, std::string("image of ") + channel);
  }
  auto info = client->updater().find_target_in_role("beta", "appliance.img");
  ASSERT_OK(info);
  EXPECT_EQ(info->file.custom["security_version"], 3);
}

TEST_F(Channels, PlainSearchTakesTheFirstChannel) {
  EXPECT_EQ(found_in("appliance.img"), "stable");
}

TEST_F(Channels, UnknownChannelFindsNothing) {
  EXPECT_THAT(found_in("appliance.img", "nightly"),
              ::testing::HasSubstr("target \"appliance.img\" not found in role nightly"));
}

TEST_F(Channels, ChannelIgnoresTargetsListedOutsideIt) {
  repo->add_target("targets", "appliance/extra.bin", "top-level only");
  repo->add_target("stable", "appliance/other.bin", "stable only");
  ASSERT_OK(repo->publish());
  EXPECT_THAT(found_in("appliance/extra.bin", "beta"),
              ::testing::HasSubstr("not found in role beta"));
  EXPECT_THAT(found_in("appliance/other.bin", "beta"),
              ::testing::HasSubstr("not found in role beta"));
  EXPECT_EQ(found_in("appliance/other.bin", "stable"), "stable");
}

TEST_F(Channels, ChannelIncludesRolesItDelegatesTo) {
  delegate("beta", {.name = "beta-hotfix", .paths = {"appliance/*"}});
  repo->add_target("beta-hotfix", "appliance/fix.bin", "fix");
  ASSERT_OK(repo->publish());
  EXPECT_EQ(found_in("appliance/fix.bin", "beta"), "beta-hotfix");
  EXPECT_THAT(found_in("appliance/fix.bin", "lts"), ::testing::HasSubstr("not found"));
}

TEST_F(Channels, ChannelOutsideItsPathsIsNotConsulted) {
  repo->add_target("lts", "kernel.bin", "lts lists a path it was not delegated");
  ASSERT_OK(repo->publish());
  EXPECT_THAT(found_in("kernel.bin", "lts"), ::testing::HasSubstr("not found in role lts"));
}

TEST_F(Channels, ChannelTargetsListsOnlyWhatTheRoleWasDelegated) {
  repo->add_target("stable", "appliance/next.img", "next", {{"version", "2"}});
  repo->add_target("stable", "kernel.bin", "outside the delegated paths");
  ASSERT_OK(repo->publish());
  auto listed = client->updater().channel_targets("stable");
  ASSERT_OK(listed);
  std::vector<std::string> paths;
  for (const TargetInfo& t : *listed) paths.push_back(t.path + "@" + t.role);
  EXPECT_EQ(paths, (std::vector<std::string>{"appliance.img@stable", "appliance/next.img@stable"}));
  EXPECT_FAILS_WITH(client->updater().channel_targets("nightly"),
                    "targets does not delegate to role nightly");
}

}  // namespace
}  // namespace appliance::tuf::testing
