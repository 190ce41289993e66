// NAME
//   releasectl.cpp - the release tool's commands and its command line.
#include "tools/releasectl.h"

#include <CLI/CLI.hpp>

#include <charconv>
#include <chrono>
#include <filesystem>

#include "keyd/client.h"
#include "tools/keyd_signer.h"
#include "tools/release_files.h"
#include "tools/repository.h"
#include "tuf/files.h"

namespace appliance::release {
namespace {

// "ROLE=VALUE" -> {ROLE, VALUE}; without a known role in front, {"", text}.
std::pair<std::string, std::string> split_role(const std::string& text) {
  const auto eq = text.find('=');
  if (eq != std::string::npos && is_known_role(text.substr(0, eq)))
    return {text.substr(0, eq), text.substr(eq + 1)};
  return {"", text};
}

Result<std::pair<std::string, std::string>> need_role(const std::string& text,
                                                      const char* option) {
  auto [role, value] = split_role(text);
  if (role.empty()) return Error{std::string(option) + " " + text + ": expected ROLE=VALUE"};
  return std::pair{role, value};
}

// The signers of one run: key files and keyd keys, each remembered with the
// role it was given for ("" when none was named).
class Keys {
 public:
  Result<void> add_file(const std::string& role, const std::string& path) {
    auto key = files::load_key(path);
    if (!key) return key.error();
    signers_.emplace_back(role, std::move(*key));
    return {};
  }
  Result<void> add_keyd(const std::string& socket, const std::string& role,
                        const std::string& name) {
    if (socket.empty()) return Error{"keyd key " + name + " needs --keyd SOCKET"};
    if (!client_) client_ = std::make_unique<keyd::KeydClient>(socket, std::chrono::seconds(5));
    auto key = KeydSigner::open(*client_, name);
    if (!key) return key.error();
    keyd_names_[role].push_back((*key)->name());
    signers_.emplace_back(role, std::move(*key));
    return {};
  }
  Keyring all() const {
    Keyring ring;
    for (const auto& [role, s] : signers_) ring.push_back(s.get());
    return ring;
  }
  Keyring for_role(const std::string& role) const {
    Keyring ring;
    for (const auto& [r, s] : signers_)
      if (r == role) ring.push_back(s.get());
    return ring;
  }
  const std::map<std::string, std::vector<std::string>>& keyd_names() const { return keyd_names_; }

 private:
  std::unique_ptr<keyd::KeydClient> client_;
  std::vector<std::pair<std::string, std::unique_ptr<tuf::Signer>>> signers_;
  std::map<std::string, std::vector<std::string>> keyd_names_;
};

// --key and --keyd-key, then the keyd keys releasectl.json names.
Result<void> open_keys(Keys& keys, const Options& o, const ReleaseConfig& config) {
  for (const std::string& k : o.keys) {
    auto [role, path] = split_role(k);
    if (auto r = keys.add_file(role, path); !r) return r;
  }
  std::map<std::string, std::vector<std::string>> names = config.keyd_keys;
  for (const std::string& k : o.keyd_keys) {
    auto rn = need_role(k, "--keyd-key");
    if (!rn) return rn.error();
    names[rn->first].push_back(rn->second);
  }
  if (!o.keyd_keys.empty() && o.keyd_socket.empty()) return Error{"--keyd-key needs --keyd SOCKET"};
  if (o.keyd_socket.empty()) return {};  // online roles then fail to sign, with a clear error
  for (const auto& [role, list] : names) {
    for (const std::string& name : list) {
      if (auto r = keys.add_keyd(o.keyd_socket, role, name); !r) return r;
    }
  }
  return {};
}

Result<ReleaseConfig> init_config(const Options& o) {
  ReleaseConfig config = default_config();
  for (const std::string& e : o.expires) {
    auto rn = need_role(e, "--expires");
    if (!rn) return rn.error();
    auto seconds = parse_duration(rn->second);
    if (!seconds) return seconds.error();
    config.expires[rn->first] = *seconds;
  }
  // Online roles without a key named on the command line: the keyd defaults.
  for (const char* role : {"snapshot", "timestamp"}) {
    bool named = false;
    for (const auto& k : o.keys) named = named || split_role(k).first == role;
    for (const auto& k : o.keyd_keys) named = named || split_role(k).first == role;
    if (!named && !o.keyd_socket.empty())
      config.keyd_keys[role] = {std::string("update/") + role + "/v1"};
  }
  return config;
}

Result<std::map<std::string, RoleKeys>> init_roles(const Options& o, const Keys& keys) {
  std::map<std::string, RoleKeys> roles;
  for (const char* role : kRoles) {
    if (!keys.for_role(role).empty()) roles[role] = RoleKeys{keys.for_role(role), 1};
  }
  for (const std::string& t : o.thresholds) {
    auto rn = need_role(t, "--threshold");
    if (!rn) return rn.error();
    std::uint64_t n = 0;
    const std::string& text = rn->second;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || n == 0)
      return Error{"--threshold " + t + ": expected ROLE=N with N >= 1"};
    roles[rn->first].threshold = n;
  }
  return roles;
}

std::string versions(const Repository& repo, std::initializer_list<const char*> roles) {
  std::string out;
  for (const char* role : roles) {
    out += (out.empty() ? "" : ", ") + std::string(role) + " v" + std::to_string(repo.version(role));
  }
  return out;
}

// One command at a time changes a repository (a timestamp timer and an
// operator's add would otherwise both publish the same new version).
Result<tuf::files::DirectoryLock> lock_repository(const std::string& repo) {
  auto dir = tuf::files::Directory::open(repo, true);
  if (!dir) return dir.error();
  return tuf::files::DirectoryLock::take(repo);
}

Result<Repository> open_repository(const Options& o, Keys& keys, ReleaseConfig& config) {
  auto c = files::read_config(o.repo);
  if (!c) return c.error();
  config = *c;
  if (auto r = open_keys(keys, o, config); !r) return r.error();
  return files::load_repository(o.repo, config);
}

}  // namespace

