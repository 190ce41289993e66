// NAME
//   repository_simulator.cpp - building, signing and serving a test repository.
#include "tuf/testing/repository_simulator.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "tuf/datetime.h"
#include "tuf/digest.h"
#include "tuf/metadata.h"
#include "tuf/names.h"

namespace appliance::tuf::testing {
namespace {

using json = nlohmann::json;

constexpr const char* kSpecVersion = "1.0.31";
constexpr std::size_t kChunk = 4096;

json common_body(const char* type, std::int64_t expires) {
  return {{"_type", type},
          {"spec_version", kSpecVersion},
          {"version", 1},
          {"expires", format_datetime(expires)}};
}

std::string sha512_hex(std::string_view data) {
  return digest_hex("sha512", data);
}

std::uint64_t version_of(const json& body) {
  return body["version"].get<std::uint64_t>();
}

void bump(json& body) {
  body["version"] = version_of(body) + 1;
}

}  // namespace

Result<std::unique_ptr<RepositorySimulator>> RepositorySimulator::create(SimulatorOptions options) {
  std::unique_ptr<RepositorySimulator> sim(new RepositorySimulator(options));
  if (auto r = sim->init(); !r) return r.error();
  return sim;
}

Result<void> RepositorySimulator::init() {
  const std::int64_t expires = options_.now + options_.lifetime;
  root = common_body("root", expires);
  root["consistent_snapshot"] = options_.consistent_snapshot;
  root["keys"] = json::object();
  root["roles"] = json::object();
  for (const char* role : {"root", "timestamp", "snapshot", "targets"}) {
    root["roles"][role] = {{"keyids", json::array()}, {"threshold", 1}};
    if (auto k = add_key(role, options_.key_kind); !k) return k.error();
  }
  targets["targets"] = common_body("targets", expires);
  targets["targets"]["targets"] = json::object();
  snapshot = common_body("snapshot", expires);
  snapshot["meta"] = json::object();
  timestamp = common_body("timestamp", expires);
  timestamp["meta"] = json::object();
  if (auto r = publish_root(); !r) return r;
  if (auto r = publish_targets("targets"); !r) return r;
  if (auto r = publish_snapshot(); !r) return r;
  return publish_timestamp();
}

json* RepositorySimulator::delegation_entry(const std::string& role) {
  auto parent = delegator_of_.find(role);
  if (parent == delegator_of_.end()) return nullptr;
  for (json& entry : targets[parent->second]["delegations"]["roles"]) {
    if (entry["name"] == role) return &entry;
  }
  return nullptr;
}

json* RepositorySimulator::role_keys_entry(const std::string& role) {
  if (is_top_level_role(role)) return &root["roles"][role];
  return delegation_entry(role);
}

json& RepositorySimulator::keys_object_for(const std::string& role) {
  if (is_top_level_role(role)) return root["keys"];
  return targets[delegator_of_[role]]["delegations"]["keys"];
}

Result<std::shared_ptr<Signer>> RepositorySimulator::add_key(const std::string& role,
                                                             KeyKind kind) {
  json* entry = role_keys_entry(role);
  if (entry == nullptr) return Error{"no role " + role};
  auto generated = InMemorySigner::generate(kind);
  if (!generated) return generated.error();
  std::shared_ptr<Signer> signer = std::move(*generated);
  keys_object_for(role)[signer->keyid()] = signer->public_key();
  (*entry)["keyids"].push_back(signer->keyid());
  signers[role].push_back(signer);
  if (!is_top_level_role(role)) dirty.insert(delegator_of_[role]);
  return signer;
}

void RepositorySimulator::remove_key(const std::string& role, const std::string& keyid) {
  if (json* entry = role_keys_entry(role)) {
    json kept = json::array();
    for (const json& id : (*entry)["keyids"]) {
      if (id != keyid) kept.push_back(id);
    }
    (*entry)["keyids"] = kept;
  }
  auto& list = signers[role];
  list.erase(
      std::remove_if(list.begin(), list.end(), [&](const auto& s) { return s->keyid() == keyid; }),
      list.end());
  if (!is_top_level_role(role)) dirty.insert(delegator_of_[role]);
}

void RepositorySimulator::set_threshold(const std::string& role, std::uint64_t threshold) {
  if (json* entry = role_keys_entry(role)) (*entry)["threshold"] = threshold;
  if (!is_top_level_role(role)) dirty.insert(delegator_of_[role]);
}

void RepositorySimulator::add_target(const std::string& role, const std::string& path,
                                     const std::string& content, const json& custom) {
  json hashes = {{"sha256", sha256_hex(content)}, {"sha512", sha512_hex(content)}};
  json entry = {{"length", content.size()}, {"hashes", hashes}};
  if (!custom.is_null()) entry["custom"] = custom;
  targets[role]["targets"][path] = entry;
  dirty.insert(role);
  publish_target_files(path, content, hashes);
}

void RepositorySimulator::replace_target_content(const std::string& path,
                                                 const std::string& content) {
  for (const auto& [role, body] : targets) {
    auto entry = body["targets"].find(path);
    if (entry == body["targets"].end()) continue;
    target_files[target_name(path, "")] = content;
    for (const auto& [name, hex] : (*entry)["hashes"].items()) {
      target_files[target_name(path, hex.get<std::string>())] = content;
    }
  }
}

void RepositorySimulator::publish_target_files(const std::string& path, const std::string& content,
                                               const json& hashes) {
  target_files[target_name(path, "")] = content;
  for (const auto& [name, hex] : hashes.items()) {
    target_files[target_name(path, hex.get<std::string>())] = content;
  }
}

Result<void> RepositorySimulator::add_delegation(const std::string& delegator,
                                                 const DelegationSpec& spec) {
  json& parent = targets[delegator];
  if (!parent.contains("delegations")) {
    parent["delegations"] = {{"keys", json::object()}, {"roles", json::array()}};
  }
  json entry = {{"name", spec.name},
                {"keyids", json::array()},
                {"threshold", spec.threshold},
                {"terminating", spec.terminating}};
  if (spec.path_hash_prefixes.empty())
    entry["paths"] = spec.paths;
  else
    entry["path_hash_prefixes"] = spec.path_hash_prefixes;
  parent["delegations"]["roles"].push_back(entry);
  delegator_of_[spec.name] = delegator;
  targets[spec.name] = common_body("targets", options_.now + options_.lifetime);
  targets[spec.name]["targets"] = json::object();
  for (int i = 0; i < spec.keys; ++i) {
    if (auto k = add_key(spec.name, options_.key_kind); !k) return k.error();
  }
  dirty.insert(delegator);
  dirty.insert(spec.name);
  return {};
}

void RepositorySimulator::set_expires(const std::string& role, std::int64_t expires) {
  std::string when = format_datetime(expires);
  if (role == "root")
    root["expires"] = when;
  else if (role == "timestamp")
    timestamp["expires"] = when;
  else if (role == "snapshot")
    snapshot["expires"] = when;
  else {
    targets[role]["expires"] = when;
    dirty.insert(role);
  }
}

Result<std::string> RepositorySimulator::sign_with(
    const json& body, const std::vector<std::shared_ptr<Signer>>& keys) const {
  std::vector<const Signer*> raw;
  for (const auto& k : keys) {
    bool seen = std::any_of(raw.begin(), raw.end(),
                            [&](const Signer* s) { return s->keyid() == k->keyid(); });
    if (!seen) raw.push_back(k.get());
  }
  return sign_metadata(body, raw);
}

Result<std::string> RepositorySimulator::sign(const std::string& role) const {
  const json* body = nullptr;
  if (role == "root")
    body = &root;
  else if (role == "timestamp")
    body = &timestamp;
  else if (role == "snapshot")
    body = &snapshot;
  else if (auto it = targets.find(role); it != targets.end())
    body = &it->second;
  if (body == nullptr) return Error{"no role " + role};
  auto keys = signers.find(role);
  return sign_with(*body,
                   keys == signers.end() ? std::vector<std::shared_ptr<Signer>>{} : keys->second);
}

std::string RepositorySimulator::metadata_name(const std::string& role,
                                               std::uint64_t version) const {
  if (root.value("consistent_snapshot", false)) {
    return std::to_string(version) + "." + role_file_name(role);
  }
  return role_file_name(role);
}

std::string RepositorySimulator::target_name(const std::string& path,
                                             const std::string& hash) const {
  std::string url = target_url(kTargetsUrl, path,
                               hash.empty() ? std::nullopt : std::optional<std::string_view>(hash));
  return url.substr(std::string(kTargetsUrl).size());
}

const std::string& RepositorySimulator::root_file(std::uint64_t version) const {
  return metadata.at(std::to_string(version) + ".root.json");
}

Result<void> RepositorySimulator::publish_root(
    const std::vector<std::shared_ptr<Signer>>& also_signed_by) {
  if (published_.count("root")) bump(root);
  std::vector<std::shared_ptr<Signer>> keys = signers["root"];
  keys.insert(keys.end(), also_signed_by.begin(), also_signed_by.end());
  auto bytes = sign_with(root, keys);
  if (!bytes) return bytes.error();
  metadata[std::to_string(version_of(root)) + ".root.json"] = *bytes;
  metadata["root.json"] = *bytes;
  published_.insert("root");
  return {};
}

Result<void> RepositorySimulator::publish_targets(const std::string& role) {
  if (published_.count(role)) bump(targets[role]);
  auto bytes = sign(role);
  if (!bytes) return bytes.error();
  metadata[metadata_name(role, version_of(targets[role]))] = *bytes;
  last_bytes_[role] = *bytes;
  published_.insert(role);
  dirty.erase(role);
  return {};
}

Result<void> RepositorySimulator::publish_snapshot(bool recompute_meta) {
  if (recompute_meta) snapshot["meta"] = snapshot_meta();
  if (published_.count("snapshot")) bump(snapshot);
  auto bytes = sign("snapshot");
  if (!bytes) return bytes.error();
  metadata[metadata_name("snapshot", version_of(snapshot))] = *bytes;
  snapshot_bytes_ = *bytes;
  published_.insert("snapshot");
  return {};
}

json RepositorySimulator::snapshot_meta() const {
  json meta = json::object();
  for (const auto& [role, bytes] : last_bytes_) {
    json entry = {{"version", version_of(targets.at(role))}};
    if (options_.snapshot_lists_hashes) {
      entry["length"] = bytes.size();
      entry["hashes"] = {{"sha256", sha256_hex(bytes)}};
    }
    meta[role + ".json"] = entry;
  }
  return meta;
}

Result<void> RepositorySimulator::publish_timestamp() {
  json entry = {{"version", version_of(snapshot)}};
  if (options_.timestamp_lists_hashes) {
    entry["length"] = snapshot_bytes_.size();
    entry["hashes"] = {{"sha256", sha256_hex(snapshot_bytes_)}};
  }
  timestamp["meta"] = {{"snapshot.json", entry}};
  if (published_.count("timestamp")) bump(timestamp);
  auto bytes = sign("timestamp");
  if (!bytes) return bytes.error();
  metadata["timestamp.json"] = *bytes;
  published_.insert("timestamp");
  return {};
}

Result<void> RepositorySimulator::publish() {
  std::set<std::string> roles = dirty;
  for (const auto& role : roles) {
    if (auto r = publish_targets(role); !r) return r;
  }
  if (auto r = publish_snapshot(); !r) return r;
  return publish_timestamp();
}

FetchResult RepositorySimulator::fetch(const std::string& url, std::uint64_t max_length,
                                       const ChunkSink& sink) {
  fetch_log.push_back(url);
  const std::string meta_base = kMetadataUrl, target_base = kTargetsUrl;
  const std::map<std::string, std::string>* files = nullptr;
  std::string name;
  if (url.rfind(meta_base, 0) == 0) files = &metadata, name = url.substr(meta_base.size());
  if (url.rfind(target_base, 0) == 0) files = &target_files, name = url.substr(target_base.size());
  auto it = files ? files->find(name) : std::map<std::string, std::string>::const_iterator();
  if (files == nullptr || it == files->end()) return {FetchStatus::not_found, url + ": 404"};
  const std::string& body = it->second;
  if (body.size() > max_length && !ignore_max_length) return {FetchStatus::too_large, ""};
  for (std::size_t off = 0; off < body.size(); off += kChunk) {
    if (!sink(std::string_view(body).substr(off, kChunk))) {
      return {FetchStatus::failed, "aborted by the receiver"};
    }
  }
  return {FetchStatus::ok, ""};
}

Result<void> RepositorySimulator::write_to(const std::string& dir) const {
  namespace fs = std::filesystem;
  auto write_all = [&](const std::string& sub,
                       const std::map<std::string, std::string>& files) -> Result<void> {
    for (const auto& [name, bytes] : files) {
      fs::path path = fs::path(dir) / sub / name;
      std::error_code ec;
      fs::create_directories(path.parent_path(), ec);
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      if (!out) return Error{"cannot write " + path.string()};
    }
    return {};
  };
  if (auto r = write_all("metadata", metadata); !r) return r;
  return write_all("targets", target_files);
}

}  // namespace appliance::tuf::testing
