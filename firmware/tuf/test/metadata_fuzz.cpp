// NAME
//   metadata_fuzz.cpp - libFuzzer target for everything that reads untrusted
//   metadata bytes: the strict JSON reader, canonical encoding, the four role
//   parsers, trusted root loading, delegation matching and path patterns.
//
// DESCRIPTION
//   The input is parsed once to learn its "_type", then handed to that role's
//   parser only: the other parsers would stop at the same type check, and
//   each extra parse costs throughput in the instrumented build.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tuf/canonical_json.h"
#include "tuf/delegations.h"
#include "tuf/metadata.h"
#include "tuf/trusted_set.h"

using namespace appliance::tuf;

namespace {

std::string type_of(const nlohmann::json& doc) {
  if (!doc.is_object()) return {};
  auto signed_part = doc.find("signed");
  if (signed_part == doc.end() || !signed_part->is_object()) return {};
  auto type = signed_part->find("_type");
  return type != signed_part->end() && type->is_string() ? type->get<std::string>() : "";
}

void fuzz_targets(std::string_view input) {
  auto targets = parse_targets(input);
  if (!targets || !targets->signed_.delegations) return;
  for (const auto& [path, file] : targets->signed_.targets) {
    (void)roles_for_target(*targets->signed_.delegations, path);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  // "pattern\npath"
  if (auto nl = input.find('\n'); nl != std::string_view::npos && nl < 256) {
    (void)match_path_pattern(input.substr(0, nl), input.substr(nl + 1));
    (void)is_safe_target_path(input.substr(nl + 1));
  }
  auto json = parse_json(input);
  if (!json) return 0;
  (void)canonical_json(*json);
  const std::string type = type_of(*json);
  if (type == "root") {
    (void)TrustedSet::create(input, 0);
  } else if (type == "timestamp") {
    (void)parse_timestamp(input);
  } else if (type == "snapshot") {
    (void)parse_snapshot(input);
  } else {
    fuzz_targets(input);
  }
  return 0;
}