Result<std::string> init(const Options& o, std::int64_t now) {
  if (std::filesystem::exists(o.repo + "/releasectl.json"))
    return Error{o.repo + " already holds a repository"};
  auto config = init_config(o);
  if (!config) return config.error();
  Keys keys;
  if (auto r = open_keys(keys, o, *config); !r) return r.error();
  auto roles = init_roles(o, keys);
  if (!roles) return roles.error();
  auto repo = Repository::create(*roles, *config, now);
  if (!repo) return repo.error();
  config->keyd_keys = keys.keyd_names();
  if (auto r = files::write_metadata(o.repo, *repo); !r) return r.error();
  if (auto r = files::write_config(o.repo, *config); !r) return r.error();
  return "created " + o.repo + ": " + versions(*repo, {"root", "targets", "snapshot", "timestamp"}) +
         "; channels stable, beta, lts";
}

Result<std::string> add(const Options& o, std::int64_t now) {
  ReleaseConfig config;
  Keys keys;
  auto repo = open_repository(o, keys, config);
  if (!repo) return repo.error();
  const std::string name =
      o.name.empty() ? std::filesystem::path(o.file).filename().string() : o.name;
  auto release = files::describe_file(o.file, name);
  if (!release) return release.error();
  release->version = o.version;
  release->security_version = o.security_version;
  if (auto r = repo->add_release(o.channel, *release, keys.all(), now); !r) return r.error();
  if (auto r = files::store_target(o.repo, o.file, *release); !r) return r.error();
  if (auto r = files::write_metadata(o.repo, *repo); !r) return r.error();
  return "added " + name + " (version " + o.version + ", security_version " +
         std::to_string(o.security_version) + ") to " + o.channel + ": " +
         versions(*repo, {"snapshot", "timestamp"}) + ", " + o.channel + " v" +
         std::to_string(repo->version(o.channel));
}

Result<std::string> timestamp(const Options& o, std::int64_t now) {
  ReleaseConfig config;
  Keys keys;
  auto repo = open_repository(o, keys, config);
  if (!repo) return repo.error();
  if (auto r = repo->refresh_timestamp(keys.all(), now); !r) return r.error();
  if (auto r = files::write_metadata(o.repo, *repo); !r) return r.error();
  return "timestamp v" + std::to_string(repo->version("timestamp")) + ", expires " +
         repo->body("timestamp").at("expires").get<std::string>();
}

