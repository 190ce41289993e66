// NAME
//   password.cpp - Argon2id plus pepper, and the self-describing stored format.
#include "auth/password.h"

#include <argon2.h>
#include <fmt/format.h>
#include <openssl/crypto.h>

#include <charconv>
#include <vector>

#include "auth/encoding.h"

namespace appliance::auth {
namespace {

constexpr std::string_view kScheme = "argon2id-hmac-sha256";
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kTagBytes = 32;

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (std::size_t start = 0;;) {
    auto end = s.find(sep, start);
    out.push_back(s.substr(start, end == s.npos ? s.npos : end - start));
    if (end == s.npos) return out;
    start = end + 1;
  }
}

// "name=123", strictly decimal, within [lo, hi].
Result<std::uint32_t> number_field(std::string_view field, std::string_view name, std::uint32_t lo,
                                   std::uint32_t hi) {
  if (field.substr(0, name.size()) != name || field.size() <= name.size() + 1 ||
      field[name.size()] != '=')
    return make_error(fmt::format("expected {}=<number>", name));
  auto digits = field.substr(name.size() + 1);
  std::uint32_t v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits[0] == '0')
    return make_error(fmt::format("{} is not a number", name));
  if (v < lo || v > hi) return make_error(fmt::format("{} is out of range", name));
  return v;
}

bool valid_key_name(std::string_view k) {
  if (k.empty() || k.size() > 128) return false;
  for (char c : k)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '-' || c == '.'))
      return false;
  return true;
}

Result<Argon2Params> parse_params(std::string_view text) {
  auto f = split(text, ',');
  if (f.size() != 3) return make_error("expected m=,t=,p=");
  auto m = number_field(f[0], "m", 8, 1u << 18);  // at most 256 MiB: a row cannot exhaust memory
  auto t = number_field(f[1], "t", 1, 64);
  auto p = number_field(f[2], "p", 1, 16);
  if (!m) return m.error();
  if (!t) return t.error();
  if (!p) return p.error();
  if (*m < 8 * *p) return make_error("m is below 8 KiB per lane");
  return Argon2Params{*m, *t, *p};
}

bool same_tag(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

Result<StoredPassword> parse_stored_password(std::string_view text) {
  auto parts = split(text, '$');
  if (parts.size() != 7 || !parts[0].empty())
    return make_error("stored password: expected 6 fields separated by '$'");
  if (parts[1] != kScheme)
    return make_error(fmt::format("stored password: unknown scheme (want {})", kScheme));
  if (parts[2] != "v=19") return make_error("stored password: unsupported Argon2 version");
  auto params = parse_params(parts[3]);
  if (!params) return make_error("stored password: " + params.message());
  if (parts[4].substr(0, 2) != "k=" || !valid_key_name(parts[4].substr(2)))
    return make_error("stored password: bad pepper key name");
  auto salt = base64_decode(parts[5]);
  auto tag = base64_decode(parts[6]);
  if (!salt || salt->size() < 8 || salt->size() > 64)
    return make_error("stored password: bad salt");
  if (!tag || tag->size() != kTagBytes) return make_error("stored password: bad tag");
  return StoredPassword{*params, std::string(parts[4].substr(2)), *salt, *tag};
}

std::string format_stored_password(const StoredPassword& s) {
  return fmt::format("${}$v=19$m={},t={},p={}$k={}${}${}", kScheme, s.params.memory_kib,
                     s.params.iterations, s.params.parallelism, s.key, base64_encode(s.salt),
                     base64_encode(s.tag));
}

Result<Secret> argon2id(const Argon2Params& p, const Secret& password, std::string_view salt) {
  if (password.size() > kMaxPasswordBytes) return make_error("password is too long");
  std::string out(kTagBytes, '\0');
  int rc = argon2id_hash_raw(p.iterations, p.memory_kib, p.parallelism, password.reveal().data(),
                             password.size(), salt.data(), salt.size(), out.data(), out.size());
  if (rc != ARGON2_OK) return make_error(fmt::format("argon2id: {}", argon2_error_message(rc)));
  return Secret(std::move(out));
}

PasswordHasher::PasswordHasher(SecretKeys& keys, Argon2Params params, std::string pepper)
    : keys_(keys),
      params_(params),
      pepper_(std::move(pepper)),
      dummy_salt_(random_bytes(kSaltBytes)),
      dummy_tag_(random_bytes(kTagBytes)) {}

Result<std::string> PasswordHasher::hash(const Secret& password) {
  StoredPassword s{params_, {}, random_bytes(kSaltBytes), {}};
  auto raw = argon2id(params_, password, s.salt);
  if (!raw) return raw.error();
  auto mac = keys_.hmac(pepper_, raw->reveal());
  if (!mac) return mac.error();
  s.key = mac->key;
  s.tag = mac->mac;
  return format_stored_password(s);
}

Result<PasswordCheck> PasswordHasher::verify(const Secret& password, std::string_view text) {
  auto stored = parse_stored_password(text);
  if (!stored) return stored.error();
  auto raw = argon2id(stored->params, password, stored->salt);
  if (!raw) return raw.error();
  // The current pepper answers in the common case: one keyd round trip.
  auto current = keys_.hmac(pepper_, raw->reveal());
  if (!current) return current.error();
  PasswordCheck check;
  if (current->key == stored->key) {
    check.ok = same_tag(current->mac, stored->tag);
  } else {
    auto old = keys_.hmac_verify(stored->key, raw->reveal(), stored->tag);
    if (!old) return old.error();
    check.ok = *old;
    check.needs_rehash = true;
  }
  check.needs_rehash = check.ok && (check.needs_rehash || !(stored->params == params_));
  return check;
}

Result<PasswordCheck> PasswordHasher::verify_unknown(const Secret& password) {
  auto raw = argon2id(params_, password, dummy_salt_);
  if (!raw) return raw.error();
  auto current = keys_.hmac(pepper_, raw->reveal());
  if (!current) return current.error();
  // Compared like a real tag so the work matches; a random tag never matches.
  (void)same_tag(current->mac, dummy_tag_);
  return PasswordCheck{};
}

}  // namespace appliance::auth
