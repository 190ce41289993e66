// NAME
//   metadata.cpp - parsers for root, timestamp, snapshot and targets metadata.
//
// DESCRIPTION
//   A Fields reader walks one JSON object and keeps the first error it meets
//   (like a stream's failbit), so that each parser reads as the format it
//   parses. No nlohmann exception escapes: every access checks the type first.
//
// SECURITY
//   Input is untrusted bytes straight from the network or disk; this file is
//   what the fuzz target drives.
#include "tuf/metadata.h"

#include <set>

#include "tuf/canonical_json.h"
#include "tuf/datetime.h"

namespace appliance::tuf {
namespace {

using json = nlohmann::json;

class Fields {
 public:
  Fields(const json& obj, std::string where) : obj_(obj), where_(std::move(where)) {
    if (!obj_.is_object()) fail("is not an object");
  }

  const json* find(const char* name) const {
    if (!obj_.is_object()) return nullptr;
    auto it = obj_.find(name);
    return it == obj_.end() ? nullptr : &*it;
  }

  const json& need(const char* name, json::value_t type, const char* type_name) {
    static const json kNull;
    const json* v = find(name);
    if (!v || v->type() != type) {
      fail(std::string("needs ") + type_name + " \"" + name + "\"");
      return kNull;
    }
    return *v;
  }

  std::string str(const char* name) {
    const json& v = need(name, json::value_t::string, "string");
    return v.is_string() ? v.get<std::string>() : std::string();
  }

  // A non-negative integer no smaller than `min`.
  std::uint64_t uint(const char* name, std::uint64_t min) {
    const json* v = find(name);
    if (!v || !v->is_number_unsigned() || v->get<std::uint64_t>() < min) {
      fail(std::string("needs integer \"") + name + "\" >= " + std::to_string(min));
      return min;
    }
    return v->get<std::uint64_t>();
  }

  bool boolean(const char* name, std::optional<bool> fallback) {
    const json* v = find(name);
    if (!v && fallback) return *fallback;
    if (!v || !v->is_boolean()) {
      fail(std::string("needs boolean \"") + name + "\"");
      return false;
    }
    return v->get<bool>();
  }

  const json& object(const char* name) { return need(name, json::value_t::object, "object"); }
  const json& array(const char* name) { return need(name, json::value_t::array, "array"); }

  void fail(const std::string& message) {
    if (error_.empty()) error_ = where_ + " " + message;
  }
  void adopt(const Error& e) {
    if (error_.empty()) error_ = where_ + ": " + e.message;
  }

  bool ok() const { return error_.empty(); }
  Error error() const { return Error{error_}; }
  const std::string& where() const { return where_; }

