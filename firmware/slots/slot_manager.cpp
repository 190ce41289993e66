// NAME
//   slot_manager.cpp - install, boot counting, health gate and rollback.
//
// SECURITY
//   The image was verified by the TUF client against signed metadata; it is
//   checked again here, at the moment it is installed, because the file may
//   have changed on disk since. A signed target with a lower
//   security_version than the floor is still refused: signing keys may
//   publish an old, vulnerable release, and the box must never run it again.
#include "slots/slot_manager.h"

#include <algorithm>

#include "tuf/files.h"

namespace appliance::slots {
namespace {

Result<void> check_image(const Candidate& c) {
  auto check = tuf::HashCheck::create(c.hashes);
  if (!check) return Error{"wrong target: " + c.name + ": " + check.message()};
  auto length = tuf::files::read_chunks(c.image_path, [&](std::string_view chunk) -> Result<void> {
    check->update(chunk);
    return {};
  });
  if (!length) return length.error();
  if (*length != c.length)
    return Error{"wrong target: " + c.name + " is " + std::to_string(*length) +
                 " bytes, metadata says " + std::to_string(c.length)};
  if (auto r = check->finish(); !r) return Error{"wrong target: " + r.message() + " for " + c.name};
  return {};
}

}  // namespace

Result<Candidate> candidate_from_target(const tuf::TargetInfo& target,
                                        const std::string& image_path) {
  const nlohmann::json& custom = target.file.custom;
  auto sv = custom.is_object() ? custom.find("security_version") : custom.end();
  auto version = custom.is_object() ? custom.find("version") : custom.end();
  const bool counted = custom.is_object() && sv != custom.end() && sv->is_number_integer() &&
                       (sv->is_number_unsigned() || sv->get<std::int64_t>() >= 0);
  if (!counted)
    return Error{target.path + ": the target lists no integer custom \"security_version\""};
  Candidate c{.image_path = image_path, .name = target.path, .length = target.file.length,
              .hashes = target.file.hashes, .security_version = sv->get<std::uint64_t>()};
  if (version != custom.end() && version->is_string()) c.version = version->get<std::string>();
  return c;
}

Result<void> SlotManager::check_candidate(const BootState& state, const Candidate& c) const {
  const std::uint64_t running = state.slot(state.booted).security_version;
  const std::uint64_t floor = std::max(state.security_floor, running);
  if (c.security_version < floor) {
    return Error{"refused " + c.name + ": security_version " + std::to_string(c.security_version) +
                 " < " + std::to_string(floor) + " (security_version never goes down)"};
  }
  if (state.slot(state.booted).status != SlotStatus::good)
    return Error{"refused " + c.name + ": the running slot is not committed yet"};
  return check_image(c);
}

Result<int> SlotManager::install(const Candidate& c) {
  auto state = backend_.load_state();
  if (!state) return state.error();
  if (auto r = check_candidate(*state, c); !r) return r.error();
  const int target = other_slot(state->booted);
  // Bad first: a half-written slot must never be chosen.
  state->slot(target) = SlotInfo{SlotStatus::bad, c.version, c.security_version, 0};
  if (state->active == target) state->active = state->booted;
  if (auto r = backend_.save_state(*state); !r) return r.error();
  if (auto r = backend_.write_image(target, c.image_path); !r) return r.error();
  // What the slot holds now, not what was meant to go there.
  if (auto r = backend_.read_back(target, c.length, c.hashes); !r)
    return Error{"slot " + std::string(slot_name(target)) + ": " + r.message()};
  state->slot(target).status = SlotStatus::trying;
  state->slot(target).tries_left = kMaxBootTries;
  if (auto r = backend_.save_state(*state); !r) return r.error();
  // Active last.
  state->active = target;
  if (auto r = backend_.save_state(*state); !r) return r.error();
  return target;
}

Result<int> SlotManager::choose_boot() {
  auto state = backend_.load_state();
  if (!state) return state.error();
  SlotInfo& active = state->slot(state->active);
  if (active.status == SlotStatus::trying && active.tries_left == 0) {
    active.status = SlotStatus::bad;  // it never passed its health gate
    state->active = other_slot(state->active);
  }
  SlotInfo& chosen = state->slot(state->active);
  if (chosen.status == SlotStatus::trying) {
    --chosen.tries_left;
  } else if (chosen.status != SlotStatus::good) {
    return Error{"no bootable slot: a is " + std::string(status_name(state->slot(0).status)) +
                 ", b is " + std::string(status_name(state->slot(1).status))};
  }
  state->booted = state->active;
  if (auto r = backend_.save_state(*state); !r) return r.error();
  return state->booted;
}

Result<AfterBoot> SlotManager::after_boot(HealthGate& gate) {
  auto state = backend_.load_state();
  if (!state) return state.error();
  SlotInfo& booted = state->slot(state->booted);
  const std::string name = std::string("slot ") + slot_name(state->booted);
  if (booted.status == SlotStatus::good) return AfterBoot{false, false, name + " already committed"};
  if (booted.status != SlotStatus::trying)
    return AfterBoot{false, true, name + " is " + std::string(status_name(booted.status)) +
                                      "; reboot into slot " + slot_name(state->active)};
  if (auto healthy = gate.check(); !healthy) return roll_back(*state, healthy.message());
  booted.status = SlotStatus::good;
  booted.tries_left = 0;
  state->security_floor = std::max(state->security_floor, booted.security_version);
  if (auto r = backend_.save_state(*state); !r) return r.error();
  return AfterBoot{true, false, name + " committed: " + booted.version};
}

Result<AfterBoot> SlotManager::roll_back(BootState& state, const std::string& reason) {
  const int failed = state.booted;
  state.slot(failed).status = SlotStatus::bad;
  state.slot(failed).tries_left = 0;
  state.active = other_slot(failed);
  if (auto r = backend_.save_state(state); !r) return r.error();
  return AfterBoot{false, true, std::string("slot ") + slot_name(failed) + " marked bad (" +
                                    reason + "); reboot into slot " + slot_name(state.active)};
}

}  // namespace appliance::slots
