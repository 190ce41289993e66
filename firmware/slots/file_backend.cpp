// NAME
//   file_backend.cpp - slot images and boot state in a directory.
#include "slots/file_backend.h"

#include "slots/read_back.h"
#include "slots/state_file.h"

namespace appliance::slots {

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
  return load_state_file(dir_);
}

Result<void> FileSlotBackend::save_state(const BootState& state) {
  return save_state_file(dir_, state);
}

Result<void> FileSlotBackend::write_image(int slot, const std::string& image_path) {
  auto out = tuf::files::PendingFile::create(dir_, image_name(slot));
  if (!out) return out.error();
  auto copied = tuf::files::read_chunks(image_path, [&](std::string_view c) { return out->write(c); });
  if (!copied) return copied.error();
  return out->commit();
}

Result<void> FileSlotBackend::read_back(int slot, std::uint64_t length, const tuf::Hashes& hashes) {
  return check_slot_bytes(dir_.path() + "/" + image_name(slot), length, hashes, true);
}

}  // namespace appliance::slots
