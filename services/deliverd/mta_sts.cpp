// NAME
//   mta_sts.cpp - the policy's TXT record, its HTTPS fetch, the cache.
#include "deliverd/mta_sts.h"

#include <fmt/format.h>
#include <openssl/err.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "common/files.h"
#include "common/log.h"

namespace appliance::deliverd {
namespace {

using SteadyClock = std::chrono::steady_clock;

// What is read past the policy's 64 KiB: the status line and header.
constexpr std::size_t kMaxHeader = 16 * 1024;

Result<std::string> get(const std::string& address, const std::string& host,
                        const FetchOptions& o) {
  auto deadline = SteadyClock::now() + o.timeout;
  auto ctx = client_context(o.client);
  if (!ctx) return ctx.error();
  auto fd = open_tcp(address, o.port, o.client);
  if (!fd) return fd.error();
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(*ctx), SSL_free);
  if (!ssl) {
    ::close(*fd);
    return make_error("TLS: no session");
  }
  SSL_set_fd(ssl.get(), *fd);
  SSL_set_options(ssl.get(), SSL_OP_IGNORE_UNEXPECTED_EOF);  // Content-Length guards the end
  SSL_set_tlsext_host_name(ssl.get(), host.c_str());
  TlsCheck check{TlsCheck::Kind::webpki, {}, host};
  auto fail = [&](std::string why) {
    ::close(*fd);
    ERR_clear_error();
    return make_error(fmt::format("https://{}/ [{}]: {}", host, address, why));
  };
  if (auto armed = arm_check(ssl.get(), check); !armed) return fail(armed.message());
  if (SSL_connect(ssl.get()) != 1) return fail("TLS handshake failed");
  if (auto bad = check_result(ssl.get(), check); !bad.empty()) return fail(bad);
  std::string request = fmt::format(
      "GET /.well-known/mta-sts.txt HTTP/1.0\r\nHost: {}\r\nConnection: close\r\n\r\n", host);
  if (SSL_write(ssl.get(), request.data(), static_cast<int>(request.size())) <= 0)
    return fail("write failed");
  std::string response;
  char buf[8192];
  for (;;) {
    if (SteadyClock::now() > deadline) return fail("timed out");
    int n = SSL_read(ssl.get(), buf, sizeof buf);
    if (n <= 0) {
      if (SSL_get_error(ssl.get(), n) != SSL_ERROR_ZERO_RETURN)
        return fail("read failed or timed out");
      break;
    }
    response.append(buf, static_cast<std::size_t>(n));
    if (response.size() > mta_sts::kMaxPolicy + kMaxHeader)
      return fail("policy longer than 64 KiB");
  }
  SSL_shutdown(ssl.get());
  ::close(*fd);
  auto body = mta_sts::policy_body(response);
  if (!body) return make_error(fmt::format("https://{}/: {}", host, body.message()));
  return std::string(*body);
}

}  // namespace

Result<std::string> fetch_policy(dns::Resolver& resolver, const std::string& domain,
                                 const FetchOptions& o) {
  std::string host = "mta-sts." + domain;
  auto addresses = resolver.addresses(host);
  if (!addresses.ok()) return make_error(addresses.message);
  Error last = make_error("no address");
  for (const auto& a : addresses.records) {
    auto got = get(a, host, o);
    if (got) return got;
    last = got.error();
  }
  return last;
}

StsPolicies::StsPolicies(Fetch fetch, Clock clock, std::filesystem::path file)
    : fetch_(std::move(fetch)), clock_(std::move(clock)), file_(std::move(file)) {
  load();
}

// {"domain": {"id": "...", "expires": seconds, "policy": "text"}, ...}
void StsPolicies::load() {
  if (file_.empty()) return;
  std::ifstream in(file_);
  if (!in) return;  // none yet
  std::stringstream text;
  text << in.rdbuf();
  auto doc = nlohmann::json::parse(text.str(), nullptr, false);
  if (!doc.is_object()) {
    log::warning("MTA-STS cache unreadable, starting empty", {{"file", file_.string()}});
    return;
  }
  std::int64_t now = clock_();
  for (const auto& [domain, v] : doc.items()) {
    if (!v.is_object() || !v.value("id", nlohmann::json()).is_string() ||
        !v.value("expires", nlohmann::json()).is_number_integer() ||
        !v.value("policy", nlohmann::json()).is_string())
      continue;
    auto policy = mta_sts::parse_policy(v["policy"].get<std::string>());
    std::int64_t expires = v["expires"].get<std::int64_t>();
    if (!policy || expires <= now) continue;
    cache_[domain] =
        Cached{v["id"].get<std::string>(), *policy, expires, v["policy"].get<std::string>()};
  }
  log::info("MTA-STS cache read", {{"file", file_.string()}, {"policies", cache_.size()}});
}

