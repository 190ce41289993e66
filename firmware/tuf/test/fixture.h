// NAME
//   fixture.h - a simulated repository and a client wired to it, for the
//   updater, attack and delegation tests.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tuf/clock.h"
#include "tuf/testing/memory_stores.h"
#include "tuf/testing/repository_simulator.h"
#include "tuf/updater.h"

namespace appliance::tuf::testing {

// The message of a failed Result, or "<ok>".
template <class R>
std::string outcome(const R& r) {
  return r.ok() ? std::string("<ok>") : r.message();
}

#define EXPECT_OK(expr)                                             \
  do {                                                              \
    auto&& r_ = (expr);                                             \
    EXPECT_TRUE(r_.ok()) << ::appliance::tuf::testing::outcome(r_); \
  } while (0)
#define ASSERT_OK(expr)                                             \
  do {                                                              \
    auto&& r_ = (expr);                                             \
    ASSERT_TRUE(r_.ok()) << ::appliance::tuf::testing::outcome(r_); \
  } while (0)
#define EXPECT_FAILS_WITH(expr, text) \
  EXPECT_THAT(::appliance::tuf::testing::outcome(expr), ::testing::HasSubstr(text))

inline std::unique_ptr<RepositorySimulator> make_repo(SimulatorOptions options = {}) {
  auto sim = RepositorySimulator::create(options);
  if (!sim) ADD_FAILURE() << sim.message();
  return sim ? std::move(*sim) : nullptr;
}

// A client that trusts version 1 of the repository's root.
struct Client {
  explicit Client(RepositorySimulator& repo, std::int64_t now = SimulatorOptions{}.now)
      : sim(repo), clock(now) {
    store.files["root"] = repo.root_file(1);
    config.metadata_base_url = RepositorySimulator::kMetadataUrl;
  }

  Updater updater() { return Updater(config, sim, store, clock); }
  Result<void> refresh() { return updater().refresh(); }

  // Refresh, find and download `path` into `targets`; returns its bytes.
  Result<std::string> fetch_target(const std::string& path, const std::string& channel = "") {
    Updater u = updater();
    auto info = channel.empty() ? u.find_target(path) : u.find_target_in_role(channel, path);
    if (!info) return info.error();
    auto where = u.download_target(*info, RepositorySimulator::kTargetsUrl, targets);
    if (!where) return where.error();
    return targets.committed.at(path);
  }

  std::uint64_t stored_version(const std::string& role) {
    auto it = store.files.find(role);
    if (it == store.files.end()) return 0;
    auto env = parse_envelope(it->second);
    return env ? env->signed_json["version"].get<std::uint64_t>() : 0;
  }

  RepositorySimulator& sim;
  MemoryMetadataStore store;
  MemoryTargetStore targets;
  FixedClock clock;
  UpdaterConfig config;
};

}  // namespace appliance::tuf::testing
