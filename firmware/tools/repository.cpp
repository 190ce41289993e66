// NAME
//   repository.cpp - creating, loading, editing and signing the repository.
//
// DESCRIPTION
//   Every new file is parsed back with the client's parsers and checked with
//   the client's threshold code against the keys that will judge it (old and
//   new root for a root; root for top-level roles; targets' delegation for a
//   channel) before it joins output().
#include "tools/repository.h"

#include <algorithm>
#include <set>

#include "tuf/datetime.h"
#include "tuf/metadata.h"
#include "tuf/names.h"
#include "tuf/signatures.h"

namespace appliance::release {
namespace {

using json = nlohmann::json;

constexpr const char* kSpecVersion = "1.0.31";

json common_body(const std::string& type) {
  return {{"_type", type}, {"spec_version", kSpecVersion}, {"version", 1}, {"expires", ""}};
}

std::string file_name(const std::string& role, std::uint64_t version) {
  if (role == "timestamp") return "timestamp.json";
  return std::to_string(version) + "." + tuf::role_file_name(role);
}

void add_unique(Keyring& ring, const tuf::Signer* signer) {
  bool seen = std::any_of(ring.begin(), ring.end(),
                          [&](const tuf::Signer* s) { return s->keyid() == signer->keyid(); });
  if (!seen) ring.push_back(signer);
}

json meta_entry(std::uint64_t version, const std::string& bytes) {
  return {{"version", version},
          {"length", bytes.size()},
          {"hashes", {{"sha256", tuf::sha256_hex(bytes)}}}};
}

tuf::RoleKeys role_keys_of(const json& entry) {
  tuf::RoleKeys keys;
  for (const json& id : entry.at("keyids")) keys.keyids.push_back(id.get<std::string>());
  keys.threshold = entry.at("threshold").get<std::uint64_t>();
  return keys;
}

// The verified form of a top-level role's file (any parse failure is an error).
Result<tuf::Envelope> parse_top_level(const std::string& role, const std::string& bytes) {
  auto pick = [](auto parsed) -> Result<tuf::Envelope> {
    if (!parsed) return parsed.error();
    return parsed->envelope;
  };
  if (role == "timestamp") return pick(tuf::parse_timestamp(bytes));
  if (role == "snapshot") return pick(tuf::parse_snapshot(bytes));
  return pick(tuf::parse_targets(bytes));
}

}  // namespace

Result<Repository> Repository::create(const std::map<std::string, RoleKeys>& roles,
                                      ReleaseConfig config, std::int64_t now) {
  for (const char* role : kRoles) {
    if (!roles.count(role)) return Error{std::string("no key given for role ") + role};
  }
  Repository repo;
  repo.config_ = std::move(config);
  repo.creating_ = true;
  json root = common_body("root");
  root["consistent_snapshot"] = true;
  root["keys"] = json::object();
  root["roles"] = json::object();
  json targets = common_body("targets");
  targets["targets"] = json::object();
  targets["delegations"] = {{"keys", json::object()}, {"roles", json::array()}};
  for (const char* channel : kChannels) {
    targets["delegations"]["roles"].push_back({{"name", channel},
                                               {"keyids", json::array()},
                                               {"threshold", 1},
                                               {"terminating", false},
                                               {"paths", {"*"}}});
    repo.bodies_[channel] = common_body("targets");
    repo.bodies_[channel]["targets"] = json::object();
  }
  repo.bodies_["root"] = root;
  repo.bodies_["targets"] = targets;
  repo.bodies_["snapshot"] = common_body("snapshot");
  repo.bodies_["timestamp"] = common_body("timestamp");
  Keyring keyring;
  for (const auto& [role, keys] : roles) {
    if (auto r = repo.set_keys(role, keys); !r) return r.error();
    for (const tuf::Signer* s : keys.keys) add_unique(keyring, s);
  }
  for (const char* role : {"root", "targets", "stable", "beta", "lts"}) {
    if (auto r = repo.publish(role, keyring, now); !r) return r.error();
  }
  if (auto r = repo.publish_snapshot_and_timestamp(keyring, now); !r) return r.error();
  repo.creating_ = false;
  return repo;
}

Result<Repository> Repository::load(const MetadataReader& read, ReleaseConfig config) {
  Repository repo;
  repo.config_ = std::move(config);
  for (const char* role : {"root", "timestamp"}) {
    auto bytes = read(std::string(role) + ".json");
    if (!bytes) return bytes.error();
    if (!*bytes) return Error{std::string("the repository has no ") + role + ".json"};
    repo.bytes_[role] = **bytes;
  }
  auto root = tuf::parse_root(repo.bytes_["root"]);
  if (!root) return Error{"root.json: " + root.message()};
  repo.bodies_["root"] = root->envelope.signed_json;
  auto timestamp = tuf::parse_timestamp(repo.bytes_["timestamp"]);
  if (!timestamp) return Error{"timestamp.json: " + timestamp.message()};
  repo.bodies_["timestamp"] = timestamp->envelope.signed_json;
  const std::string snapshot_name = file_name("snapshot", timestamp->signed_.snapshot_meta.version);
  auto snapshot_bytes = read(snapshot_name);
  if (!snapshot_bytes) return snapshot_bytes.error();
  if (!*snapshot_bytes) return Error{"the repository has no " + snapshot_name};
  auto snapshot = tuf::parse_snapshot(**snapshot_bytes);
  if (!snapshot) return Error{snapshot_name + ": " + snapshot.message()};
  repo.bodies_["snapshot"] = snapshot->envelope.signed_json;
  repo.bytes_["snapshot"] = **snapshot_bytes;
  if (auto r = repo.load_targets_roles(read); !r) return r.error();
  return repo;
}

Result<void> Repository::load_targets_roles(const MetadataReader& read) {
  const json& meta = bodies_["snapshot"]["meta"];
  for (const char* role : {"targets", "stable", "beta", "lts"}) {
    auto entry = meta.find(tuf::role_file_name(role));
    if (entry == meta.end()) return Error{std::string("snapshot does not list ") + role};
    const std::string name = file_name(role, entry->at("version").get<std::uint64_t>());
    auto bytes = read(name);
    if (!bytes) return bytes.error();
    if (!*bytes) return Error{"the repository has no " + name};
    auto parsed = tuf::parse_targets(**bytes);
    if (!parsed) return Error{name + ": " + parsed.message()};
    bodies_[role] = parsed->envelope.signed_json;
    bytes_[role] = **bytes;
  }
  for (const char* role : kRoles) {
    if (auto r = verify(role, bytes_[role]); !r) return Error{"stored " + std::string(role) + ": " + r.message()};
  }
  return {};
}

Result<void> Repository::add_release(const std::string& channel, const Release& release,
                                     const Keyring& keyring, std::int64_t now) {
  if (!is_channel(channel)) return Error{"unknown channel \"" + channel + "\" (stable, beta, lts)"};
  if (auto r = check_target_name(release.name); !r) return r;
  if (!release.hashes.count("sha256")) return Error{"a release needs its sha256"};
  json& targets = bodies_[channel]["targets"];
  if (targets.contains(release.name) && targets[release.name].value("hashes", json()) != json(release.hashes))
    return Error{release.name + " is already listed in " + channel + " with other content"};
  for (const auto& [name, entry] : targets.items()) {
    const json custom = entry.value("custom", json::object());
    const auto it = custom.find("security_version");
    const std::uint64_t listed =
        it != custom.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : 0;
    if (listed > release.security_version) {
      return Error{"security_version " + std::to_string(release.security_version) + " < " +
                   std::to_string(listed) + " of " + name + " in " + channel +
                   ": appliances would refuse it"};
    }
  }
  targets[release.name] = {
      {"length", release.length},
      {"hashes", release.hashes},
      {"custom", {{"version", release.version}, {"security_version", release.security_version}}}};
  if (auto r = publish(channel, keyring, now); !r) return r;
  return publish_snapshot_and_timestamp(keyring, now);
}

Result<void> Repository::refresh_timestamp(const Keyring& keyring, std::int64_t now) {
  return publish_timestamp(keyring, now);
}

Result<void> Repository::rotate(const std::string& role, const RoleKeys& new_keys,
                                const Keyring& keyring, std::int64_t now) {
  if (!is_known_role(role)) return Error{"unknown role \"" + role + "\""};
  Keyring full = keyring;
  for (const tuf::Signer* s : new_keys.keys) add_unique(full, s);
  if (role == "root") {
    auto old = signers_for("root", keyring);
    if (!old) return old.error();
    if (auto r = set_keys(role, new_keys); !r) return r;
    return publish("root", full, now, *old);
  }
  if (auto r = set_keys(role, new_keys); !r) return r;
  if (auto r = publish(is_channel(role) ? "targets" : "root", keyring, now); !r) return r;
  if (role == "timestamp") return publish_timestamp(full, now);
  if (role != "snapshot") {
    if (auto r = publish(role, full, now); !r) return r;
  }
  return publish_snapshot_and_timestamp(full, now);
}

std::uint64_t Repository::version(const std::string& role) const {
  return body(role).at("version").get<std::uint64_t>();
}

const json& Repository::body(const std::string& role) const {
  return bodies_.at(role);
}

std::vector<std::string> Repository::target_file_names(const Release& release) {
  std::vector<std::string> names;
  for (const auto& [algorithm, hex] : release.hashes) names.push_back(hex + "." + release.name);
  return names;
}

Result<void> Repository::check_target_name(const std::string& name) {
  bool plain = !name.empty() && name.size() <= 200 && name[0] != '.' &&
               std::all_of(name.begin(), name.end(), [](char c) {
                 return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
               });
  if (!plain) return Error{"target name \"" + name + "\": use A-Z a-z 0-9 . _ - (not first '.')"};
  return {};
}

json& Repository::mutable_body(const std::string& role) {
  return bodies_.at(role);
}

json& Repository::key_holder(const std::string& role) {
  if (is_channel(role)) return bodies_["targets"]["delegations"]["keys"];
  return bodies_["root"]["keys"];
}

json* Repository::role_entry(const std::string& role) {
  if (!is_channel(role)) return &bodies_["root"]["roles"][role];
  for (json& entry : bodies_["targets"]["delegations"]["roles"]) {
    if (entry["name"] == role) return &entry;
  }
  return nullptr;
}

Result<Keyring> Repository::signers_for(const std::string& role, const Keyring& keyring) const {
  const json* entry = nullptr;
  if (!is_channel(role)) {
    entry = &bodies_.at("root").at("roles").at(role);
  } else {
    for (const json& e : bodies_.at("targets").at("delegations").at("roles"))
      if (e.at("name") == role) entry = &e;
  }
  if (entry == nullptr) return Error{"no role " + role};
  const tuf::RoleKeys wanted = role_keys_of(*entry);
  Keyring chosen;
  for (const tuf::Signer* s : keyring) {
    if (std::count(wanted.keyids.begin(), wanted.keyids.end(), s->keyid())) add_unique(chosen, s);
  }
  if (chosen.size() < wanted.threshold) {
    return Error{role + " needs " + std::to_string(wanted.threshold) + " of its keys to sign; " +
                 std::to_string(chosen.size()) + " given"};
  }
  return chosen;
}

Result<void> Repository::set_keys(const std::string& role, const RoleKeys& keys) {
  std::set<std::string> ids;
  for (const tuf::Signer* s : keys.keys) ids.insert(s->keyid());
  if (keys.threshold < 1 || keys.threshold > ids.size()) {
    return Error{role + ": threshold " + std::to_string(keys.threshold) + " with " +
                 std::to_string(ids.size()) + " distinct keys"};
  }
  json* entry = role_entry(role);
  if (entry == nullptr) return Error{"no role " + role};
  (*entry)["keyids"] = std::vector<std::string>(ids.begin(), ids.end());
  (*entry)["threshold"] = keys.threshold;
  for (const tuf::Signer* s : keys.keys) key_holder(role)[s->keyid()] = s->public_key();
  drop_unused_keys(role);
  return {};
}

void Repository::drop_unused_keys(const std::string& role) {
  json& holder = key_holder(role);
  const json& roles = is_channel(role) ? bodies_["targets"]["delegations"]["roles"]
                                       : bodies_["root"]["roles"];
  std::set<std::string> used;
  for (const json& entry : roles) {
    for (const json& id : entry.value("keyids", json::array())) used.insert(id.get<std::string>());
  }
  json kept = json::object();
  for (const auto& [id, key] : holder.items()) {
    if (used.count(id)) kept[id] = key;
  }
  holder = kept;
}

Result<void> Repository::publish(const std::string& role, const Keyring& keyring,
                                 std::int64_t now, const Keyring& also_signing) {
  json& body = mutable_body(role);
  if (!creating_) body["version"] = version(role) + 1;
  body["expires"] = tuf::format_datetime(now + config_.lifetime(role));
  auto signers = signers_for(role, keyring);
  if (!signers) return signers.error();
  for (const tuf::Signer* s : also_signing) add_unique(*signers, s);
  auto bytes = tuf::sign_metadata(body, *signers);
  if (!bytes) return Error{role + ": " + bytes.message()};
  if (auto r = verify(role, *bytes); !r) return Error{"refusing to publish " + role + ": " + r.message()};
  bytes_[role] = *bytes;
  output_.emplace_back(file_name(role, version(role)), *bytes);
  if (role == "root") output_.emplace_back("root.json", *bytes);
  return {};
}

Result<void> Repository::verify_root(const std::string& bytes) const {
  auto fresh = tuf::parse_root(bytes);
  if (!fresh) return fresh.error();
  const auto& self = fresh->signed_;
  if (auto r = tuf::verify_threshold(fresh->envelope, self.keys, self.roles.at("root"), "root",
                                     " (keys of the new root)");
      !r) {
    return r;
  }
  auto old = bytes_.find("root");
  if (old == bytes_.end()) return {};
  auto trusted = tuf::parse_root(old->second);
  if (!trusted) return trusted.error();
  return tuf::verify_threshold(fresh->envelope, trusted->signed_.keys,
                               trusted->signed_.roles.at("root"), "root",
                               " (keys of the previous root)");
}

Result<void> Repository::verify(const std::string& role, const std::string& bytes) const {
  if (role == "root") return verify_root(bytes);
  auto envelope = parse_top_level(role, bytes);
  if (!envelope) return envelope.error();
  if (is_channel(role)) {
    auto targets = tuf::parse_targets(bytes_.at("targets"));
    if (!targets) return targets.error();
    if (!targets->signed_.delegations) return Error{"targets delegates to no channel"};
    const auto& delegations = *targets->signed_.delegations;
    for (const auto& d : delegations.roles) {
      if (d.name == role) return tuf::verify_threshold(*envelope, delegations.keys, d.keys, role);
    }
    return Error{"targets does not delegate to " + role};
  }
  auto root = tuf::parse_root(bytes_.at("root"));
  if (!root) return root.error();
  return tuf::verify_threshold(*envelope, root->signed_.keys, root->signed_.roles.at(role), role);
}

Result<void> Repository::publish_snapshot_and_timestamp(const Keyring& keyring,
                                                        std::int64_t now) {
  json meta = json::object();
  for (const char* role : {"targets", "stable", "beta", "lts"}) {
    meta[tuf::role_file_name(role)] = meta_entry(version(role), bytes_.at(role));
  }
  bodies_["snapshot"]["meta"] = meta;
  if (auto r = publish("snapshot", keyring, now); !r) return r;
  return publish_timestamp(keyring, now);
}

Result<void> Repository::publish_timestamp(const Keyring& keyring, std::int64_t now) {
  bodies_["timestamp"]["meta"] = {
      {"snapshot.json", meta_entry(version("snapshot"), bytes_.at("snapshot"))}};
  return publish("timestamp", keyring, now);
}

}  // namespace appliance::release
