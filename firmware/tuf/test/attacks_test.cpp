// NAME
//   attacks_test.cpp - every attack of the TUF threat model, staged against
//   the simulated repository, must be refused with a message naming it.
#include "tuf/test/fixture.h"

namespace appliance::tuf::testing {
namespace {

using json = nlohmann::json;
constexpr std::int64_t kNow = SimulatorOptions{}.now;
constexpr std::int64_t kDay = 24 * 3600;

// The same document with a changed "signed" body and the old signatures.
std::string tampered(const std::string& bytes) {
  json doc = json::parse(bytes);
  doc["signed"]["x-evil"] = true;
  return doc.dump(1);
}

// Same length, other bytes: whitespace outside the signed body changes.
std::string same_length_other_bytes(std::string bytes) {
  auto pos = bytes.find("\n ");
  bytes[pos + 1] = '\t';
  return bytes;
}

class Attack : public ::testing::Test {
 protected:
  void SetUp() override {
    repo = make_repo(options());
    ASSERT_NE(repo, nullptr);
    client = std::make_unique<Client>(*repo);
  }
  virtual SimulatorOptions options() { return {}; }

  // A key nobody trusts, as an attacker without the role's keys would use.
  std::shared_ptr<Signer> attacker_key() {
    return std::shared_ptr<Signer>(InMemorySigner::generate(KeyKind::ed25519).value());
  }

