// NAME
//   store_verdict.cpp - writing and strictly reading the store check's verdict.
#include "common/store_verdict.h"

#include <fmt/format.h>

#include <ctime>

#include "common/status_file.h"

namespace appliance {
namespace {

using json = nlohmann::json;
using status_file::string_field;

constexpr std::string_view kWhat = "store verdict";

}  // namespace

StoreVerdict make_store_verdict(std::string boot_id, std::int64_t now, bool ok,
                                std::string_view reason) {
  std::time_t t = static_cast<std::time_t>(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return StoreVerdict{std::move(boot_id), when, ok,
                      status_file::one_line(reason, kMaxVerdictReason)};
}

std::string format_store_verdict(const StoreVerdict& v) {
  return status_file::dump({{"boot_id", v.boot_id},
                            {"time", v.time},
                            {"result", v.ok ? "ok" : "failed"},
                            {"reason", v.reason}});
}

Result<StoreVerdict> parse_store_verdict(std::string_view text) {
  auto doc = status_file::parse_flat_object(text, kMaxVerdict, kWhat,
                                            {"boot_id", "time", "result", "reason"});
  if (!doc) return doc.error();
  auto boot_id = string_field(*doc, "boot_id", kWhat);
  if (!boot_id) return boot_id.error();
  if (!status_file::is_boot_id(*boot_id))
    return make_error("store verdict: \"boot_id\" is not a boot id");
  auto time = string_field(*doc, "time", kWhat);
  if (!time) return time.error();
  if (!status_file::is_utc_time(*time))
    return make_error("store verdict: \"time\" is not YYYY-MM-DDTHH:MM:SSZ");
  auto result = string_field(*doc, "result", kWhat);
  if (!result) return result.error();
  if (*result != "ok" && *result != "failed")
    return make_error("store verdict: \"result\" is neither \"ok\" nor \"failed\"");
  auto reason = string_field(*doc, "reason", kWhat);
  if (!reason) return reason.error();
  if (reason->size() > kMaxVerdictReason || !status_file::is_one_line(*reason))
    return make_error("store verdict: \"reason\" is not one line of at most 512 bytes");
  return StoreVerdict{std::move(*boot_id), std::move(*time), *result == "ok", std::move(*reason)};
}

}  // namespace appliance
