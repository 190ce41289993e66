// NAME
//   file_backend.h - slots as files in a directory: slot-a.img, slot-b.img
//   and state.json.
//
// DESCRIPTION
//   state.json is replaced atomically (temporary file, fsync, rename, fsync
//   of the directory); an image is written under a temporary name and
//   renamed into place once complete and synced. A directory without
//   state.json is refused: initialise() sets it up as a factory-fresh box.
#pragma once

#include <string>

#include "slots/slot_backend.h"
#include "tuf/files.h"

namespace appliance::slots {

class FileSlotBackend : public SlotBackend {
 public:
  static Result<FileSlotBackend> open(const std::string& dir);
  // Creates `dir` with slot a holding `image_path`, good, active and booted.
  static Result<FileSlotBackend> initialise(const std::string& dir, const std::string& image_path,
                                            const std::string& version,
                                            std::uint64_t security_version);

  Result<BootState> load_state() override;
  Result<void> save_state(const BootState& state) override;
  Result<void> write_image(int slot, const std::string& image_path) override;
  Result<void> read_back(int slot, std::uint64_t length, const tuf::Hashes& hashes) override;

  static std::string image_name(int slot);

 private:
  explicit FileSlotBackend(tuf::files::Directory dir) : dir_(std::move(dir)) {}
  tuf::files::Directory dir_;
};

}  // namespace appliance::slots
