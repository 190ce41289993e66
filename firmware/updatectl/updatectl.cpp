// NAME
//   updatectl.cpp - init, refresh and download over the TUF library, and the
//   command line that selects them.
//
// DESCRIPTION
//   Each command holds an exclusive lock on <metadata-dir>/.lock so that two
//   runs (a timer and an operator) never interleave their metadata writes.
#include "updatectl/updatectl.h"

#include <CLI/CLI.hpp>
#include <fstream>

#include "tuf/files.h"
#include "tuf/metadata_store.h"
#include "tuf/target_store.h"
#include "tuf/trusted_set.h"
#include "tuf/updater.h"
#include "updatectl/curl_fetcher.h"

namespace appliance::updatectl {
namespace {

constexpr std::uint64_t kMaxRootFile = 512 * 1024;

// The operator's copy of root.json: any path, symlinks allowed, bounded size.
Result<std::string> read_root_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot open " + path};
  std::string bytes(kMaxRootFile + 1, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (in.bad()) return Error{"cannot read " + path};
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  if (bytes.size() > kMaxRootFile) {
    return Error{path + " exceeds " + std::to_string(kMaxRootFile) + " bytes"};
  }
  return bytes;
}

tuf::UpdaterConfig updater_config(const Options& o) {
  tuf::UpdaterConfig config;
  config.metadata_base_url = o.metadata_url;
  return config;
}

Result<void> need(const std::string& value, const char* option, const char* command) {
  if (value.empty()) return Error{std::string(command) + " needs " + option};
  return {};
}

}  // namespace

Result<std::string> init(const Options& o, const tuf::Clock& clock) {
  auto bytes = read_root_file(o.root_file);
  if (!bytes) return bytes.error();
  auto trusted = tuf::TrustedSet::create(*bytes, clock.now());
  if (!trusted) return Error{o.root_file + " is not a usable root: " + trusted.message()};
  auto store = tuf::DirectoryMetadataStore::open(o.metadata_dir);
  if (!store) return store.error();
  auto lock = tuf::files::DirectoryLock::take(o.metadata_dir);
  if (!lock) return lock.error();
  auto existing = store->load("root", kMaxRootFile);
  if (!existing) return existing.error();
  if (existing->has_value() && !o.force) {
    return Error{o.metadata_dir + " already holds a trusted root (use --force to replace it)"};
  }
  if (auto r = store->save("root", *bytes); !r) return r.error();
  return "trusted root version " + std::to_string(trusted->root().signed_.version) +
         " installed in " + o.metadata_dir;
}

Result<std::string> refresh(const Options& o, tuf::Fetcher& fetcher, const tuf::Clock& clock) {
  if (auto r = need(o.metadata_url, "--metadata-url", "refresh"); !r) return r.error();
  auto store = tuf::DirectoryMetadataStore::open(o.metadata_dir);
  if (!store) return store.error();
  auto lock = tuf::files::DirectoryLock::take(o.metadata_dir);
  if (!lock) return lock.error();
  tuf::Updater updater(updater_config(o), fetcher, *store, clock);
  if (auto r = updater.refresh(); !r) return r.error();
  const tuf::TrustedSet& t = *updater.trusted();
  return "metadata up to date: root v" + std::to_string(t.root().signed_.version) +
         ", timestamp v" + std::to_string(t.timestamp()->signed_.version) + ", snapshot v" +
         std::to_string(t.snapshot()->signed_.version) + ", targets v" +
         std::to_string(t.targets("targets")->signed_.version);
}

Result<std::string> download(const Options& o, tuf::Fetcher& fetcher, const tuf::Clock& clock) {
  for (auto [value, option] : {std::pair{&o.metadata_url, "--metadata-url"},
                               {&o.target_name, "--target-name"},
                               {&o.target_base_url, "--target-base-url"},
                               {&o.target_dir, "--target-dir"}}) {
    if (auto r = need(*value, option, "download"); !r) return r.error();
  }
  auto store = tuf::DirectoryMetadataStore::open(o.metadata_dir);
  if (!store) return store.error();
  auto lock = tuf::files::DirectoryLock::take(o.metadata_dir);
  if (!lock) return lock.error();
  tuf::Updater updater(updater_config(o), fetcher, *store, clock);
  auto target = o.channel.empty() ? updater.find_target(o.target_name)
                                  : updater.find_target_in_role(o.channel, o.target_name);
  if (!target) return target.error();
  auto out = tuf::DirectoryTargetStore::open(o.target_dir);
  if (!out) return out.error();
  auto location = updater.download_target(*target, o.target_base_url, *out);
  if (!location) return location.error();
  return "downloaded " + target->path + " (" + std::to_string(target->file.length) +
         " bytes, listed by " + target->role + ") to " + *location;
}

int run(int argc, char** argv, std::ostream& out, std::ostream& err) {
  Options o;
  CLI::App app{"updatectl - fetch and verify updates with The Update Framework"};
  app.fallthrough();
  app.add_option("--metadata-dir", o.metadata_dir, "directory of trusted metadata")->required();
  app.add_option("--metadata-url", o.metadata_url, "base URL of the repository's metadata");
  app.add_option("--target-name", o.target_name, "target path, as listed in targets metadata");
  app.add_option("--target-base-url", o.target_base_url, "base URL of the repository's targets");
  app.add_option("--target-dir", o.target_dir, "directory to write the verified target to");
  app.add_option("--channel", o.channel, "delegated role to take the target from (stable, ...)");
  CLI::App* init_cmd = app.add_subcommand("init", "install ROOT.json as the trusted root");
  init_cmd->add_option("ROOT", o.root_file, "root.json obtained out of band")->required();
  init_cmd->add_flag("--force", o.force, "replace an existing trusted root");
  CLI::App* refresh_cmd = app.add_subcommand("refresh", "update the trusted metadata");
  CLI::App* download_cmd = app.add_subcommand("download", "refresh, then fetch one target");
  app.require_subcommand(1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e, out, err);
    err << "updatectl: " << e.what() << "\n";
    return 1;
  }
  tuf::SystemClock clock;
  CurlFetcher fetcher;
  Result<std::string> result = Error{"no command"};
  if (*init_cmd) result = init(o, clock);
  if (*refresh_cmd) result = refresh(o, fetcher, clock);
  if (*download_cmd) result = download(o, fetcher, clock);
  if (!result) {
    err << "updatectl: " << result.message() << "\n";
    return 1;
  }
  out << *result << "\n";
  return 0;
}

}  // namespace appliance::updatectl