Result<std::string> rotate(const Options& o, std::int64_t now) {
  ReleaseConfig config;
  Keys keys;
  auto repo = open_repository(o, keys, config);
  if (!repo) return repo.error();
  Keys fresh;
  for (const auto& path : o.new_keys) {
    if (auto r = fresh.add_file(o.role, path); !r) return r.error();
  }
  for (const auto& name : o.new_keyd_keys) {
    if (auto r = fresh.add_keyd(o.keyd_socket, o.role, name); !r) return r.error();
  }
  if (auto r = repo->rotate(o.role, RoleKeys{fresh.all(), o.threshold}, keys.all(), now); !r)
    return r.error();
  if (auto r = files::write_metadata(o.repo, *repo); !r) return r.error();
  config.keyd_keys.erase(o.role);
  for (const auto& [role, names] : fresh.keyd_names()) config.keyd_keys[role] = names;
  if (auto r = files::write_config(o.repo, config); !r) return r.error();
  return "rotated the keys of " + o.role + ": " + versions(*repo, {"root", "targets", "snapshot", "timestamp"});
}

Result<std::string> genkey(const Options& o) {
  if (o.key_type != "ed25519" && o.key_type != "ecdsa-p256")
    return Error{"--type must be ed25519 or ecdsa-p256"};
  auto kind = o.key_type == "ed25519" ? tuf::KeyKind::ed25519 : tuf::KeyKind::ecdsa_p256;
  auto keyid = files::generate_key(o.file, kind);
  if (!keyid) return keyid.error();
  return "wrote " + o.file + " (key id " + *keyid + ")";
}

int run(int argc, char** argv, std::ostream& out, std::ostream& err) {
  Options o;
  CLI::App app{"releasectl - create and maintain the appliance's TUF update repository"};
  app.fallthrough();
  app.add_option("--repo", o.repo, "repository directory (releasectl.json, metadata/, targets/)");
  app.add_option("--key", o.keys, "[ROLE=]FILE: an offline PEM key (ed25519 or ECDSA P-256)");
  app.add_option("--keyd", o.keyd_socket, "keyd's socket, for the online keys");
  app.add_option("--keyd-key", o.keyd_keys, "ROLE=NAME: a key in keyd, e.g. snapshot=update/snapshot/v1");
  auto* init_cmd = app.add_subcommand("init", "create a repository");
  init_cmd->add_option("--threshold", o.thresholds, "ROLE=N signatures required (default 1)");
  init_cmd->add_option("--expires", o.expires, "ROLE=DURATION lifetime, e.g. timestamp=12h");
  auto* add_cmd = app.add_subcommand("add", "add a release to a channel");
  add_cmd->add_option("FILE", o.file, "the slot image")->required();
  add_cmd->add_option("--channel", o.channel, "stable, beta or lts")->required();
  add_cmd->add_option("--version", o.version, "release version, e.g. 2026.11.1")->required();
  add_cmd->add_option("--security-version", o.security_version, "never lower than before")->required();
  add_cmd->add_option("--name", o.name, "target name (default: the file's name)");
  auto* ts_cmd = app.add_subcommand("timestamp", "sign a fresh timestamp");
  auto* rot_cmd = app.add_subcommand("rotate", "replace the keys of a role");
  rot_cmd->add_option("ROLE", o.role, "root, targets, snapshot, timestamp, stable, beta, lts")->required();
  rot_cmd->add_option("--new-key", o.new_keys, "new offline key file");
  rot_cmd->add_option("--new-keyd-key", o.new_keyd_keys, "new key in keyd");
  rot_cmd->add_option("--threshold", o.threshold, "signatures required (default 1)");
  auto* gen_cmd = app.add_subcommand("genkey", "write a new offline key file");
  gen_cmd->add_option("FILE", o.file, "where to write it (mode 0600)")->required();
  gen_cmd->add_option("--type", o.key_type, "ed25519 (default) or ecdsa-p256");
  app.require_subcommand(1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e, out, err);
    err << "releasectl: " << e.what() << "\n";
    return 1;
  }
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch()).count();
  Result<std::string> result = Error{"--repo is required"};
  if (*gen_cmd) {
    result = genkey(o);
  } else if (!o.repo.empty()) {
    auto lock = lock_repository(o.repo);
    if (!lock) result = lock.error();
    if (lock && *init_cmd) result = init(o, now);
    if (lock && *add_cmd) result = add(o, now);
    if (lock && *ts_cmd) result = timestamp(o, now);
    if (lock && *rot_cmd) result = rotate(o, now);
  }
  if (!result) {
    err << "releasectl: " << result.message() << "\n";
    return 1;
  }
  out << *result << "\n";
  return 0;
}

}  // namespace appliance::release
