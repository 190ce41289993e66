// NAME
//   releasectl.h - the commands of releasectl, apart from argument parsing.
//
// DESCRIPTION
//   init       creates a repository: root, targets, snapshot, timestamp and
//              the channels stable, beta, lts, each version 1.
//   add        copies a slot image into targets/ and lists it in a channel
//              with its version and security_version.
//   timestamp  signs a new timestamp (run it more often than its lifetime).
//   rotate     replaces the keys of one role.
//   genkey     writes a new offline key file.
//
//   Keys: offline keys are PEM files (--key ROLE=FILE; the role matters only
//   to init and is otherwise a reminder: signers are matched by key id).
//   Online keys live in keyd (--keyd SOCKET): by default update/snapshot/v1
//   and update/timestamp/v1 at init; the names in use are kept in
//   releasectl.json.
#pragma once

#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "common/result.h"

namespace appliance::release {

struct Options {
  std::string repo;
  std::vector<std::string> keys;       // [ROLE=]FILE
  std::vector<std::string> keyd_keys;  // ROLE=NAME
  std::string keyd_socket;
  std::vector<std::string> thresholds;  // ROLE=N
  std::vector<std::string> expires;     // ROLE=DURATION
  std::string channel;
  std::string version;
  std::uint64_t security_version = 0;
  std::string file;
  std::string name;
  std::string role;
  std::vector<std::string> new_keys;
  std::vector<std::string> new_keyd_keys;
  std::uint64_t threshold = 1;
  std::string key_type = "ed25519";
};

Result<std::string> init(const Options& options, std::int64_t now);
Result<std::string> add(const Options& options, std::int64_t now);
Result<std::string> timestamp(const Options& options, std::int64_t now);
Result<std::string> rotate(const Options& options, std::int64_t now);
Result<std::string> genkey(const Options& options);

int run(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace appliance::release
