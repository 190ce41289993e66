// NAME
//   file_backend.cpp - slot images and boot state in a directory.
#include "slots/file_backend.h"

namespace appliance::slots {
namespace {

constexpr const char* kStateFile = "state.json";
constexpr std::uint64_t kMaxState = 64 * 1024;

}  // namespace

std::string FileSlotBackend::image_name(int slot) {
  return std::string("slot-") + slot_name(slot) + ".img";
}

Result<FileSlotBackend> FileSlotBackend::open(const std::string& dir) {
  auto d = tuf::files::Directory::open(dir, false);
  if (!d) return d.error();
  return FileSlotBackend(std::move(*d));
}

Result<FileSlotBackend> FileSlotBackend::initialise(const std::string& dir,
                                                    const std::string& image_path,
                                                    const std::string& version,
                                                    std::uint64_t security_version) {
  auto d = tuf::files::Directory::open(dir, true);
  if (!d) return d.error();
  FileSlotBackend backend(std::move(*d));
  if (auto r = backend.write_image(0, image_path); !r) return r.error();
  if (auto r = backend.save_state(factory_state(version, security_version)); !r) return r.error();
  return backend;
}

Result<BootState> FileSlotBackend::load_state() {
  auto text = dir_.read(kStateFile, kMaxState);
  if (!text) return text.error();
  if (!*text) return Error{dir_.path() + " has no " + kStateFile};
  return parse_state(**text);
}

Result<void> FileSlotBackend::save_state(const BootState& state) {
  return dir_.write_atomically(kStateFile, format_state(state));
}

Result<void> FileSlotBackend::write_image(int slot, const std::string& image_path) {
  auto out = tuf::files::PendingFile::create(dir_, image_name(slot));
  if (!out) return out.error();
  auto copied = tuf::files::read_chunks(image_path, [&](std::string_view c) { return out->write(c); });
  if (!copied) return copied.error();
  return out->commit();
}

}  // namespace appliance::slots