 private:
  const json& obj_;
  std::string where_;
  std::string error_;
};

bool spec_version_supported(const std::string& v) {
  auto dot = v.find('.');
  return dot != std::string::npos && v.substr(0, dot) == kSpecMajor;
}

void read_common(Fields& f, const char* type, SignedCommon& out) {
  out.type = f.str("_type");
  if (f.ok() && out.type != type) {
    f.fail(std::string("has _type \"") + out.type + "\", expected \"" + type + "\"");
  }
  out.spec_version = f.str("spec_version");
  if (f.ok() && !spec_version_supported(out.spec_version)) {
    f.fail("has unsupported spec_version \"" + out.spec_version + "\" (need 1.x)");
  }
  out.version = f.uint("version", 1);
  std::string expires = f.str("expires");
  if (!f.ok()) return;
  auto t = parse_datetime(expires);
  if (!t) return f.adopt(t.error());
  out.expires = *t;
}

std::vector<std::string> read_string_list(Fields& f, const char* name, bool unique) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const json& item : f.array(name)) {
    if (!item.is_string()) {
      f.fail(std::string("\"") + name + "\" holds a non-string");
      break;
    }
    if (unique && !seen.insert(item.get<std::string>()).second) {
      f.fail(std::string("\"") + name + "\" repeats \"" + item.get<std::string>() + "\"");
      break;
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

RoleKeys read_role_keys(Fields& f) {
  RoleKeys r;
  r.keyids = read_string_list(f, "keyids", true);
  r.threshold = f.uint("threshold", 1);
  return r;
}

Hashes read_hashes(Fields& f, const json& obj) {
  Hashes out;
  for (const auto& [name, value] : obj.items()) {
    if (!value.is_string() || !from_hex(value.get<std::string>())) {
      f.fail("hash \"" + name + "\" is not a hex string");
      break;
    }
    out.emplace(name, value.get<std::string>());
  }
  return out;
}

MetaFile read_metafile(const json& obj, const std::string& where, Fields& parent) {
  Fields f(obj, where);
  MetaFile m;
  m.version = f.uint("version", 1);
  if (f.find("length")) m.length = f.uint("length", 0);
  if (f.find("hashes")) m.hashes = read_hashes(f, f.object("hashes"));
  if (!f.ok()) parent.adopt(f.error());
  return m;
}

std::map<std::string, MetaFile> read_meta(Fields& f) {
  std::map<std::string, MetaFile> out;
  for (const auto& [path, entry] : f.object("meta").items()) {
    out.emplace(path, read_metafile(entry, "meta \"" + path + "\"", f));
  }
  return out;
}

Root read_root(Fields& f) {
  Root r;
  read_common(f, "root", r);
  r.consistent_snapshot = f.boolean("consistent_snapshot", false);
  auto keys = parse_key_map(f.object("keys"));
  if (keys)
    r.keys = std::move(*keys);
  else
    f.adopt(keys.error());
  for (const auto& [name, role] : f.object("roles").items()) {
    Fields rf(role, "role \"" + name + "\"");
    r.roles.emplace(name, read_role_keys(rf));
    if (!rf.ok()) f.adopt(rf.error());
  }
  for (const char* name : {"root", "timestamp", "snapshot", "targets"}) {
    if (f.ok() && !r.roles.count(name)) f.fail(std::string("lacks role \"") + name + "\"");
  }
  return r;
}

Timestamp read_timestamp(Fields& f) {
  Timestamp t;
  read_common(f, "timestamp", t);
  auto meta = read_meta(f);
  if (!f.ok()) return t;
  auto it = meta.find("snapshot.json");
  if (meta.size() != 1 || it == meta.end()) {
    f.fail("meta must list exactly \"snapshot.json\"");
    return t;
  }
  t.snapshot_meta = it->second;
  return t;
}

Snapshot read_snapshot(Fields& f) {
  Snapshot s;
  read_common(f, "snapshot", s);
  s.meta = read_meta(f);
  return s;
}

TargetFile read_target(const json& obj, const std::string& where, Fields& parent) {
  Fields f(obj, where);
  TargetFile t;
  t.length = f.uint("length", 0);
  t.hashes = read_hashes(f, f.object("hashes"));
  if (f.ok() && t.hashes.empty()) f.fail("lists no hashes");
  if (f.find("custom")) t.custom = f.object("custom");
  if (!f.ok()) parent.adopt(f.error());
  return t;
}

bool is_hex_prefix(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

DelegatedRole read_delegated_role(Fields& f) {
  DelegatedRole d;
  d.name = f.str("name");
  d.keys = read_role_keys(f);
  d.terminating = f.boolean("terminating", false);
  bool has_paths = f.find("paths") != nullptr;
  bool has_prefixes = f.find("path_hash_prefixes") != nullptr;
  if (has_paths == has_prefixes) {
    f.fail("needs exactly one of \"paths\" and \"path_hash_prefixes\"");
    return d;
  }
  d.by_hash_prefix = has_prefixes;
  if (has_paths) d.paths = read_string_list(f, "paths", false);
  if (has_prefixes) d.path_hash_prefixes = read_string_list(f, "path_hash_prefixes", false);
  for (const auto& p : d.path_hash_prefixes) {
    if (!is_hex_prefix(p)) f.fail("path hash prefix \"" + p + "\" is not lowercase hex");
  }
  return d;
}

Delegations read_delegations(Fields& f, const json& obj) {
  Fields df(obj, "delegations");
  Delegations d;
  auto keys = parse_key_map(df.object("keys"));
  if (keys)
    d.keys = std::move(*keys);
  else
    df.adopt(keys.error());
  std::set<std::string> names;
  for (const json& role : df.array("roles")) {
    Fields rf(role, "delegated role");
    DelegatedRole r = read_delegated_role(rf);
    if (rf.ok() && (r.name.empty() || is_top_level_role(r.name))) {
      rf.fail("has a reserved or empty name \"" + r.name + "\"");
    }
    if (rf.ok() && !names.insert(r.name).second) rf.fail("\"" + r.name + "\" is listed twice");
    if (!rf.ok()) {
      df.adopt(rf.error());
      break;
    }
    d.roles.push_back(std::move(r));
  }
  if (!df.ok()) f.adopt(df.error());
  return d;
}

Targets read_targets(Fields& f) {
  Targets t;
  read_common(f, "targets", t);
  for (const auto& [path, entry] : f.object("targets").items()) {
    t.targets.emplace(path, read_target(entry, "target \"" + path + "\"", f));
  }
  if (const json* d = f.find("delegations")) t.delegations = read_delegations(f, *d);
  return t;
}

template <class Body, class Reader>
Result<Metadata<Body>> parse_role(std::string_view bytes, const char* role, Reader read) {
  auto env = parse_envelope(bytes);
  if (!env) return Error{std::string("malformed ") + role + " metadata: " + env.message()};
  Fields f(env->signed_json, "signed");
  Body body = read(f);
  if (!f.ok()) return Error{std::string("malformed ") + role + " metadata: " + f.error().message};
  return Metadata<Body>{std::move(*env), std::move(body)};
}

}  // namespace

bool is_top_level_role(std::string_view name) {
  return name == "root" || name == "timestamp" || name == "snapshot" || name == "targets";
}

Result<Envelope> parse_envelope(std::string_view bytes) {
  auto doc = parse_json(bytes);
  if (!doc) return doc.error();
  Fields f(*doc, "document");
  Envelope env;
  env.signed_json = f.object("signed");
  std::set<std::string> keyids;
  for (const json& s : f.array("signatures")) {
    Fields sf(s, "signature");
    Signature sig{sf.str("keyid"), sf.str("sig")};
    if (sf.ok() && !keyids.insert(sig.keyid).second) sf.fail("repeats keyid " + sig.keyid);
    if (!sf.ok()) return sf.error();
    env.signatures.push_back(std::move(sig));
  }
  if (!f.ok()) return f.error();
  auto canonical = canonical_json(env.signed_json);
  if (!canonical) return canonical.error();
  env.signed_bytes = std::move(*canonical);
  return env;
}

Result<Metadata<Root>> parse_root(std::string_view bytes) {
  return parse_role<Root>(bytes, "root", read_root);
}
Result<Metadata<Timestamp>> parse_timestamp(std::string_view bytes) {
  return parse_role<Timestamp>(bytes, "timestamp", read_timestamp);
}
Result<Metadata<Snapshot>> parse_snapshot(std::string_view bytes) {
  return parse_role<Snapshot>(bytes, "snapshot", read_snapshot);
}
Result<Metadata<Targets>> parse_targets(std::string_view bytes) {
  return parse_role<Targets>(bytes, "targets", read_targets);
}

}  // namespace appliance::tuf
