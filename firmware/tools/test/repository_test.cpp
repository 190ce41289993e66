// NAME
//   repository_test.cpp - the release tool's repository logic, judged by the
//   update client itself: every state the tool writes is served to an
//   Updater and must be admitted; targets come back with their custom data.
#include "tools/repository.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tools/release_config.h"
#include "tuf/clock.h"
#include "tuf/digest.h"
#include "tuf/testing/memory_stores.h"
#include "tuf/testing/signer.h"
#include "tuf/updater.h"

namespace appliance::release {
namespace {

using ::testing::HasSubstr;
using tuf::KeyKind;
using tuf::PrivateKeySigner;

constexpr std::int64_t kNow = 1'700'000'000;  // 2023-11-14T22:13:20Z
constexpr const char* kMetaUrl = "https://repo.test/metadata/";
constexpr const char* kTargetsUrl = "https://repo.test/targets/";

template <class R>
std::string outcome(const R& r) {
  return r.ok() ? std::string("<ok>") : r.message();
}
#define ASSERT_OK(expr) ASSERT_EQ(outcome(expr), "<ok>")
#define EXPECT_FAILS_WITH(expr, text) EXPECT_THAT(outcome(expr), HasSubstr(text))

// A web server's view of the repository directory: every file ever written.
struct Served : tuf::Fetcher {
  std::map<std::string, std::string> files;  // "metadata/NAME" or "targets/NAME"
  tuf::FetchResult fetch(const std::string& url, std::uint64_t max_length,
                         const tuf::ChunkSink& sink) override {
    const std::string name = url.substr(std::string("https://repo.test/").size());
    auto it = files.find(name);
    if (it == files.end()) return {tuf::FetchStatus::not_found, url};
    if (it->second.size() > max_length) return {tuf::FetchStatus::too_large, ""};
    sink(it->second);
    return {tuf::FetchStatus::ok, ""};
  }
  void take(const Repository& repo) {
    for (const auto& [name, bytes] : repo.output()) files["metadata/" + name] = bytes;
  }
};

class ReleaseRepository : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* role : kRoles) {
      auto kind = std::string(role) == "snapshot" || std::string(role) == "timestamp"
                      ? KeyKind::ecdsa_p256
                      : KeyKind::ed25519;
      keys[role] = std::move(PrivateKeySigner::generate(kind).value());
      keyring.push_back(keys[role].get());
    }
  }

  std::map<std::string, RoleKeys> roles() {
    std::map<std::string, RoleKeys> out;
    for (const auto& [role, key] : keys) out[role] = RoleKeys{{key.get()}, 1};
    return out;
  }

  Repository create(ReleaseConfig config = default_config()) {
    auto repo = Repository::create(roles(), std::move(config), kNow);
    EXPECT_TRUE(repo.ok()) << outcome(repo);
    served.take(*repo);
    root_v1 = served.files.at("metadata/1.root.json");
    return std::move(repo).value();
  }

  MetadataReader reader() {
    return [this](const std::string& name) -> Result<std::optional<std::string>> {
      auto it = served.files.find("metadata/" + name);
      if (it == served.files.end()) return std::optional<std::string>();
      return std::optional<std::string>(it->second);
    };
  }

  // The same repository as the tool would find it on disk.
  Repository reload() {
    auto repo = Repository::load(reader(), default_config());
    EXPECT_TRUE(repo.ok()) << outcome(repo);
    return std::move(repo).value();
  }

  Release add(Repository& repo, const std::string& channel, const std::string& name,
              const std::string& content, std::uint64_t security_version) {
    Release r{.name = name, .length = content.size(),
              .hashes = {{"sha256", tuf::sha256_hex(content)},
                         {"sha512", tuf::digest_hex("sha512", content)}},
              .version = "2.0", .security_version = security_version};
    EXPECT_EQ(outcome(repo.add_release(channel, r, keyring, kNow)), "<ok>");
    for (const auto& file : Repository::target_file_names(r)) served.files["targets/" + file] = content;
    served.take(repo);
    return r;
  }

  // A client that trusts root version 1 and refreshes at `now`.
  Result<tuf::TargetInfo> client_find(const std::string& channel, const std::string& name,
                                      std::int64_t now = kNow + 60) {
    clock.set(now);
    tuf::Updater updater({.metadata_base_url = kMetaUrl}, served, store, clock);
    auto info = updater.find_target_in_role(channel, name);
    if (!info) return info;
    if (auto where = updater.download_target(*info, kTargetsUrl, targets); !where)
      return where.error();
    return info;
  }

  std::map<std::string, std::unique_ptr<PrivateKeySigner>> keys;
  Keyring keyring;
  Served served;
  std::string root_v1;
  tuf::testing::MemoryMetadataStore store;
  tuf::testing::MemoryTargetStore targets;
  tuf::FixedClock clock{kNow};

  void trust_root_v1() { store.files["root"] = root_v1; }
};

