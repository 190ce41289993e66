// NAME
//   admin_keys.cpp - /api/v1/admin/keys and /api/v1/admin/dkim: the token's
//   TLS and DKIM keys, as `appliancectl keys` and `appliancectl dkim` manage
//   them, for the web UI.
//
// DESCRIPTION
//   GET keys lists every tls and dkim key version with its certificate;
//   POST keys makes a new version of a family (the first one, or a
//   rotation); a version's CSR comes back as PEM to download; a certificate
//   chain is checked here (PEM, leaf matching the key) and then by keyd;
//   retire takes a version out of service. DKIM: the TXT records of a
//   domain, and a new signing key for it, recorded among the domain's
//   signing keys as `appliancectl dkim generate` does.
//
// SECURITY
//   Appliance admins change, in sudo mode or with an API key; auditors and
//   appliance admins read; tenant admins and users have no part (403).
//   keyd allows webd no more than this (keyd/acl.h: manage tls and dkim
//   keys; never import, delete, export a private key, or touch another
//   purpose), and logs each change with webd as the caller; webd records
//   each as a key.* security event naming the administrator. Only public
//   keys, certificates and CSRs pass through webd.
#include "webd/admin_keys.h"

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <map>
#include <memory>

#include "auth/account_service.h"
#include "auth/admin.h"
#include "keyd/client.h"
#include "proto/dkim/key_list.h"
#include "proto/dkim/publish.h"
#include "webd/admin.h"
#include "webd/handlers.h"
#include "webd/http.h"
#include "webd/json_body.h"

namespace appliance::webd {
namespace {

using nlohmann::json;

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

Result<std::vector<X509Ptr>> read_chain(std::string_view pem) {
  if (pem.find("-----BEGIN CERTIFICATE-----") == std::string_view::npos)
    return make_error("no PEM certificate (-----BEGIN CERTIFICATE-----) found");
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  std::vector<X509Ptr> chain;
  while (X509* x = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) chain.emplace_back(x);
  ERR_clear_error();
  std::size_t blocks = 0;
  for (auto at = pem.find("-----BEGIN "); at != std::string_view::npos;
       at = pem.find("-----BEGIN ", at + 1))
    ++blocks;
  if (chain.empty() || chain.size() != blocks)
    return make_error("the PEM holds something that is not a readable certificate");
  return chain;
}

std::string name_text(const X509_NAME* name) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::string time_text(const ASN1_TIME* t) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return "";
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

std::vector<std::string> dns_names(X509* x) {
  std::vector<std::string> out;
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(x, NID_subject_alt_name, nullptr, nullptr));
  if (!names) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
    if (n->type != GEN_DNS) continue;
    const ASN1_IA5STRING* s = n->d.dNSName;
    out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<std::size_t>(ASN1_STRING_length(s)));
  }
  GENERAL_NAMES_free(names);
  return out;
}

json certificate_json(const CertificateSummary& c) {
  return {{"subject", c.subject},     {"issuer", c.issuer},        {"not_before", c.not_before},
          {"not_after", c.not_after}, {"dns_names", c.dns_names}};
}

// keyd's answer as an HTTP error: its refusals of what was sent are 400 (or
// 404 for a key that is not there), its absence 503.
HttpResponse keyd_refused(const Error& e) {
  const std::string& m = e.message;
  if (m.starts_with("keyd unavailable") || m.starts_with("keyd answered") ||
      m.starts_with("permission denied") || m.starts_with("token not open"))
    return unavailable(e);
  if (m.starts_with("no key named")) return not_found(m);
  return json_error(400, "key_refused", m);
}

bool managed(std::string_view name) { return name.starts_with("tls/") || name.starts_with("dkim/"); }

std::string family_of(const std::string& name) { return name.substr(0, name.rfind('/')); }

