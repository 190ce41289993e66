// NAME
//   cert.cpp - X509_REQ and self-signed X509 construction.
//
// DESCRIPTION
//   subjectAltName is built as GENERAL_NAMEs, never through an OpenSSL config
//   string, so a name cannot smuggle in ",IP:..." or other entries.
#include "cert.h"

#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

namespace appliance::hsm {

namespace {

void free_names(GENERAL_NAMES* names) {
  GENERAL_NAMES_free(names);
}
void free_extensions(STACK_OF(X509_EXTENSION) * s) {
  sk_X509_EXTENSION_pop_free(s, X509_EXTENSION_free);
}
using NamesPtr = std::unique_ptr<GENERAL_NAMES, OsslDeleter<free_names>>;
using ExtensionsPtr = std::unique_ptr<STACK_OF(X509_EXTENSION), OsslDeleter<free_extensions>>;
using NamePtr = std::unique_ptr<X509_NAME, OsslDeleter<X509_NAME_free>>;

Result<void> check_dns_name(std::string_view name) {
  std::string_view rest = name;
  if (rest.substr(0, 2) == "*.") rest.remove_prefix(2);
  bool ok = !rest.empty() && name.size() <= 253 && rest.front() != '.' && rest.back() != '.';
  for (char c : rest)
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '.');
  if (ok && rest.find("..") == std::string_view::npos) return {};
  return Error{"\"" + std::string(name.substr(0, 64)) + "\" is not a DNS name"};
}

Result<NamesPtr> dns_names(const std::vector<std::string>& names) {
  NamesPtr out(sk_GENERAL_NAME_new_null());
  if (!out) return openssl_error("subjectAltName");
  for (const auto& name : names) {
    if (auto ok = check_dns_name(name); !ok) return ok.error();
    GENERAL_NAME* entry = GENERAL_NAME_new();
    ASN1_IA5STRING* text = ASN1_IA5STRING_new();
    if (!entry || !text || ASN1_STRING_set(text, name.data(), static_cast<int>(name.size())) != 1) {
      GENERAL_NAME_free(entry);
      ASN1_IA5STRING_free(text);
      return openssl_error("subjectAltName");
    }
    GENERAL_NAME_set0_value(entry, GEN_DNS, text);
    if (sk_GENERAL_NAME_push(out.get(), entry) <= 0) {
      GENERAL_NAME_free(entry);
      return openssl_error("subjectAltName");
    }
  }
  return out;
}

Result<NamePtr> common_name_only(std::string_view common_name) {
  if (common_name.empty() || common_name.size() > 64)
    return Error{"common name must be 1 to 64 characters"};
  NamePtr name(X509_NAME_new());
  if (!name ||
      X509_NAME_add_entry_by_NID(name.get(), NID_commonName, MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(common_name.data()),
                                 static_cast<int>(common_name.size()), -1, 0) != 1)
    return openssl_error("subject name");
  return name;
}

// SHA-256 for EC and RSA; Ed25519 signs the message itself.
const EVP_MD* digest_for(EVP_PKEY* key) {
  return EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519 ? nullptr : EVP_sha256();
}

Result<void> set_random_serial(X509* cert) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return openssl_error("serial number");
  bytes[0] &= 0x7f;  // positive
  BignumPtr bn(BN_bin2bn(bytes, sizeof bytes, nullptr));
  if (!bn || !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert)))
    return openssl_error("serial number");
  return {};
}

// Extensions given by fixed OpenSSL config values (no caller text in them).
Result<void> add_fixed_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  const bool added = ext && X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  if (!added) return openssl_error(std::string("extension ") + OBJ_nid2sn(nid));
  return {};
}

Result<void> add_self_signed_extensions(X509* cert, std::string_view hostname) {
  auto names = dns_names({std::string(hostname)});
  if (!names) return names.error();
  if (X509_add1_ext_i2d(cert, NID_subject_alt_name, names->get(), 0, X509V3_ADD_DEFAULT) != 1)
    return openssl_error("subjectAltName");
  const std::pair<int, const char*> fixed[] = {
      {NID_basic_constraints, "critical,CA:FALSE"},
      {NID_ext_key_usage, "serverAuth"},
      {NID_subject_key_identifier, "hash"},
      {NID_authority_key_identifier, "keyid:always"},
  };
  for (const auto& [nid, value] : fixed)
    if (auto ok = add_fixed_extension(cert, nid, value); !ok) return ok;
  return {};
}

}  // namespace

Result<X509ReqPtr> make_csr(EVP_PKEY* key, std::string_view common_name,
                            const std::vector<std::string>& names) {
  auto subject = common_name_only(common_name);
  if (!subject) return Error{"CSR: " + subject.message()};
  X509ReqPtr request(X509_REQ_new());
  if (!request || X509_REQ_set_version(request.get(), 0) != 1 ||
      X509_REQ_set_subject_name(request.get(), subject->get()) != 1 ||
      X509_REQ_set_pubkey(request.get(), key) != 1)
    return openssl_error("CSR");
  if (!names.empty()) {
    auto san = dns_names(names);
    if (!san) return Error{"CSR: " + san.message()};
    STACK_OF(X509_EXTENSION)* raw = nullptr;
    const bool built = X509V3_add1_i2d(&raw, NID_subject_alt_name, san->get(), 0, 0) == 1;
    ExtensionsPtr extensions(raw);
    if (!built || X509_REQ_add_extensions(request.get(), extensions.get()) != 1)
      return openssl_error("CSR: subjectAltName");
  }
  if (X509_REQ_sign(request.get(), key, digest_for(key)) <= 0) return openssl_error("CSR: sign");
  return request;
}

Result<X509Ptr> make_self_signed(EVP_PKEY* key, std::string_view hostname, int days) {
  if (auto ok = check_dns_name(hostname); !ok) return Error{"certificate: " + ok.message()};
  if (days < 1 || days > 3650) return Error{"certificate: validity must be 1 to 3650 days"};
  auto name = common_name_only(hostname);
  if (!name) return Error{"certificate: " + name.message()};
  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), 2) != 1 ||
      X509_set_subject_name(cert.get(), name->get()) != 1 ||
      X509_set_issuer_name(cert.get(), name->get()) != 1 || X509_set_pubkey(cert.get(), key) != 1 ||
      !X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) ||
      !X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(days) * 86400))
    return openssl_error("certificate");
  if (auto ok = set_random_serial(cert.get()); !ok) return ok.error();
  if (auto ok = add_self_signed_extensions(cert.get(), hostname); !ok)
    return Error{"certificate: " + ok.message()};
  if (X509_sign(cert.get(), key, digest_for(key)) <= 0) return openssl_error("certificate: sign");
  return cert;
}

Result<std::string> csr_to_pem(X509_REQ* request) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509_REQ(bio.get(), request) != 1) return openssl_error("CSR PEM");
  return bio_contents(bio.get());
}

Result<std::string> certificate_to_pem(X509* certificate) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), certificate) != 1)
    return openssl_error("certificate PEM");
  return bio_contents(bio.get());
}

}  // namespace appliance::hsm