TEST_F(ReleaseRepository, CreatesConsistentSnapshotsTheClientAdmits) {
  Repository repo = create();
  for (const char* name : {"1.root.json", "root.json", "1.targets.json", "1.stable.json",
                           "1.beta.json", "1.lts.json", "1.snapshot.json", "timestamp.json"}) {
    EXPECT_TRUE(served.files.count(std::string("metadata/") + name)) << name;
  }
  EXPECT_EQ(repo.output().back().first, "timestamp.json");
  EXPECT_EQ(repo.body("root")["consistent_snapshot"], true);
  trust_root_v1();
  EXPECT_FAILS_WITH(client_find("stable", "appliance-2.img"), "not found");
  EXPECT_EQ(store.files.count("timestamp"), 1u);
}

TEST_F(ReleaseRepository, AddedReleaseIsFoundInItsChannelWithItsSecurityVersion) {
  Repository repo = create();
  add(repo, "beta", "appliance-2.img", "image two", 3);
  EXPECT_EQ(repo.version("beta"), 2u);
  EXPECT_EQ(repo.version("stable"), 1u);
  EXPECT_EQ(repo.version("snapshot"), 2u);
  EXPECT_EQ(repo.version("timestamp"), 2u);
  trust_root_v1();
  auto info = client_find("beta", "appliance-2.img");
  ASSERT_OK(info);
  EXPECT_EQ(info->role, "beta");
  EXPECT_EQ(info->file.custom["security_version"], 3);
  EXPECT_EQ(info->file.custom["version"], "2.0");
  EXPECT_EQ(targets.committed.at("appliance-2.img"), "image two");
  EXPECT_FAILS_WITH(client_find("stable", "appliance-2.img"), "not found");
}

TEST_F(ReleaseRepository, LoadsWhatItWroteAndContinuesFromThere) {
  Repository first = create();
  add(first, "stable", "appliance-2.img", "image two", 1);
  Repository repo = reload();
  EXPECT_EQ(repo.version("stable"), 2u);
  add(repo, "stable", "appliance-3.img", "image three", 2);
  EXPECT_EQ(repo.version("stable"), 3u);
  EXPECT_EQ(repo.version("timestamp"), 3u);
  trust_root_v1();
  ASSERT_OK(client_find("stable", "appliance-3.img"));
  ASSERT_OK(client_find("stable", "appliance-2.img"));
}

TEST_F(ReleaseRepository, LoadRefusesATamperedFile) {
  create();
  std::string& ts = served.files["metadata/timestamp.json"];
  ts.replace(ts.find("2023-11-15T22:13:20Z"), 20, "2033-11-15T22:13:20Z");
  EXPECT_FAILS_WITH(Repository::load(reader(), default_config()),
                    "stored timestamp: arbitrary software attack: threshold not met");
  create();
  served.files.erase("metadata/1.lts.json");
  EXPECT_FAILS_WITH(Repository::load(reader(), default_config()), "has no 1.lts.json");
}

