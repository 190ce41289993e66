// NAME
//   key_record.cpp - the DKIM key record: parsed strictly, composed.
#include "proto/dkim/key_record.h"

#include <fmt/format.h>

#include <algorithm>

#include "proto/common/sasl.h"
#include "proto/dkim/tags.h"

namespace appliance::dkim {

namespace {

bool offers(std::string_view list, std::string_view item) {
  auto items = split_colons(list);
  return std::find(items.begin(), items.end(), item) != items.end();
}

Result<KeyType> read_type(const TagList& tags) {
  auto k = tags.get("k");
  if (!k || *k == "rsa") return KeyType::rsa;
  if (*k == "ed25519") return KeyType::ed25519;
  return make_error(fmt::format("tag k: unknown key type \"{}\"", k->substr(0, 20)));
}

Result<void> read_key(const TagList& tags, KeyRecord& r) {
  auto p = tags.get("p");
  if (!p) return make_error("tag p is missing");
  std::string text = strip_fws(*p);
  if (text.empty()) {
    r.revoked = true;
    return {};
  }
  auto key = sasl::base64_decode(text);
  if (!key) return make_error("tag p: not base64");
  if (r.type == KeyType::ed25519 && key->size() != 32)
    return make_error("tag p: an Ed25519 key is 32 octets");
  r.public_key = std::move(*key);
  return {};
}

}  // namespace

Result<KeyRecord> parse_key_record(std::string_view text) {
  auto tags = parse_tags(text);
  if (!tags) return tags.error();
  if (auto v = tags->get("v")) {
    if (*v != "DKIM1") return make_error("tag v: not DKIM1");
    if (tags->tags().front().name != "v") return make_error("tag v: not the first tag");
  }
  if (auto h = tags->get("h"); h && !offers(*h, "sha256"))
    return make_error("tag h: sha256 is not allowed");
  if (auto s = tags->get("s"); s && !offers(*s, "*") && !offers(*s, "email"))
    return make_error("tag s: not for email");
  KeyRecord r;
  auto type = read_type(*tags);
  if (!type) return type.error();
  r.type = *type;
  if (auto t = tags->get("t")) {
    r.testing = offers(*t, "y");
    r.strict = offers(*t, "s");
  }
  if (auto k = read_key(*tags, r); !k) return k.error();
  return r;
}

std::string compose_key_record(KeyType type, std::string_view public_key) {
  return fmt::format("v=DKIM1; k={}; p={}", type == KeyType::rsa ? "rsa" : "ed25519",
                     sasl::base64_encode(public_key));
}

std::vector<std::string> txt_strings(std::string_view record, std::size_t size) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < record.size(); i += size) out.emplace_back(record.substr(i, size));
  if (out.empty()) out.emplace_back();
  return out;
}

}  // namespace appliance::dkim
