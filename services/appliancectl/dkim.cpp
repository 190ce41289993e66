// NAME
//   dkim.cpp - dkim generate, list, records.
//
// DESCRIPTION
//   `dkim generate DOMAIN [--selector S] [--algorithm rsa2048|rsa3072|ed25519]`
//   has keyd make the key dkim/DOMAIN/S in the token (default selector
//   sYYYYMMDD for RSA, eYYYYMMDD for Ed25519, default algorithm rsa2048),
//   records it among the domain's signing keys (the store setting smtpd
//   reads, "dkim:DOMAIN") and prints the record to publish. Generating a
//   second key of the other algorithm makes smtpd sign twice (RFC 8463 4.2).
//   `dkim list` shows every DKIM key in the token and whether it signs.
//   `dkim records DOMAIN` prints the TXT record of each of the domain's keys,
//   cut into strings of 255 octets. A key stops signing when retired
//   (`keys retire`); smtpd notices within a minute.
#include "appliancectl/dkim.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <ctime>
#include <iostream>
#include <map>

#include "appliancectl/key_events.h"
#include "appliancectl/store_access.h"
#include "common/paths.h"
#include "keyd/client.h"
#include "proto/common/ascii.h"
#include "proto/dkim/key_list.h"
#include "proto/dkim/publish.h"

namespace appliance::ctl {
namespace {

struct Options {
  std::string domain, selector, algorithm = "rsa2048";
};

keyd::KeydClient client(const std::filesystem::path& home) {
  Paths paths{std::filesystem::absolute(home)};
  return keyd::KeydClient(paths.keyd_socket().string(), std::chrono::seconds(3));
}

std::string default_selector(const std::string& algorithm) {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char date[16];
  std::strftime(date, sizeof date, "%Y%m%d", &tm);
  return (algorithm == "ed25519" ? "e" : "s") + std::string(date);
}

// The DNS record of one key: "S._domainkey.DOMAIN IN TXT "..." "..."".
Result<std::string> record_line(keyd::KeydClient& keyd, const std::string& name) {
  auto pub = keyd.public_key(name);
  if (!pub) return pub.error();
  auto record = dkim::publish_record(name, pub->spki_der);
  if (!record) return record.error();
  return record->line();
}

Result<void> record_signing_key(store::Store& store, const std::string& domain,
                                const std::string& name) {
  auto current = store.setting(dkim::key_list_setting(domain));
  if (!current) return current.error();
  return store.set_setting(dkim::key_list_setting(domain),
                           dkim::key_list_with(*current ? &**current : nullptr, name));
}

int generate(const std::filesystem::path& home, Options o) {
  o.domain = ascii::lowered(o.domain);
  static const std::map<std::string, std::string> kAlgorithms = {
      {"rsa2048", "rsa-2048"}, {"rsa3072", "rsa-3072"}, {"ed25519", "ed25519"}};
  std::string selector = o.selector.empty() ? default_selector(o.algorithm) : o.selector;
  std::string name = fmt::format("dkim/{}/{}", o.domain, selector);
  return with_store(home, false, [&](store::Store& store) {
    auto domain = store.find_domain(o.domain);
    if (!domain) return fail(fmt::format("{} is not a domain of this appliance", o.domain));
    auto keyd = client(home);
    auto made = keyd.generate(name, kAlgorithms.at(o.algorithm));
    if (!made) return fail(made.message());
    if (auto r = record_signing_key(store, o.domain, name); !r) return fail(r.message());
    if (int status = record_key_event(store, "generate", name,
                                      nlohmann::json{{"algorithm", made->algorithm}}.dump());
        status != 0)
      return status;
    auto line = record_line(keyd, name);
    if (!line) return fail(line.message());
    std::cout << fmt::format("{} ({}) signs for {}; publish:\n{}\n", name, made->algorithm,
                             o.domain, *line);
    return 0;
  });
}

int list(const std::filesystem::path& home) {
  return with_store(home, false, [&](store::Store& store) {
    auto keyd = client(home);
    auto keys = keyd.list();
    if (!keys) return fail(keys.message());
    std::cout << fmt::format("{:<44} {:<10} {:<10} {:<10} {}\n", "KEY", "ALGORITHM", "CREATED",
                             "RETIRED", "SIGNS");
    for (const keyd::KeyInfo& k : *keys) {
      if (!k.name.starts_with("dkim/")) continue;
      std::string domain = k.name.substr(5, k.name.rfind('/') - 5);
      auto recorded = store.setting(dkim::key_list_setting(domain));
      auto names =
          recorded && *recorded ? dkim::parse_key_list(**recorded) : std::vector<std::string>{};
      bool signs =
          k.retired.empty() && std::find(names.begin(), names.end(), k.name) != names.end();
      std::cout << fmt::format("{:<44} {:<10} {:<10} {:<10} {}\n", k.name, k.algorithm, k.created,
                               k.retired.empty() ? "-" : k.retired, signs ? "yes" : "no");
    }
    return 0;
  });
}

int records(const std::filesystem::path& home, const std::string& domain_arg) {
  std::string domain = ascii::lowered(domain_arg);
  auto keyd = client(home);
  auto keys = keyd.list();
  if (!keys) return fail(keys.message());
  int printed = 0;
  for (const keyd::KeyInfo& k : *keys) {
    if (!k.name.starts_with("dkim/" + domain + "/")) continue;
    auto line = record_line(keyd, k.name);
    if (!line) return fail(fmt::format("{}: {}", k.name, line.message()));
    std::cout << *line << "\n";
    ++printed;
  }
  if (printed == 0) return fail(fmt::format("{} has no DKIM key", domain));
  return 0;
}

}  // namespace

void add_dkim_commands(CLI::App& app, const std::filesystem::path& home, int& exit_code) {
  auto o = std::make_shared<Options>();
  auto* dkim = app.add_subcommand("dkim", "DKIM signing keys and their DNS records");
  dkim->require_subcommand(1);
  auto* gen = dkim->add_subcommand("generate", "Make a signing key for a domain in the token");
  gen->add_option("domain", o->domain, "one of this appliance's domains")->required();
  gen->add_option("--selector", o->selector, "default sYYYYMMDD (RSA), eYYYYMMDD (Ed25519)")
      ->check([](const std::string& s) {
        bool ok = !s.empty() && s.size() <= 63 &&
                  std::all_of(s.begin(), s.end(),
                              [](unsigned char c) { return std::isalnum(c) || c == '-'; });
        return ok ? std::string() : std::string("a selector is letters, digits and '-'");
      });
  gen->add_option("--algorithm", o->algorithm, "rsa2048 (default), rsa3072 or ed25519")
      ->check(CLI::IsMember({"rsa2048", "rsa3072", "ed25519"}));
  gen->callback([=, &home, &exit_code] { exit_code = generate(home, *o); });
  dkim->add_subcommand("list", "Every DKIM key, and whether it signs")
      ->callback([&home, &exit_code] { exit_code = list(home); });
  auto* rec = dkim->add_subcommand("records", "The TXT records to publish for a domain");
  rec->add_option("domain", o->domain, "a domain")->required();
  rec->callback([=, &home, &exit_code] { exit_code = records(home, o->domain); });
}

}  // namespace appliance::ctl
