// NAME
//   keys.cpp - list, generate, rotate, import, csr, set-certificate,
//   export-public, retire, delete.
#include "appliancectl/keys.h"

#include <fmt/format.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "appliancectl/key_events.h"
#include "appliancectl/store_access.h"
#include "appliancectl/times.h"
#include "keyd/client.h"

namespace appliance::ctl {
namespace {

struct KeysOptions {
  std::string name;
  std::string algorithm;
  std::string file;
  std::string format = "pem";
  std::string password_file;
  std::string common_name;
  std::vector<std::string> dns;
  bool force = false;
  bool certificate = false;
};

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(fmt::format("{}: cannot read", path));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string when(std::uint64_t unix_seconds) {
  if (unix_seconds == 0) return "never";
  return utc_time(static_cast<std::int64_t>(unix_seconds));
}

void print_info(const keyd::KeyInfo& k) {
  std::cout << fmt::format("{:<40} {:<11} {:<10} {:<10} {:>8} {:<16} {}\n", k.name, k.algorithm,
                           k.created, k.retired.empty() ? "-" : k.retired, k.uses,
                           when(k.last_used), k.has_certificate ? "yes" : "-");
}

void print_header() {
  std::cout << fmt::format("{:<40} {:<11} {:<10} {:<10} {:>8} {:<16} {}\n", "NAME", "ALGORITHM",
                           "CREATED", "RETIRED", "USES", "LAST USED", "CERT");
}

int report(const Result<keyd::KeyInfo>& r) {
  if (!r) {
    std::cerr << "appliancectl: " << r.message() << "\n";
    return 1;
  }
  print_header();
  print_info(*r);
  return 0;
}

// A change keyd made: shown, then written to the security event log.
int report_change(const std::filesystem::path& home, const Result<keyd::KeyInfo>& r,
                  std::string_view change, nlohmann::json details = nlohmann::json::object()) {
  if (int status = report(r); status != 0) return status;
  return record_key_event(home, change, r->name, details.dump());
}

Result<Secret> import_password(const KeysOptions& o) {
  if (!o.password_file.empty()) {
    auto text = read_file(o.password_file);
    if (!text) return text.error();
    std::string p = *text;
    while (!p.empty() && (p.back() == '\n' || p.back() == '\r')) p.pop_back();
    return Secret(std::move(p));
  }
  return Secret();
}

int run_import(const std::filesystem::path& home, keyd::KeydClient& c, const KeysOptions& o) {
  auto data = read_file(o.file);
  if (!data) return fail(data.message());
  keyd::ImportFormat format = keyd::ImportFormat::pem;
  if (o.format == "pkcs8") format = keyd::ImportFormat::pkcs8;
  if (o.format == "pkcs12") format = keyd::ImportFormat::pkcs12;
  auto password = import_password(o);
  if (!password) return fail(password.message());
  return report_change(home, c.import(o.name, format, std::move(data).value(), *password), "import",
                       {{"format", o.format}});
}

int run_export(keyd::KeydClient& c, const KeysOptions& o) {
  auto pub = c.public_key(o.name);
  if (!pub) return fail(pub.message());
  if (o.certificate) {
    if (pub->chain_pem.empty()) return fail(fmt::format("{} has no certificate", pub->info.name));
    std::cout << pub->chain_pem;
    return 0;
  }
  const auto* p = reinterpret_cast<const unsigned char*>(pub->spki_der.data());
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      d2i_PUBKEY(nullptr, &p, static_cast<long>(pub->spki_der.size())), EVP_PKEY_free);
  if (!key) return fail("keyd sent a public key that does not parse");
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PUBKEY(bio.get(), key.get());
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  std::cout << std::string(data, static_cast<std::size_t>(len));
  return 0;
}

}  // namespace