TEST_F(ReleaseRepository, TimestampFollowsTheExpiryPolicy) {
  ReleaseConfig config = default_config();
  config.expires["timestamp"] = 3600;
  Repository repo = create(config);
  EXPECT_EQ(repo.body("timestamp")["expires"], "2023-11-14T23:13:20Z");
  EXPECT_EQ(repo.body("snapshot")["expires"], "2023-11-21T22:13:20Z");
  EXPECT_EQ(repo.body("root")["expires"], "2024-11-13T22:13:20Z");
  EXPECT_EQ(repo.body("stable")["expires"], "2024-02-12T22:13:20Z");
  trust_root_v1();
  EXPECT_FAILS_WITH(client_find("stable", "x.img", kNow + 7200), "freeze attack: timestamp expired");

  ASSERT_OK(repo.refresh_timestamp(keyring, kNow + 7000));
  served.take(repo);
  EXPECT_EQ(repo.version("timestamp"), 2u);
  EXPECT_EQ(repo.version("snapshot"), 1u);
  EXPECT_FAILS_WITH(client_find("stable", "x.img", kNow + 7200), "target \"x.img\" not found");
}

TEST_F(ReleaseRepository, SecurityVersionNeverGoesDownInAChannel) {
  Repository repo = create();
  add(repo, "stable", "appliance-2.img", "two", 5);
  Release older{.name = "appliance-3.img", .length = 5,
                .hashes = {{"sha256", tuf::sha256_hex("three")}}, .version = "3",
                .security_version = 4};
  EXPECT_FAILS_WITH(repo.add_release("stable", older, keyring, kNow),
                    "security_version 4 < 5 of appliance-2.img in stable");
  older.security_version = 5;
  ASSERT_OK(repo.add_release("stable", older, keyring, kNow));
  Release same_name = older;
  same_name.hashes = {{"sha256", tuf::sha256_hex("other")}};
  EXPECT_FAILS_WITH(repo.add_release("stable", same_name, keyring, kNow),
                    "appliance-3.img is already listed in stable with other content");
  ASSERT_OK(repo.add_release("beta", same_name, keyring, kNow));
}

TEST_F(ReleaseRepository, RefusesUnknownChannelsBadNamesAndMissingKeys) {
  Repository repo = create();
  Release r{.name = "a.img", .length = 1, .hashes = {{"sha256", tuf::sha256_hex("a")}}};
  EXPECT_FAILS_WITH(repo.add_release("nightly", r, keyring, kNow), "unknown channel");
  for (const char* bad : {"../x", "a/b.img", ".hidden", "", "a b"}) {
    r.name = bad;
    EXPECT_FAILS_WITH(repo.add_release("stable", r, keyring, kNow), "target name") << bad;
  }
  r.name = "a.img";
  Keyring without_stable;
  for (const auto* k : keyring)
    if (k != keys["stable"].get()) without_stable.push_back(k);
  EXPECT_FAILS_WITH(repo.add_release("stable", r, without_stable, kNow),
                    "stable needs 1 of its keys to sign; 0 given");
  auto roles_missing = roles();
  roles_missing.erase("lts");
  EXPECT_FAILS_WITH(Repository::create(roles_missing, default_config(), kNow),
                    "no key given for role lts");
}

TEST_F(ReleaseRepository, RootRotationIsSignedByOldAndNewKeysAndFollowed) {
  create();
  Repository repo = reload();
  auto new_root = PrivateKeySigner::generate(KeyKind::ecdsa_p256).value();
  ASSERT_OK(repo.rotate("root", RoleKeys{{new_root.get()}, 1}, keyring, kNow));
  served.take(repo);
  EXPECT_EQ(repo.version("root"), 2u);
  EXPECT_EQ(repo.output().size(), 2u);
  EXPECT_EQ(repo.output()[0].first, "2.root.json");
  EXPECT_EQ(repo.output()[1].first, "root.json");
  auto envelope = tuf::parse_envelope(served.files.at("metadata/2.root.json"));
  ASSERT_OK(envelope);
  EXPECT_EQ(envelope->signatures.size(), 2u);
  EXPECT_FALSE(repo.body("root")["keys"].contains(keys["root"]->keyid()));

  trust_root_v1();
  EXPECT_FAILS_WITH(client_find("stable", "x.img"), "not found");
  auto stored = tuf::parse_root(store.files.at("root"));
  ASSERT_OK(stored);
  EXPECT_EQ(stored->signed_.version, 2u);

  // Only the new key from now on: the old one alone cannot sign root 3.
  auto third = PrivateKeySigner::generate(KeyKind::ed25519).value();
  EXPECT_FAILS_WITH(repo.rotate("root", RoleKeys{{third.get()}, 1}, keyring, kNow),
                    "root needs 1 of its keys to sign; 0 given");
}