// Who may read (appliance admin, auditor) or change (appliance admin); and keyd there.
std::optional<HttpResponse> allowed(Call& call, bool change) {
  Admin admin;
  if (auto r = admin_of(call, admin)) return r;
  if (change && !admin.appliance) return forbidden("only an appliance admin changes keys");
  if (!change && !admin.appliance && !admin.auditor)
    return forbidden("keys are for appliance admins and auditors");
  if (!call.parts.keyd) return unavailable(Error{"webd has no keyd client"});
  return std::nullopt;
}

// The "{name}" of the path: a tls (or, with `dkim`, a dkim) key version, percent-encoded.
std::optional<HttpResponse> key_param(Call& call, std::string& name, bool dkim) {
  name = path_name(call);
  bool fits = name.starts_with("tls/") || (dkim && name.starts_with("dkim/"));
  if (!fits || std::count(name.begin(), name.end(), '/') != 2)
    return bad_input(dkim ? "the key must be a version of a tls or dkim key, as tls%2FHOST%2Fv2"
                          : "the key must be a version of a tls key, as tls%2FHOST%2Fv2");
  return std::nullopt;
}

json key_json(keyd::KeydClient& keyd, const keyd::KeyInfo& k) {
  json out = {{"name", k.name},
              {"family", family_of(k.name)},
              {"purpose", k.name.substr(0, k.name.find('/'))},
              {"algorithm", k.algorithm},
              {"created", k.created},
              {"retired", k.retired},
              {"uses", k.uses},
              {"certificate", nullptr}};
  if (!k.has_certificate) return out;
  auto pub = keyd.public_key(k.name);
  if (!pub || pub->chain_pem.empty()) return out;
  if (auto c = summarize_chain(pub->chain_pem); c) out["certificate"] = certificate_json(*c);
  return out;
}

}  // namespace

Result<CertificateSummary> summarize_chain(std::string_view pem) {
  auto chain = read_chain(pem);
  if (!chain) return chain.error();
  X509* leaf = chain->front().get();
  return CertificateSummary{name_text(X509_get_subject_name(leaf)),
                            name_text(X509_get_issuer_name(leaf)),
                            time_text(X509_get0_notBefore(leaf)),
                            time_text(X509_get0_notAfter(leaf)), dns_names(leaf)};
}

Result<void> check_chain(std::string_view pem, std::string_view spki_der) {
  auto chain = read_chain(pem);
  if (!chain) return chain.error();
  const auto* p = reinterpret_cast<const unsigned char*>(spki_der.data());
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      d2i_PUBKEY(nullptr, &p, static_cast<long>(spki_der.size())), EVP_PKEY_free);
  if (!key) return make_error("the key's public half could not be read");
  EVP_PKEY* leaf = X509_get0_pubkey(chain->front().get());
  if (!leaf || EVP_PKEY_eq(leaf, key.get()) != 1)
    return make_error("the first certificate is not for this key (its public key differs)");
  for (std::size_t i = 1; i < chain->size(); ++i)
    if (X509_check_issued((*chain)[i].get(), (*chain)[i - 1].get()) != X509_V_OK)
      return make_error(fmt::format(
          "certificate {} of the chain did not issue certificate {}: put the chain in order, "
          "leaf first",
          i + 1, i));
  return {};
}

