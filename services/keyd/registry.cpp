// NAME
//   registry.cpp - key metadata, families and versions, state.json.
#include "keyd/registry.h"

#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/files.h"

namespace appliance::keyd {
namespace {

std::string today() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// "v12" -> 12; anything else -> 0.
unsigned version_number(std::string_view v) {
  if (v.size() < 2 || v[0] != 'v') return 0;
  unsigned n = 0;
  for (char c : v.substr(1)) {
    if (c < '0' || c > '9' || n > 100000) return 0;
    n = n * 10 + static_cast<unsigned>(c - '0');
  }
  return n;
}

}  // namespace

std::string family_of(const std::string& name) {
  auto slash = name.rfind('/');
  return slash == std::string::npos ? name : name.substr(0, slash);
}

Result<void> Registry::load(const std::vector<TokenKey>& token_keys) {
  nlohmann::json state = nlohmann::json::object();
  std::ifstream in(dir_ / "state.json");
  if (in) {
    state = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (state.is_discarded() || !state.is_object())
      return make_error(fmt::format("{}: not valid JSON", (dir_ / "state.json").string()));
  }
  std::unique_lock lock(mutex_);
  keys_.clear();
  for (const TokenKey& k : token_keys) {
    auto m = std::make_unique<Meta>();
    m->algorithm = k.algorithm;
    m->created = k.created;
    const nlohmann::json& s = state.value("keys", nlohmann::json::object()).value(k.name, nlohmann::json::object());
    m->retired = s.value("retired", "");
    m->seq = s.value("seq", 0ull);
    m->uses = s.value("uses", 0ull);
    m->last_used = s.value("last_used", 0ull);
    next_seq_ = std::max(next_seq_, m->seq + 1);
    keys_[k.name] = std::move(m);
  }
  ++generation_;
  return {};
}

Result<std::string> Registry::resolve(const std::string& name, bool for_new_use) const {
  std::shared_lock lock(mutex_);
  auto it = keys_.find(name);
  if (it != keys_.end()) {
    if (for_new_use && !it->second->retired.empty())
      return make_error(fmt::format("key {} is retired ({})", name, it->second->retired));
    return name;
  }
  const Meta* best = nullptr;
  std::string best_name;
  for (const auto& [n, m] : keys_) {
    if (family_of(n) != name || !m->retired.empty()) continue;
    if (!best || m->seq > best->seq || (m->seq == best->seq && n > best_name)) {
      best = m.get();
      best_name = n;
    }
  }
  if (!best) return make_error(fmt::format("no key named {}", name));
  return best_name;
}

std::string Registry::current(const std::string& family) const {
  auto r = resolve(family, true);
  return r && family_of(*r) == family ? *r : "";
}

Result<std::string> Registry::algorithm(const std::string& name) const {
  std::shared_lock lock(mutex_);
  auto it = keys_.find(name);
  if (it == keys_.end()) return make_error(fmt::format("no key named {}", name));
  return it->second->algorithm;
}

void Registry::record_use(const std::string& name) {
  std::shared_lock lock(mutex_);
  auto it = keys_.find(name);
  if (it == keys_.end()) return;
  it->second->uses.fetch_add(1, std::memory_order_relaxed);
  it->second->last_used.store(static_cast<std::uint64_t>(std::time(nullptr)),
                              std::memory_order_relaxed);
}

KeyInfo Registry::info_locked(const std::string& name, const Meta& m) const {
  std::error_code ec;
  return KeyInfo{name, m.algorithm, m.created, m.retired, m.uses.load(), m.last_used.load(),
                 std::filesystem::exists(chain_path(name), ec)};
}

std::vector<KeyInfo> Registry::list() const {
  std::shared_lock lock(mutex_);
  std::vector<KeyInfo> out;
  for (const auto& [name, m] : keys_) out.push_back(info_locked(name, *m));
  return out;
}

Result<KeyInfo> Registry::info(const std::string& name) const {
  std::shared_lock lock(mutex_);
  auto it = keys_.find(name);
  if (it == keys_.end()) return make_error(fmt::format("no key named {}", name));
  return info_locked(name, *it->second);
}

std::string Registry::next_version(const std::string& family) const {
  std::shared_lock lock(mutex_);
  unsigned highest = 0;
  for (const auto& [n, m] : keys_)
    if (family_of(n) == family) highest = std::max(highest, version_number(n.substr(family.size() + 1)));
  return fmt::format("{}/v{}", family, highest + 1);
}

Result<void> Registry::add(const TokenKey& key) {
  std::unique_lock lock(mutex_);
  auto m = std::make_unique<Meta>();
  m->algorithm = key.algorithm;
  m->created = key.created.empty() ? today() : key.created;
  m->seq = next_seq_++;
  keys_[key.name] = std::move(m);
  ++generation_;
  return save_locked();
}

Result<void> Registry::retire(const std::string& name) {
  std::unique_lock lock(mutex_);
  auto it = keys_.find(name);
  if (it == keys_.end()) return make_error(fmt::format("no key named {}", name));
  if (it->second->retired.empty()) it->second->retired = today();
  ++generation_;
  return save_locked();
}

Result<void> Registry::remove(const std::string& name) {
  std::unique_lock lock(mutex_);
  keys_.erase(name);
  std::error_code ec;
  std::filesystem::remove(chain_path(name), ec);
  ++generation_;
  return save_locked();
}

std::filesystem::path Registry::chain_path(const std::string& name) const {
  std::string file = name;
  for (char& c : file)
    if (c == '/') c = '_';
  return dir_ / "certs" / (file + ".pem");
}

Result<void> Registry::set_chain(const std::string& name, const std::string& pem) {
  std::error_code ec;
  std::filesystem::create_directories(dir_ / "certs", ec);
  if (ec) return make_error(fmt::format("{}: {}", (dir_ / "certs").string(), ec.message()));
  if (auto w = write_file_atomically(chain_path(name), pem, 0644); !w) return w;
  ++generation_;
  return {};
}

std::string Registry::chain(const std::string& name) const {
  std::ifstream in(chain_path(name));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Result<void> Registry::save() const {
  std::shared_lock lock(mutex_);
  return save_locked();
}

Result<void> Registry::save_locked() const {
  nlohmann::json keys = nlohmann::json::object();
  for (const auto& [name, m] : keys_)
    keys[name] = {{"retired", m->retired}, {"seq", m->seq}, {"uses", m->uses.load()},
                  {"last_used", m->last_used.load()}};
  return write_file_atomically(dir_ / "state.json", nlohmann::json{{"keys", keys}}.dump(1) + "\n", 0600);
}

}  // namespace appliance::keyd