TEST_F(ReleaseRepository, RootThresholdOfTwo) {
  auto second = PrivateKeySigner::generate(KeyKind::ed25519).value();
  auto r = roles();
  r["root"] = RoleKeys{{keys["root"].get(), second.get()}, 2};
  auto repo = Repository::create(r, default_config(), kNow);
  ASSERT_OK(repo);
  EXPECT_EQ(tuf::parse_envelope(repo->output().front().second)->signatures.size(), 2u);
  auto targets_key = PrivateKeySigner::generate(KeyKind::ed25519).value();
  EXPECT_FAILS_WITH(repo->rotate("targets", RoleKeys{{targets_key.get()}, 1}, keyring, kNow),
                    "root needs 2 of its keys to sign; 1 given");
  r["root"].threshold = 3;
  EXPECT_FAILS_WITH(Repository::create(r, default_config(), kNow), "threshold 3 with 2 distinct keys");
}

TEST_F(ReleaseRepository, RotatingOnlineAndChannelKeysKeepsClientsFollowing) {
  Repository repo = create();
  add(repo, "lts", "appliance-1.img", "one", 1);
  trust_root_v1();
  ASSERT_OK(client_find("lts", "appliance-1.img"));
  std::vector<std::unique_ptr<PrivateKeySigner>> fresh;
  for (const char* role : {"timestamp", "snapshot", "lts", "targets"}) {
    fresh.push_back(PrivateKeySigner::generate(KeyKind::ecdsa_p256).value());
    ASSERT_OK(repo.rotate(role, RoleKeys{{fresh.back().get()}, 1}, keyring, kNow)) ;
    served.take(repo);
    ASSERT_OK(client_find("lts", "appliance-1.img")) ;
    keyring.push_back(fresh.back().get());
  }
  EXPECT_EQ(repo.version("root"), 4u);  // lts lives in targets, not root
  EXPECT_EQ(repo.version("targets"), 3u);
  EXPECT_FALSE(repo.body("targets")["delegations"]["keys"].contains(keys["lts"]->keyid()));
}

TEST(ReleaseConfig, ParsesDurationsAndRefusesNonsense) {
  EXPECT_EQ(parse_duration("90d").value(), 90 * kDay);
  EXPECT_EQ(parse_duration("12h").value(), 12 * 3600);
  EXPECT_EQ(parse_duration("30").value(), 30);
  for (const char* bad : {"", "0", "-1d", "1w", "d", "99999999d"}) {
    EXPECT_FALSE(parse_duration(bad).ok()) << bad;
  }
}

TEST(ReleaseConfig, RoundTripsAndRefusesUnknownFields) {
  ReleaseConfig c = default_config();
  c.expires["timestamp"] = 7200;
  c.keyd_keys["snapshot"] = {"update/snapshot/v1"};
  auto back = parse_config(format_config(c));
  ASSERT_OK(back);
  EXPECT_EQ(back->expires, c.expires);
  EXPECT_EQ(back->keyd_keys, c.keyd_keys);
  EXPECT_EQ(back->lifetime("beta"), 90 * kDay);
  EXPECT_FAILS_WITH(parse_config(R"({"expires": {"nightly": 5}})"), "unknown role");
  EXPECT_FAILS_WITH(parse_config(R"({"expires": {"root": 0}})"), "1 s to 10 years");
  EXPECT_FAILS_WITH(parse_config(R"({"colour": 1})"), "unknown field");
  EXPECT_FAILS_WITH(parse_config(R"({"keyd_keys": {"snapshot": [1]}})"), "not a string");
}

}  // namespace
}  // namespace appliance::release