void add_keys_commands(CLI::App& app, const std::filesystem::path& home, int& exit_code) {
  auto o = std::make_shared<KeysOptions>();
  auto client = [&home] {
    Paths paths{std::filesystem::absolute(home)};
    return keyd::KeydClient(paths.keyd_socket().string(), std::chrono::seconds(3));
  };
  auto* keys = app.add_subcommand("keys", "The keys in the token (through keyd)");
  keys->require_subcommand(1);
  const std::string algorithms = "ec-p256, rsa-2048, rsa-3072, ed25519, aes-256, hmac-sha256";

  keys->add_subcommand("list", "List every key: algorithm, created, retired, uses")
      ->callback([=, &home, &exit_code] {
        auto c = client();
        auto list = c.list();
        if (!list) return void(exit_code = fail(list.message()));
        print_header();
        for (const auto& k : *list) print_info(k);
        exit_code = 0;
      });

  auto* gen = keys->add_subcommand("generate", "Generate a key inside the token");
  gen->add_option("name", o->name, "e.g. tls/mail.example.test/v1, dkim/example.test/s2026")
      ->required();
  gen->add_option("--algorithm", o->algorithm, algorithms)->required();
  gen->callback([=, &home, &exit_code] {
    auto c = client();
    exit_code = report_change(home, c.generate(o->name, o->algorithm), "generate",
                              {{"algorithm", o->algorithm}});
  });

  auto* rot = keys->add_subcommand("rotate", "Make the next version of a key family");
  rot->add_option("family", o->name, "e.g. tls/mail.example.test")->required();
  rot->add_option("--algorithm", o->algorithm, "default: that of the current version");
  rot->callback([=, &home, &exit_code] {
    auto c = client();
    exit_code =
        report_change(home, c.rotate(o->name, o->algorithm), "rotate", {{"family", o->name}});
  });

  auto* imp = keys->add_subcommand("import", "Import an existing private key into the token");
  imp->add_option("name", o->name, "the name it gets in the token")->required();
  imp->add_option("file", o->file, "the key file")->required()->check(CLI::ExistingFile);
  imp->add_option("--format", o->format, "pem, pkcs8 or pkcs12")
      ->check(CLI::IsMember({"pem", "pkcs8", "pkcs12"}));
  imp->add_option("--password-file", o->password_file, "file holding the key's password");
  imp->callback([=, &home, &exit_code] {
    auto c = client();
    exit_code = run_import(home, c, *o);
  });

  auto* csr = keys->add_subcommand("csr", "Print a certificate request signed inside the token");
  csr->add_option("name", o->name, "a tls key")->required();
  csr->add_option("--cn", o->common_name, "subject common name (default: the key's host)");
  csr->add_option("--dns", o->dns, "subjectAltName DNS names (default: the common name)");
  csr->callback([=, &home, &exit_code] {
    auto c = client();
    auto pem = c.csr(o->name, o->common_name, o->dns);
    if (!pem) return void(exit_code = fail(pem.message()));
    std::cout << *pem;
    exit_code = 0;
  });

  auto* cert = keys->add_subcommand("set-certificate", "Install the certificate chain of a key");
  cert->add_option("name", o->name, "a tls key")->required();
  cert->add_option("file", o->file, "PEM chain, leaf first")->required()->check(CLI::ExistingFile);
  cert->callback([=, &home, &exit_code] {
    auto pem = read_file(o->file);
    if (!pem) return void(exit_code = fail(pem.message()));
    auto c = client();
    exit_code = report_change(home, c.set_certificate(o->name, *pem), "set_certificate");
  });

  auto* exp = keys->add_subcommand("export-public", "Print the public key (PEM)");
  exp->add_option("name", o->name, "a key or family")->required();
  exp->add_flag("--certificate", o->certificate, "print the certificate chain instead");
  exp->callback([=, &home, &exit_code] {
    auto c = client();
    exit_code = run_export(c, *o);
  });

  auto* ret =
      keys->add_subcommand("retire", "Stop new use of a key; it still verifies and unseals");
  ret->add_option("name", o->name, "a key version")->required();
  ret->callback([=, &home, &exit_code] {
    auto c = client();
    exit_code = report_change(home, c.retire(o->name), "retire");
  });

  auto* del = keys->add_subcommand("delete", "Destroy a key in the token");
  del->add_option("name", o->name, "a key version")->required();
  del->add_flag("--force", o->force, "even if it is the current key of its family");
  del->callback([=, &home, &exit_code] {
    auto c = client();
    auto gone = c.remove(o->name, o->force);
    if (!gone) return void(exit_code = fail(gone.message()));
    exit_code =
        record_key_event(home, "delete", o->name, nlohmann::json{{"force", o->force}}.dump());
  });
}

}  // namespace appliance::ctl
