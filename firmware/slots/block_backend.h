// NAME
//   block_backend.h - slots as fixed-size block devices (the partitions of
//   the A/B disk), the boot state in state.json on a partition of its own.
//
// DESCRIPTION
//   A slot's device is given by path (e.g. /dev/disk/by-partlabel/root-a)
//   and never created, truncated or resized: an image is written in place
//   from its first byte, and one longer than the device is refused before
//   anything is written, naming both sizes. After the write the device is
//   synced (fsync), its cached pages dropped, and SlotManager reads it back
//   (read_back) against the signed target's hashes before the slot becomes
//   trying. The bytes after the image are left as they were: the image says
//   its own length (erofs, and the verity hash tree after it).
//
//   The state file is the file backend's (state_file.h), in a directory
//   apart from the slots. Tests stand regular files of a fixed size for the
//   devices.
#pragma once

#include <array>
#include <string>

#include "slots/slot_backend.h"
#include "tuf/files.h"

namespace appliance::slots {

class BlockSlotBackend : public SlotBackend {
 public:
  // `devices[0]` is slot a's, `devices[1]` slot b's; `state_dir` holds state.json.
  static Result<BlockSlotBackend> open(const std::array<std::string, 2>& devices,
                                       const std::string& state_dir);
  // A factory-fresh box: slot a (whose device already holds the factory
  // image) good, active and booted; writes only the state.
  static Result<BlockSlotBackend> initialise(const std::array<std::string, 2>& devices,
                                             const std::string& state_dir,
                                             const std::string& version,
                                             std::uint64_t security_version);

  Result<BootState> load_state() override;
  Result<void> save_state(const BootState& state) override;
  Result<void> write_image(int slot, const std::string& image_path) override;
  Result<void> read_back(int slot, std::uint64_t length, const tuf::Hashes& hashes) override;

  // The size of a device, or of the regular file standing for one.
  static Result<std::uint64_t> device_size(const std::string& path);

 private:
  BlockSlotBackend(std::array<std::string, 2> devices, tuf::files::Directory state)
      : devices_(std::move(devices)), state_(std::move(state)) {}
  const std::string& device(int slot) const { return devices_[slot == 0 ? 0 : 1]; }

  std::array<std::string, 2> devices_;
  tuf::files::Directory state_;
};

}  // namespace appliance::slots