namespace handlers {

HttpResponse admin_keys(Call& call) {
  if (auto r = allowed(call, false)) return *r;
  auto& keyd = *call.parts.keyd;
  auto keys = keyd.list();
  if (!keys) return unavailable(keys.error());
  // The active version of a family is the one keyd resolves the family to
  // (the newest made and not retired); a family wholly retired has none.
  std::map<std::string, std::string> active;
  for (const keyd::KeyInfo& k : *keys) {
    std::string family = family_of(k.name);
    if (!managed(k.name) || active.count(family)) continue;
    auto pub = keyd.public_key(family);
    active[family] = pub ? pub->info.name : "";
  }
  json list = json::array();
  for (const keyd::KeyInfo& k : *keys) {
    if (!managed(k.name)) continue;
    json one = key_json(keyd, k);
    one["active"] = active[family_of(k.name)] == k.name;
    list.push_back(std::move(one));
  }
  return json_response(200, {{"keys", std::move(list)}});
}

HttpResponse admin_generate_key(Call& call) {
  if (auto r = allowed(call, true)) return *r;
  auto family = string_field(call.body, "family", 300);
  if (!family) return bad_input(family.message());
  *family = auth::lower(*family);
  if (!family->starts_with("tls/") || std::count(family->begin(), family->end(), '/') != 1)
    return bad_input("\"family\": a TLS key family, tls/HOST (DKIM keys: /api/v1/admin/dkim)");
  auto algorithm = string_field(call.body, "algorithm", 32, true);
  if (!algorithm) return bad_input(algorithm.message());
  if (!algorithm->empty() && *algorithm != "ec-p256" && *algorithm != "rsa-2048" &&
      *algorithm != "rsa-3072")
    return bad_input(
        "\"algorithm\" must be \"ec-p256\", \"rsa-2048\" or \"rsa-3072\" (or none: that of the "
        "current version)");
  auto made = call.parts.keyd->rotate(*family, *algorithm);
  if (!made) return keyd_refused(made.error());
  if (auto e = note(call, "key.rotate", made->name,
                    {{"family", *family}, {"algorithm", made->algorithm}});
      !e)
    return unavailable(e.error());
  return json_response(201, key_json(*call.parts.keyd, *made));
}

HttpResponse admin_key_csr(Call& call) {
  if (auto r = allowed(call, true)) return *r;
  std::string name;
  if (auto r = key_param(call, name, false)) return *r;
  std::vector<std::string> names;
  if (auto it = call.body.find("dns_names"); it != call.body.end()) {
    if (!it->is_array() || it->size() > 100)
      return bad_input("\"dns_names\" must be a list of at most 100 host names");
    for (const json& n : *it) {
      if (!n.is_string()) return bad_input("\"dns_names\" must be a list of host names");
      auto host = auth::checked_domain(n.get_ref<const std::string&>());
      if (!host) return bad_input(fmt::format("\"dns_names\": {}", host.message()));
      names.push_back(*host);
    }
  }
  std::string common_name = names.empty() ? std::string() : names.front();
  auto csr = call.parts.keyd->csr(name, common_name, names);
  if (!csr) return keyd_refused(csr.error());
  if (auto e = note(call, "key.csr", name, {{"dns_names", names}}); !e)
    return unavailable(e.error());
  std::string file = name;
  std::replace(file.begin(), file.end(), '/', '-');
  return {200,
          {{"Content-Type", "application/pkcs10"},
           {"Content-Disposition", fmt::format("attachment; filename=\"{}.csr\"", file)}},
          std::move(*csr)};
}

HttpResponse admin_key_certificate(Call& call) {
  if (auto r = allowed(call, true)) return *r;
  std::string name;
  if (auto r = key_param(call, name, false)) return *r;
  auto pem = string_field(call.body, "chain", kMaxJsonBody);
  if (!pem) return bad_input(pem.message());
  auto pub = call.parts.keyd->public_key(name);
  if (!pub) return keyd_refused(pub.error());
  if (auto ok = check_chain(*pem, pub->spki_der); !ok)
    return json_error(400, "certificate_mismatch", fmt::format("\"chain\": {}", ok.message()));
  auto set = call.parts.keyd->set_certificate(name, *pem);
  if (!set) return keyd_refused(set.error());
  auto summary = summarize_chain(*pem);
  if (auto e = note(call, "key.set_certificate", name,
                    {{"not_after", summary ? summary->not_after : ""}});
      !e)
    return unavailable(e.error());
  return json_response(200, key_json(*call.parts.keyd, *set));
}

HttpResponse admin_retire_key(Call& call) {
  if (auto r = allowed(call, true)) return *r;
  std::string name;
  if (auto r = key_param(call, name, true)) return *r;
  auto retired = call.parts.keyd->retire(name);
  if (!retired) return keyd_refused(retired.error());
  if (auto e = note(call, "key.retire", name, json::object()); !e) return unavailable(e.error());
  return json_response(200, key_json(*call.parts.keyd, *retired));
}

HttpResponse admin_dkim_records(Call& call) {
  if (auto r = allowed(call, false)) return *r;
  std::string domain = path_name(call);
  if (!call.parts.store.find_domain(domain)) return not_found(fmt::format("no domain {}", domain));
  auto keys = call.parts.keyd->list();
  if (!keys) return unavailable(keys.error());
  auto signing = call.parts.store.setting(dkim::key_list_setting(domain));
  if (!signing) return unavailable(signing.error());
  auto names = *signing ? dkim::parse_key_list(**signing) : std::vector<std::string>{};
  json records = json::array();
  for (const keyd::KeyInfo& k : *keys) {
    if (!k.name.starts_with("dkim/" + domain + "/")) continue;
    auto pub = call.parts.keyd->public_key(k.name);
    if (!pub) return unavailable(pub.error());
    auto record = dkim::publish_record(k.name, pub->spki_der);
    if (!record) return unavailable(record.error());
    bool signs = k.retired.empty() && std::find(names.begin(), names.end(), k.name) != names.end();
    records.push_back({{"key", k.name},
                       {"selector", record->selector},
                       {"algorithm", k.algorithm},
                       {"retired", k.retired},
                       {"signs", signs},
                       {"name", record->owner},
                       {"txt", record->strings},
                       {"line", record->line()}});
  }
  return json_response(200, {{"domain", domain}, {"records", std::move(records)}});
}

HttpResponse admin_add_dkim_key(Call& call) {
  if (auto r = allowed(call, true)) return *r;
  auto which = string_field(call.body, "domain", 255);
  if (!which) return bad_input(which.message());
  auto domain = auth::checked_domain(*which);
  if (!domain) return bad_input(fmt::format("\"domain\": {}", domain.message()));
  if (!call.parts.store.find_domain(*domain))
    return bad_input(fmt::format("\"domain\": {} is not a domain of this appliance", *domain));
  auto choice = string_field(call.body, "algorithm", 16, true);
  if (!choice) return bad_input(choice.message());
  static const std::map<std::string, std::string> kAlgorithms = {
      {"", "rsa-2048"}, {"rsa2048", "rsa-2048"}, {"rsa3072", "rsa-3072"}, {"ed25519", "ed25519"}};
  auto algorithm = kAlgorithms.find(*choice);
  if (algorithm == kAlgorithms.end())
    return bad_input("\"algorithm\" must be \"rsa2048\" (the default), \"rsa3072\" or \"ed25519\"");
  auto made = call.parts.keyd->rotate("dkim/" + *domain, algorithm->second);
  if (!made) return keyd_refused(made.error());
  auto current = call.parts.store.setting(dkim::key_list_setting(*domain));
  if (!current) return unavailable(current.error());
  if (auto set = call.parts.store.set_setting(
          dkim::key_list_setting(*domain),
          dkim::key_list_with(*current ? &**current : nullptr, made->name));
      !set)
    return unavailable(set.error());
  if (auto e = note(call, "key.generate", made->name, {{"algorithm", made->algorithm}}); !e)
    return unavailable(e.error());
  auto pub = call.parts.keyd->public_key(made->name);
  if (!pub) return unavailable(pub.error());
  auto record = dkim::publish_record(made->name, pub->spki_der);
  if (!record) return unavailable(record.error());
  return json_response(201, {{"key", made->name},
                             {"algorithm", made->algorithm},
                             {"name", record->owner},
                             {"txt", record->strings},
                             {"line", record->line()}});
}

}  // namespace handlers
}  // namespace appliance::webd
