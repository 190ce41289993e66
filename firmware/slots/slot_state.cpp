// NAME
//   slot_state.cpp - the boot state document, written and read strictly.
//
// SECURITY
//   The state file lives on the appliance's own disk, but a torn or edited
//   file must not make the boot logic index past its two slots: every field
//   is checked for type and range.
#include "slots/slot_state.h"

#include <nlohmann/json.hpp>

#include "tuf/canonical_json.h"

namespace appliance::slots {
namespace {

using json = nlohmann::json;

constexpr std::array<std::pair<SlotStatus, std::string_view>, 4> kStatuses{{
    {SlotStatus::empty, "empty"},
    {SlotStatus::bad, "bad"},
    {SlotStatus::trying, "trying"},
    {SlotStatus::good, "good"},
}};

Result<std::uint64_t> read_uint(const json& obj, const char* field, std::uint64_t max) {
  auto it = obj.find(field);
  if (it == obj.end() || !it->is_number_unsigned() || it->get<std::uint64_t>() > max)
    return Error{std::string("slot state: \"") + field + "\" must be an integer <= " +
                 std::to_string(max)};
  return it->get<std::uint64_t>();
}

Result<SlotInfo> read_slot(const json& obj) {
  if (!obj.is_object() || obj.size() != 4) return Error{"slot state: a slot needs exactly 4 fields"};
  SlotInfo slot;
  auto status = obj.find("status");
  auto version = obj.find("version");
  if (status == obj.end() || !status->is_string() || version == obj.end() || !version->is_string())
    return Error{"slot state: a slot needs string \"status\" and \"version\""};
  bool known = false;
  for (const auto& [value, name] : kStatuses) {
    if (*status == name) slot.status = value, known = true;
  }
  if (!known) return Error{"slot state: unknown status"};
  slot.version = version->get<std::string>();
  auto sv = read_uint(obj, "security_version", UINT64_MAX);
  auto tries = read_uint(obj, "tries_left", kMaxBootTries);
  if (!sv) return sv.error();
  if (!tries) return tries.error();
  slot.security_version = *sv;
  slot.tries_left = static_cast<std::uint32_t>(*tries);
  return slot;
}

json slot_json(const SlotInfo& slot) {
  return {{"status", status_name(slot.status)},
          {"version", slot.version},
          {"security_version", slot.security_version},
          {"tries_left", slot.tries_left}};
}

}  // namespace

std::string_view status_name(SlotStatus status) {
  for (const auto& [value, name] : kStatuses)
    if (value == status) return name;
  return "?";
}

BootState factory_state(const std::string& version, std::uint64_t security_version) {
  BootState s;
  s.slot(0) = {SlotStatus::good, version, security_version, 0};
  s.security_floor = security_version;
  return s;
}

Result<BootState> parse_state(std::string_view text) {
  auto doc = tuf::parse_json(text);
  if (!doc) return Error{"slot state: " + doc.message()};
  if (!doc->is_object() || doc->size() != 4) return Error{"slot state: expected 4 fields"};
  BootState state;
  auto slots = doc->find("slots");
  if (slots == doc->end() || !slots->is_array() || slots->size() != 2)
    return Error{"slot state: \"slots\" must list 2 slots"};
  for (int i = 0; i < 2; ++i) {
    auto slot = read_slot((*slots)[static_cast<std::size_t>(i)]);
    if (!slot) return slot.error();
    state.slot(i) = *slot;
  }
  auto active = read_uint(*doc, "active", 1);
  auto booted = read_uint(*doc, "booted", 1);
  auto floor = read_uint(*doc, "security_floor", UINT64_MAX);
  if (!active) return active.error();
  if (!booted) return booted.error();
  if (!floor) return floor.error();
  state.active = static_cast<int>(*active);
  state.booted = static_cast<int>(*booted);
  state.security_floor = *floor;
  return state;
}

std::string format_state(const BootState& state) {
  json doc = {{"slots", {slot_json(state.slot(0)), slot_json(state.slot(1))}},
              {"active", state.active},
              {"booted", state.booted},
              {"security_floor", state.security_floor}};
  return doc.dump(1) + "\n";
}

}  // namespace appliance::slots
