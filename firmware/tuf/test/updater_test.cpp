// NAME
//   updater_test.cpp - the client workflow when nobody attacks: first
//   refresh, later refreshes, root rotation, consistent snapshots.
#include "tuf/updater.h"

#include "tuf/test/fixture.h"

namespace appliance::tuf::testing {
namespace {

using ::testing::Contains;
using ::testing::Not;

TEST(Updater, FirstRefreshTrustsAndStoresEveryTopLevelRole) {
  auto repo = make_repo();
  Client client(*repo);
  ASSERT_OK(client.refresh());
  for (const char* role : {"root", "timestamp", "snapshot", "targets"}) {
    EXPECT_EQ(client.stored_version(role), 1u) << role;
  }
  EXPECT_EQ(client.store.files["timestamp"], repo->metadata["timestamp.json"]);
}

TEST(Updater, DownloadsAVerifiedTarget) {
  auto repo = make_repo();
  repo->add_target("targets", "appliance-1.2.img", "image bytes", {{"version", "1.2"}});
  ASSERT_OK(repo->publish());
  Client client(*repo);
  auto bytes = client.fetch_target("appliance-1.2.img");
  ASSERT_OK(bytes);
  EXPECT_EQ(*bytes, "image bytes");
  auto info = client.updater().find_target("appliance-1.2.img");
  ASSERT_OK(info);
  EXPECT_EQ(info->file.custom["version"], "1.2");
  EXPECT_EQ(info->role, "targets");
  EXPECT_EQ(info->file.length, 11u);
}

TEST(Updater, UnknownTargetIsReported) {
  auto repo = make_repo();
  Client client(*repo);
  EXPECT_FAILS_WITH(client.fetch_target("nothing.img"), "target \"nothing.img\" not found");
  EXPECT_FAILS_WITH(client.fetch_target("../x"), "invalid target path");
}

TEST(Updater, NothingNewMeansOnlyRootProbeAndTimestamp) {
  auto repo = make_repo();
  Client client(*repo);
  ASSERT_OK(client.refresh());
  repo->fetch_log.clear();
  ASSERT_OK(client.refresh());
  EXPECT_EQ(repo->fetch_log,
            (std::vector<std::string>{"https://repo.test/metadata/2.root.json",
                                      "https://repo.test/metadata/timestamp.json"}));
}

TEST(Updater, PicksUpNewTargetsAndReusesWhatIsStillCurrent) {
  auto repo = make_repo();
  Client client(*repo);
  ASSERT_OK(client.refresh());
  repo->add_target("targets", "a.img", "A");
  ASSERT_OK(repo->publish());
  repo->fetch_log.clear();
  ASSERT_OK(client.fetch_target("a.img"));
  EXPECT_THAT(repo->fetch_log, Contains("https://repo.test/metadata/snapshot.json"));
  EXPECT_EQ(client.stored_version("targets"), 2u);
  EXPECT_EQ(client.stored_version("snapshot"), 2u);
  EXPECT_EQ(client.stored_version("timestamp"), 2u);

  // A new timestamp and snapshot, same targets: the stored targets is reused.
  ASSERT_OK(repo->publish());
  repo->fetch_log.clear();
  ASSERT_OK(client.refresh());
  EXPECT_THAT(repo->fetch_log, Not(Contains("https://repo.test/metadata/targets.json")));
  EXPECT_EQ(client.stored_version("snapshot"), 3u);
}

class CountingClock : public Clock {
 public:
  std::int64_t now() const override {
    ++calls;
    return SimulatorOptions{}.now;
  }
  mutable int calls = 0;
};

TEST(Updater, ReadsTheClockOnceAtTheStart) {
  auto repo = make_repo();
  repo->add_target("targets", "a.img", "A");
  ASSERT_OK(repo->publish());
  Client client(*repo);
  CountingClock clock;
  Updater updater(client.config, *repo, client.store, clock);
  ASSERT_OK(updater.find_target("a.img"));
  EXPECT_EQ(clock.calls, 1);
}

TEST(Updater, NeedsATrustedRoot) {
  auto repo = make_repo();
  Client client(*repo);
  client.store.files.clear();
  EXPECT_FAILS_WITH(client.refresh(), "no trusted root.json");
  client.store.files["root"] = "{}";
  EXPECT_FAILS_WITH(client.refresh(), "trusted root.json is not usable");
}

TEST(Updater, CorruptLocalCopiesAreIgnored) {
  auto repo = make_repo();
  Client client(*repo);
  ASSERT_OK(client.refresh());
  client.store.files["timestamp"] = "garbage";
  client.store.files["snapshot"] = "{}";
  client.store.files["targets"] = repo->metadata["timestamp.json"];
  ASSERT_OK(client.refresh());
  EXPECT_EQ(client.store.files["targets"], repo->metadata["targets.json"]);
}

TEST(Updater, FetchFailureAbortsAndKeepsStoredMetadata) {
  auto repo = make_repo();
  Client client(*repo);
  ASSERT_OK(client.refresh());
  std::string old_timestamp = client.store.files["timestamp"];
  ASSERT_OK(repo->publish());
  repo->metadata.erase("snapshot.json");
  EXPECT_FAILS_WITH(client.refresh(), "not found: https://repo.test/metadata/snapshot.json");
  // The new timestamp was admitted and stored before the snapshot failed.
  EXPECT_EQ(client.stored_version("timestamp"), 2u);
  EXPECT_EQ(client.stored_version("snapshot"), 1u);
}

// --- root rotation ------------------------------------------------------

TEST(RootRotation, FollowsEveryVersionAndStoresTheLast) {
  auto repo = make_repo();
  ASSERT_OK(repo->publish_root());
  ASSERT_OK(repo->publish_root());
  Client client(*repo);
  ASSERT_OK(client.refresh());
  EXPECT_EQ(client.stored_version("root"), 3u);
  EXPECT_EQ(client.updater().refresh().ok(), true);
}

TEST(RootRotation, NewRootKeysSignedByOldAndNew) {
  auto repo = make_repo();
  auto old_keys = repo->signers["root"];
  ASSERT_OK(repo->add_key("root", KeyKind::ecdsa_p256));
  repo->remove_key("root", old_keys[0]->keyid());
  ASSERT_OK(repo->publish_root(old_keys));  // v2: old and new sign
  ASSERT_OK(repo->publish_root());          // v3: only the new key
  Client client(*repo);
  ASSERT_OK(client.refresh());
  EXPECT_EQ(client.stored_version("root"), 3u);
}

TEST(RootRotation, ThresholdChangeNeedsBothThresholds) {
  auto repo = make_repo();
  ASSERT_OK(repo->add_key("root", KeyKind::ed25519));
  ASSERT_OK(repo->add_key("root", KeyKind::rsa_pss_sha256));
  repo->set_threshold("root", 3);
  ASSERT_OK(repo->publish_root());  // v2: 3 of 3, and 1 of v1's single key
  Client client(*repo);
  ASSERT_OK(client.refresh());
  EXPECT_EQ(client.stored_version("root"), 2u);

  // v3 signed by only two of the three keys v2 requires.
  repo->set_threshold("root", 3);
  auto keys = repo->signers["root"];
  repo->signers["root"] = {keys[0], keys[1]};
  ASSERT_OK(repo->publish_root());
  EXPECT_FAILS_WITH(client.refresh(),
                    "threshold not met: root has 2 valid signatures of 3 required (keys of "
                    "trusted root version 2)");
}

TEST(RootRotation, RotatingTimestampKeysForgetsTimestampAndSnapshot) {
  auto repo = make_repo();
  Client client(*repo);
  ASSERT_OK(client.refresh());
  ASSERT_TRUE(client.store.files.count("timestamp"));
  repo->remove_key("timestamp", repo->signers["timestamp"][0]->keyid());
  ASSERT_OK(repo->add_key("timestamp", KeyKind::ed25519));
  ASSERT_OK(repo->publish_root());
  ASSERT_OK(repo->publish_timestamp());  // same snapshot, new timestamp key
  repo->fetch_log.clear();

  Updater updater = client.updater();
  ASSERT_OK(updater.refresh());
  // The stored snapshot, still current, was dropped with the timestamp, so it
  // was fetched again.
  EXPECT_THAT(repo->fetch_log, Contains("https://repo.test/metadata/snapshot.json"));
  EXPECT_EQ(client.stored_version("timestamp"), 2u);
  EXPECT_EQ(client.stored_version("snapshot"), 1u);
}

TEST(RootRotation, UnchangedKeysKeepStoredTimestamp) {
  auto repo = make_repo();
  Client client(*repo);
  ASSERT_OK(client.refresh());
  ASSERT_OK(repo->publish_root());
  repo->fetch_log.clear();
  ASSERT_OK(client.refresh());
  EXPECT_THAT(repo->fetch_log, Not(Contains("https://repo.test/metadata/snapshot.json")));
}

TEST(RootRotation, StopsAfterTheConfiguredNumberOfRounds) {
  auto repo = make_repo();
  for (int i = 0; i < 40; ++i) ASSERT_OK(repo->publish_root());
  Client client(*repo);
  ASSERT_OK(client.refresh());
  EXPECT_EQ(client.stored_version("root"), 33u);  // 1 + 32 rounds
  ASSERT_OK(client.refresh());
  EXPECT_EQ(client.stored_version("root"), 41u);
}

TEST(RootRotation, ConsistentSnapshotSwitchTakesEffectAtOnce) {
  auto repo = make_repo();
  Client client(*repo);
  ASSERT_OK(client.refresh());
  repo->root["consistent_snapshot"] = true;
  ASSERT_OK(repo->publish_root());
  repo->add_target("targets", "a.img", "A");
  ASSERT_OK(repo->publish());
  repo->fetch_log.clear();
  ASSERT_OK(client.fetch_target("a.img"));
  EXPECT_THAT(repo->fetch_log, Contains("https://repo.test/metadata/2.snapshot.json"));
  EXPECT_THAT(repo->fetch_log, Contains("https://repo.test/metadata/2.targets.json"));
}

// --- consistent snapshots -----------------------------------------------

TEST(ConsistentSnapshot, FetchesVersionedMetadataAndHashedTargets) {
  SimulatorOptions options;
  options.consistent_snapshot = true;
  options.snapshot_lists_hashes = true;
  auto repo = make_repo(options);
  ASSERT_OK(repo->add_delegation("targets", {.name = "stable", .paths = {"images/*"}}));
  repo->add_target("stable", "images/a.img", "stable image");
  ASSERT_OK(repo->publish());
  ASSERT_OK(repo->publish());
  Client client(*repo);
  auto bytes = client.fetch_target("images/a.img", "stable");
  ASSERT_OK(bytes);
  EXPECT_EQ(*bytes, "stable image");
  const std::string hash = sha256_hex("stable image");
  EXPECT_THAT(repo->fetch_log, Contains("https://repo.test/metadata/3.snapshot.json"));
  EXPECT_THAT(repo->fetch_log, Contains("https://repo.test/metadata/2.targets.json"));
  EXPECT_THAT(repo->fetch_log, Contains("https://repo.test/metadata/1.stable.json"));
  EXPECT_THAT(repo->fetch_log, Contains("https://repo.test/targets/images/" + hash + ".a.img"));
  EXPECT_THAT(repo->fetch_log, Not(Contains("https://repo.test/metadata/snapshot.json")));
  EXPECT_THAT(repo->fetch_log, Not(Contains("https://repo.test/targets/images/a.img")));
}

TEST(ConsistentSnapshot, OldVersionsStayServedForSlowClients) {
  SimulatorOptions options;
  options.consistent_snapshot = true;
  auto repo = make_repo(options);
  repo->add_target("targets", "a.img", "A");
  ASSERT_OK(repo->publish());
  Client client(*repo);
  ASSERT_OK(client.refresh());
  // The repository moves on while this client still reads snapshot 2.
  EXPECT_TRUE(repo->metadata.count("2.snapshot.json"));
  ASSERT_OK(repo->publish());
  EXPECT_TRUE(repo->metadata.count("2.snapshot.json"));
  EXPECT_TRUE(repo->metadata.count("3.snapshot.json"));
  ASSERT_OK(client.refresh());
}

}  // namespace
}  // namespace appliance::tuf::testing