  std::unique_ptr<RepositorySimulator> repo;
  std::unique_ptr<Client> client;
};

// --- root ------------------------------------------------------------------

TEST_F(Attack, RootRollback) {
  ASSERT_OK(repo->publish_root());
  ASSERT_OK(repo->publish_root());
  ASSERT_OK(client->refresh());
  repo->metadata["4.root.json"] = repo->root_file(2);
  EXPECT_FAILS_WITH(client->refresh(), "rollback attack: root version 2 < trusted 3");
  EXPECT_EQ(client->stored_version("root"), 3u);
}

TEST_F(Attack, RootVersionSkip) {
  ASSERT_OK(repo->publish_root());
  ASSERT_OK(repo->publish_root());
  repo->metadata["2.root.json"] = repo->root_file(3);
  EXPECT_FAILS_WITH(client->refresh(), "fast-forward attack: root version 3 != expected 2");
  EXPECT_EQ(client->stored_version("root"), 1u);
}

TEST_F(Attack, RootSignedOnlyByNewKeys) {
  auto old_keys = repo->signers["root"];
  ASSERT_OK(repo->add_key("root", KeyKind::ed25519));
  repo->remove_key("root", old_keys[0]->keyid());
  ASSERT_OK(repo->publish_root());  // the old key does not sign
  EXPECT_FAILS_WITH(client->refresh(),
                    "arbitrary software attack: threshold not met: root has 0 valid signatures "
                    "of 1 required (keys of trusted root version 1)");
}

TEST_F(Attack, RootSignedOnlyByOldKeys) {
  auto old_keys = repo->signers["root"];
  ASSERT_OK(repo->add_key("root", KeyKind::ed25519));
  repo->remove_key("root", old_keys[0]->keyid());
  repo->signers["root"] = old_keys;  // new root lists the new key, the old one signs
  ASSERT_OK(repo->publish_root());
  EXPECT_FAILS_WITH(client->refresh(),
                    "threshold not met: root has 0 valid signatures of 1 required (keys of new "
                    "root version 2)");
}

TEST_F(Attack, RootByAnAttacker) {
  repo->signers["root"] = {attacker_key()};
  ASSERT_OK(repo->publish_root());
  EXPECT_FAILS_WITH(client->refresh(), "arbitrary software attack: threshold not met: root");
}

TEST_F(Attack, RootEndlessData) {
  repo->metadata["2.root.json"] = std::string(600 * 1024, ' ');
  EXPECT_FAILS_WITH(client->refresh(), "endless data attack: root exceeds 524288 bytes");
  repo->ignore_max_length = true;  // a fetcher that does not stop by itself
  EXPECT_FAILS_WITH(client->refresh(), "endless data attack: root exceeds 524288 bytes");
}

TEST_F(Attack, RootFreeze) {
  repo->set_expires("root", kNow - 1);
  ASSERT_OK(repo->publish_root());
  EXPECT_FAILS_WITH(client->refresh(),
                    "freeze attack: root expired at 2023-11-14T22:13:19Z "
                    "(update started 2023-11-14T22:13:20Z)");
}

TEST_F(Attack, RootWithheldUntilTrustedRootExpires) {
  ASSERT_OK(client->refresh());
  client->clock.set(kNow + 400 * kDay);
  EXPECT_FAILS_WITH(client->refresh(), "freeze attack: root expired at");
}

// --- timestamp -------------------------------------------------------------

TEST_F(Attack, TimestampRollback) {
  std::string v1 = repo->metadata["timestamp.json"];
  ASSERT_OK(repo->publish());
  ASSERT_OK(client->refresh());
  repo->metadata["timestamp.json"] = v1;
  EXPECT_FAILS_WITH(client->refresh(), "rollback attack: timestamp version 1 < trusted 2");
}

TEST_F(Attack, TimestampListsOlderSnapshot) {
  ASSERT_OK(repo->publish());
  ASSERT_OK(client->refresh());
  // The online timestamp key signs a newer timestamp for an older snapshot.
  json t = repo->timestamp;
  t["version"] = 3;
  t["meta"]["snapshot.json"] = {{"version", 1}};
  repo->metadata["timestamp.json"] = *repo->sign_with(t, repo->signers["timestamp"]);
  EXPECT_FAILS_WITH(client->refresh(),
                    "rollback attack: timestamp lists snapshot version 1 < "
                    "trusted 2");
}

TEST_F(Attack, TimestampFreeze) {
  repo->set_expires("timestamp", kNow - 10);
  ASSERT_OK(repo->publish_timestamp());
  EXPECT_FAILS_WITH(client->refresh(), "freeze attack: timestamp expired at 2023-11-14T22:13:10Z");
  EXPECT_EQ(client->stored_version("timestamp"), 0u);
}

TEST_F(Attack, TimestampReplayedPastItsExpiry) {
  repo->set_expires("timestamp", kNow + kDay);
  ASSERT_OK(repo->publish_timestamp());
  ASSERT_OK(client->refresh());
  // The mirror keeps serving the same timestamp; the client's clock moves on.
  client->clock.set(kNow + 2 * kDay);
  EXPECT_FAILS_WITH(client->refresh(), "freeze attack: timestamp expired at");
}

TEST_F(Attack, TimestampEndlessData) {
  repo->metadata["timestamp.json"] = std::string(20000, ' ');
  EXPECT_FAILS_WITH(client->refresh(), "endless data attack: timestamp exceeds 16384 bytes");
}

TEST_F(Attack, TimestampByAnAttacker) {
  repo->signers["timestamp"] = {attacker_key()};
  ASSERT_OK(repo->publish_timestamp());
  EXPECT_FAILS_WITH(client->refresh(),
                    "arbitrary software attack: threshold not met: timestamp has 0 valid "
                    "signatures of 1 required");
}

TEST_F(Attack, TimestampTampered) {
  repo->metadata["timestamp.json"] = tampered(repo->metadata["timestamp.json"]);
  EXPECT_FAILS_WITH(client->refresh(), "threshold not met: timestamp has 0 valid signatures");
}

TEST_F(Attack, SnapshotServedAsTimestamp) {
  repo->metadata["timestamp.json"] = repo->metadata["snapshot.json"];
  EXPECT_FAILS_WITH(client->refresh(), "has _type \"snapshot\", expected \"timestamp\"");
}

// --- snapshot --------------------------------------------------------------

class AttackNoTimestampHashes : public Attack {
  SimulatorOptions options() override {
    SimulatorOptions o;
    o.timestamp_lists_hashes = false;
    return o;
  }
};

TEST_F(AttackNoTimestampHashes, SnapshotMixAndMatch) {
  std::string v1 = repo->metadata["snapshot.json"];
  ASSERT_OK(repo->publish());
  repo->metadata["snapshot.json"] = v1;
  EXPECT_FAILS_WITH(client->refresh(), "mix-and-match attack: snapshot version 1 != timestamp's 2");
}

TEST_F(Attack, SnapshotNotTheOneTimestampHashed) {
  repo->metadata["snapshot.json"] = same_length_other_bytes(repo->metadata["snapshot.json"]);
  EXPECT_FAILS_WITH(client->refresh(),
                    "mix-and-match attack: snapshot sha256 mismatch with timestamp");
  std::string v1 = repo->metadata["snapshot.json"];
  ASSERT_OK(repo->publish());
  repo->metadata["snapshot.json"] = v1;
  EXPECT_FAILS_WITH(client->refresh(), "mix-and-match attack: snapshot");
}

TEST_F(Attack, SnapshotRollsBackTargets) {
  repo->add_target("targets", "a.img", "A");
  ASSERT_OK(repo->publish());
  ASSERT_OK(client->refresh());
  // Snapshot and timestamp keys (both online) sign a snapshot for targets v1.
  repo->targets["targets"]["version"] = 1;
  ASSERT_OK(repo->publish_snapshot());
  ASSERT_OK(repo->publish_timestamp());
  EXPECT_FAILS_WITH(client->refresh(),
                    "rollback attack: targets.json version 1 in new snapshot "
                    "< 2 in trusted snapshot");
}

TEST_F(Attack, SnapshotDropsARole) {
  ASSERT_OK(repo->add_delegation("targets", {.name = "stable", .paths = {"*"}}));
  ASSERT_OK(repo->publish());
  ASSERT_OK(client->refresh());
  repo->snapshot["meta"].erase("stable.json");
  ASSERT_OK(repo->publish_snapshot(false));
  ASSERT_OK(repo->publish_timestamp());
  EXPECT_FAILS_WITH(client->refresh(),
                    "rollback attack: stable.json is listed in the trusted "
                    "snapshot but not in the new one");
}

TEST_F(Attack, SnapshotFreeze) {
  repo->set_expires("snapshot", kNow - 1);
  ASSERT_OK(repo->publish());
  EXPECT_FAILS_WITH(client->refresh(), "freeze attack: snapshot expired at");
}

TEST_F(Attack, SnapshotEndlessData) {
  const auto listed = repo->metadata["snapshot.json"].size();
  repo->metadata["snapshot.json"] += std::string(100, ' ');
  EXPECT_FAILS_WITH(client->refresh(),
                    "endless data attack: snapshot exceeds " + std::to_string(listed) + " bytes");
}

TEST_F(AttackNoTimestampHashes, SnapshotEndlessDataWithoutListedLength) {
  client->config.snapshot_max_length = 300;
  EXPECT_FAILS_WITH(client->refresh(), "endless data attack: snapshot exceeds 300 bytes");
}

TEST_F(Attack, SnapshotByAnAttacker) {
  repo->signers["snapshot"] = {attacker_key()};
  ASSERT_OK(repo->publish());
  EXPECT_FAILS_WITH(client->refresh(), "threshold not met: snapshot has 0 valid signatures");
}

// --- targets ---------------------------------------------------------------

class AttackSnapshotHashes : public Attack {
  SimulatorOptions options() override {
    SimulatorOptions o;
    o.snapshot_lists_hashes = true;
    return o;
  }
};

TEST_F(Attack, TargetsMixAndMatch) {
  std::string v1 = repo->metadata["targets.json"];
  repo->add_target("targets", "a.img", "A");
  ASSERT_OK(repo->publish());
  repo->metadata["targets.json"] = v1;
  EXPECT_FAILS_WITH(client->refresh(), "mix-and-match attack: targets version 1 != snapshot's 2");
}

TEST_F(AttackSnapshotHashes, TargetsNotTheOneSnapshotHashed) {
  repo->metadata["targets.json"] = same_length_other_bytes(repo->metadata["targets.json"]);
  EXPECT_FAILS_WITH(client->refresh(),
                    "mix-and-match attack: targets sha256 mismatch with snapshot");
  repo->metadata["targets.json"] += " ";
  EXPECT_FAILS_WITH(client->refresh(), "endless data attack: targets exceeds");
}

TEST_F(Attack, TargetsFreeze) {
  repo->set_expires("targets", kNow);
  ASSERT_OK(repo->publish());
  EXPECT_FAILS_WITH(client->refresh(), "freeze attack: targets expired at 2023-11-14T22:13:20Z");
}

TEST_F(Attack, TargetsEndlessData) {
  client->config.targets_max_length = 50;
  EXPECT_FAILS_WITH(client->refresh(), "endless data attack: targets exceeds 50 bytes");
}

TEST_F(Attack, TargetsByAnAttacker) {
  repo->signers["targets"] = {attacker_key()};
  repo->add_target("targets", "evil.img", "evil");
  ASSERT_OK(repo->publish());
  EXPECT_FAILS_WITH(client->fetch_target("evil.img"),
                    "arbitrary software attack: threshold not met: targets has 0 valid "
                    "signatures of 1 required");
}

TEST_F(Attack, TargetsTampered) {
  repo->add_target("targets", "a.img", "A");
  ASSERT_OK(repo->publish());
  repo->metadata["targets.json"] = tampered(repo->metadata["targets.json"]);
  EXPECT_FAILS_WITH(client->refresh(), "threshold not met: targets has 0 valid signatures");
}

// --- delegated roles -------------------------------------------------------

class AttackOnChannel : public Attack {
 protected:
  void SetUp() override {
    Attack::SetUp();
    ASSERT_OK(repo->add_delegation("targets", {.name = "stable", .paths = {"*.img"}}));
    repo->add_target("stable", "a.img", "stable A");
    ASSERT_OK(repo->publish());
  }
};

TEST_F(AttackOnChannel, DelegatedRoleRollback) {
  ASSERT_OK(client->fetch_target("a.img", "stable"));
  repo->add_target("stable", "b.img", "stable B");
  ASSERT_OK(repo->publish());
  ASSERT_OK(client->fetch_target("b.img", "stable"));
  repo->targets["stable"]["version"] = 1;
  ASSERT_OK(repo->publish_snapshot());
  ASSERT_OK(repo->publish_timestamp());
  EXPECT_FAILS_WITH(client->refresh(),
                    "rollback attack: stable.json version 1 in new snapshot "
                    "< 2 in trusted snapshot");
}

TEST_F(AttackOnChannel, DelegatedRoleMixAndMatch) {
  std::string v1 = repo->metadata["stable.json"];
  repo->add_target("stable", "b.img", "stable B");
  ASSERT_OK(repo->publish());
  repo->metadata["stable.json"] = v1;
  EXPECT_FAILS_WITH(client->fetch_target("b.img", "stable"),
                    "mix-and-match attack: stable version 1 != snapshot's 2");
}

TEST_F(AttackOnChannel, DelegatedRoleFreeze) {
  repo->set_expires("stable", kNow - kDay);
  ASSERT_OK(repo->publish());
  EXPECT_FAILS_WITH(client->fetch_target("a.img", "stable"), "freeze attack: stable expired at");
}

TEST_F(AttackOnChannel, DelegatedRoleSignedByTopLevelTargetsKey) {
  repo->signers["stable"] = repo->signers["targets"];
  repo->add_target("stable", "evil.img", "evil");
  ASSERT_OK(repo->publish());
  EXPECT_FAILS_WITH(client->fetch_target("evil.img", "stable"),
                    "threshold not met: stable has 0 valid signatures of 1 required (keys "
                    "delegated by targets)");
}

TEST_F(AttackOnChannel, DelegatedRoleEndlessData) {
  repo->metadata["stable.json"] = std::string(6 * 1024 * 1024, ' ');
  EXPECT_FAILS_WITH(client->fetch_target("a.img", "stable"),
                    "endless data attack: stable exceeds 5242880 bytes");
}

// --- target files ----------------------------------------------------------

class AttackOnTarget : public Attack {
 protected:
  void SetUp() override {
    Attack::SetUp();
    repo->add_target("targets", "a.img", "abcde");
    ASSERT_OK(repo->publish());
  }
};

TEST_F(AttackOnTarget, WrongContent) {
  repo->replace_target_content("a.img", "abcdX");
  EXPECT_FAILS_WITH(client->fetch_target("a.img"), "wrong target: sha256 mismatch for a.img");
  EXPECT_TRUE(client->targets.committed.empty());
}

TEST_F(AttackOnTarget, TooShort) {
  repo->replace_target_content("a.img", "abc");
  EXPECT_FAILS_WITH(client->fetch_target("a.img"),
                    "wrong target: a.img is 3 bytes, metadata says 5");
  EXPECT_TRUE(client->targets.committed.empty());
}

TEST_F(AttackOnTarget, EndlessData) {
  repo->replace_target_content("a.img", std::string(1 << 20, 'a'));
  EXPECT_FAILS_WITH(client->fetch_target("a.img"),
                    "endless data attack: target a.img exceeds 5 bytes");
  repo->ignore_max_length = true;
  EXPECT_FAILS_WITH(client->fetch_target("a.img"),
                    "endless data attack: target a.img exceeds 5 bytes");
  EXPECT_TRUE(client->targets.committed.empty());
}

TEST_F(AttackOnTarget, EveryListedHashIsChecked) {
  repo->targets["targets"]["targets"]["a.img"]["hashes"]["sha512"] = std::string(128, 'a');
  repo->dirty.insert("targets");
  ASSERT_OK(repo->publish());
  EXPECT_FAILS_WITH(client->fetch_target("a.img"), "wrong target: sha512 mismatch for a.img");
}

TEST_F(AttackOnTarget, UnknownHashAlgorithmIsNotSkipped) {
  repo->targets["targets"]["targets"]["a.img"]["hashes"] = {{"md5", std::string(32, 'a')}};
  repo->dirty.insert("targets");
  ASSERT_OK(repo->publish());
  EXPECT_FAILS_WITH(client->fetch_target("a.img"),
                    "wrong target: a.img: unsupported hash algorithm \"md5\"");
}

// --- recovery from fast-forward attacks --------------------------------------

TEST_F(Attack, FastForwardedTimestampRecoveredByKeyRotation) {
  // An attacker with the timestamp key pushes version 1000.
  json forged = repo->timestamp;
  forged["version"] = 1000;
  repo->metadata["timestamp.json"] = *repo->sign_with(forged, repo->signers["timestamp"]);
  ASSERT_OK(client->refresh());
  EXPECT_EQ(client->stored_version("timestamp"), 1000u);

  // The repository's next genuine timestamp now looks like a rollback...
  ASSERT_OK(repo->publish_timestamp());
  EXPECT_FAILS_WITH(client->refresh(), "rollback attack: timestamp version 2 < trusted 1000");

  // ...until root rotates the timestamp key, and the client forgets version 1000.
  repo->remove_key("timestamp", repo->signers["timestamp"][0]->keyid());
  ASSERT_OK(repo->add_key("timestamp", KeyKind::ed25519));
  ASSERT_OK(repo->publish_root());
  ASSERT_OK(repo->publish_timestamp());
  ASSERT_OK(client->refresh());
  EXPECT_EQ(client->stored_version("timestamp"), 3u);
}

TEST_F(Attack, FastForwardedSnapshotRecoveredByKeyRotation) {
  // Attackers with the snapshot and timestamp keys list targets version 1000.
  repo->targets["targets"]["version"] = 1000;
  ASSERT_OK(repo->publish_snapshot());
  ASSERT_OK(repo->publish_timestamp());
  EXPECT_FAILS_WITH(client->refresh(),
                    "mix-and-match attack: targets version 1 != snapshot's 1000");
  EXPECT_EQ(client->stored_version("snapshot"), 2u);

  repo->targets["targets"]["version"] = 1;
  repo->dirty.insert("targets");
  ASSERT_OK(repo->publish());
  EXPECT_FAILS_WITH(client->refresh(),
                    "rollback attack: targets.json version 2 in new snapshot "
                    "< 1000 in trusted snapshot");

  repo->remove_key("snapshot", repo->signers["snapshot"][0]->keyid());
  ASSERT_OK(repo->add_key("snapshot", KeyKind::ecdsa_p256));
  ASSERT_OK(repo->publish_root());
  ASSERT_OK(repo->publish());
  ASSERT_OK(client->refresh());
  EXPECT_EQ(client->stored_version("targets"), 2u);
}

}  // namespace
}  // namespace appliance::tuf::testing
