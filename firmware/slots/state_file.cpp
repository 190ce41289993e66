// NAME
//   state_file.cpp - state.json, read strictly and replaced atomically.
#include "slots/state_file.h"

namespace appliance::slots {
namespace {

constexpr const char* kStateFile = "state.json";
constexpr std::uint64_t kMaxState = 64 * 1024;

}  // namespace

Result<BootState> load_state_file(const tuf::files::Directory& dir) {
  auto text = dir.read(kStateFile, kMaxState);
  if (!text) return text.error();
  if (!*text) return Error{dir.path() + " has no " + kStateFile};
  return parse_state(**text);
}

Result<void> save_state_file(const tuf::files::Directory& dir, const BootState& state) {
  return dir.write_atomically(kStateFile, format_state(state));
}

}  // namespace appliance::slots