void StsPolicies::save() {
  if (file_.empty()) return;
  nlohmann::json doc = nlohmann::json::object();
  for (const auto& [domain, c] : cache_)
    doc[domain] = {{"id", c.id}, {"expires", c.expires}, {"policy", c.text}};
  if (auto w = write_file_atomically(file_, doc.dump(1), 0600); !w)
    log::warning("MTA-STS cache not written", {{"file", file_.string()}, {"error", w.message()}});
}

std::optional<StsPolicies::Cached> StsPolicies::cached(const std::string& domain) {
  std::lock_guard lock(mutex_);
  auto it = cache_.find(domain);
  if (it == cache_.end()) return std::nullopt;
  if (it->second.expires <= clock_()) {
    cache_.erase(it);
    return std::nullopt;
  }
  it->second.used = true;
  return it->second;
}

std::optional<mta_sts::Policy> StsPolicies::policy(dns::Resolver& resolver,
                                                   const std::string& domain) {
  auto known = cached(domain);
  auto txt = resolver.txt("_mta-sts." + domain);
  auto record = txt.ok() ? mta_sts::find_record(txt.records) : std::nullopt;
  if (!record || (known && known->id == record->id)) {
    if (known) return known->policy;
    return std::nullopt;
  }
  if (auto fetched = fetch(resolver, domain, record->id, true)) return fetched;
  if (known) return known->policy;
  return std::nullopt;
}

// The policy fetched and cached for max_age under the record's id, used if
// a delivery asked for it; nullopt (logged) when it cannot be fetched or does
// not parse.
std::optional<mta_sts::Policy> StsPolicies::fetch(dns::Resolver& resolver,
                                                  const std::string& domain, const std::string& id,
                                                  bool used) {
  auto body = fetch_(resolver, domain);
  auto parsed = body ? mta_sts::parse_policy(*body) : Result<mta_sts::Policy>(body.error());
  if (!parsed) {
    log::warning("MTA-STS policy not fetched",
                 {{"domain", domain}, {"id", id}, {"error", parsed.message()}});
    return std::nullopt;
  }
  log::info("MTA-STS policy", {{"domain", domain},
                               {"id", id},
                               {"mode", mta_sts::mode_name(parsed->mode)},
                               {"max_age", parsed->max_age}});
  std::lock_guard lock(mutex_);
  cache_[domain] = Cached{id, *parsed, clock_() + parsed->max_age, *body, used};
  save();
  return parsed.value();
}

std::size_t StsPolicies::refresh(dns::Resolver& resolver, std::int64_t budget) {
  std::vector<std::pair<std::int64_t, std::string>> due;  // fetched, domain
  std::int64_t now = clock_();
  {
    std::lock_guard lock(mutex_);
    if (now < next_refresh_) return 0;
    next_refresh_ = now + kRefreshEvery;
    for (const auto& [domain, c] : cache_) {
      std::int64_t fetched = c.expires - c.policy.max_age;
      if (c.used && c.expires > now &&
          now - fetched >= std::min(kRefreshAfter, c.policy.max_age / 2))
        due.emplace_back(fetched, domain);
    }
  }
  std::sort(due.begin(), due.end());
  std::size_t renewed = 0;
  for (const auto& [fetched, domain] : due) {
    if (clock_() - now >= budget) break;
    // A domain that no longer publishes a record keeps its policy until it
    // expires (5.1), and is not renewed.
    auto txt = resolver.txt("_mta-sts." + domain);
    auto record = txt.ok() ? mta_sts::find_record(txt.records) : std::nullopt;
    if (record && fetch(resolver, domain, record->id, false)) ++renewed;
  }
  return renewed;
}

}  // namespace appliance::deliverd
