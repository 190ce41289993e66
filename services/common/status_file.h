// NAME
//   status_file.h - the small JSON files one process leaves for another.
//
// DESCRIPTION
//   The store check's verdict (store_verdict.h) and each daemon's health
//   report (health_report.h) are flat JSON objects, world-readable, holding
//   nothing secret, read by a less privileged process that must not trust
//   them blindly. parse_flat_object() reads one strictly: at most `max`
//   bytes, an object, every key among `keys` and given once. Errors begin
//   with `what` ("store verdict: ...").
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/result.h"

namespace appliance {

// This boot's id, lower-case with dashes, as the kernel gives it.
Result<std::string> read_boot_id();

namespace status_file {

Result<nlohmann::json> parse_flat_object(std::string_view text, std::size_t max,
                                         std::string_view what,
                                         std::initializer_list<std::string_view> keys);
Result<std::string> string_field(const nlohmann::json& doc, std::string_view key,
                                 std::string_view what);

// The kernel's boot id form: 36 characters, lower-case hex and four dashes.
bool is_boot_id(std::string_view s);
// 2026-11-23T16:00:00Z: the form only, not whether it is a real time.
bool is_utc_time(std::string_view s);
// No control character.
bool is_one_line(std::string_view s);
// The first line of `text`, control characters as spaces, cut to at most
// `max` bytes without leaving half a UTF-8 sequence.
std::string one_line(std::string_view text, std::size_t max);
// A compact dump, invalid UTF-8 replaced, with a newline.
std::string dump(const nlohmann::json& doc);

}  // namespace status_file
}  // namespace appliance
