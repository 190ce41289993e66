// NAME
//   block_backend_test.cpp - the block-device slot backend, with regular
//   files of a fixed size standing for the partitions: images written in
//   place, never truncated, refused when too long, read back before they
//   are tried; the state file apart from the slots.
#include "slots/block_backend.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "slots/slot_manager.h"
#include "tuf/digest.h"

namespace appliance::slots {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr std::uint64_t kDevice = 4096;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

struct PassingGate : HealthGate {
  Result<void> check() override { return {}; }
};

// Writes the image, then damages the device: what a bad disk would do.
struct DamagingBackend : SlotBackend {
  explicit DamagingBackend(BlockSlotBackend& inner, std::string device)
      : inner(inner), device(std::move(device)) {}
  Result<BootState> load_state() override { return inner.load_state(); }
  Result<void> save_state(const BootState& s) override { return inner.save_state(s); }
  Result<void> write_image(int slot, const std::string& path) override {
    auto r = inner.write_image(slot, path);
    std::fstream(device, std::ios::in | std::ios::out | std::ios::binary).write("X", 1);
    return r;
  }
  Result<void> read_back(int slot, std::uint64_t length, const tuf::Hashes& hashes) override {
    return inner.read_back(slot, length, hashes);
  }
  BlockSlotBackend& inner;
  std::string device;
};

class Block : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "block-slots-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    base = pattern;
    // Slot a holds the factory image; b is blank. Both keep their size.
    std::ofstream(base / "root-a", std::ios::binary) << "factory" << std::string(kDevice - 7, '\0');
    std::ofstream(base / "root-b", std::ios::binary) << std::string(kDevice, '.');
    devices = {(base / "root-a").string(), (base / "root-b").string()};
    auto b = BlockSlotBackend::initialise(devices, (base / "state").string(), "1.0", 2);
    ASSERT_TRUE(b.ok()) << b.message();
    backend.emplace(std::move(*b));
  }
  void TearDown() override { fs::remove_all(base); }

  Candidate candidate(const std::string& version, const std::string& content) {
    std::ofstream(base / version, std::ios::binary) << content;
    return Candidate{.image_path = (base / version).string(),
                     .name = "appliance-" + version,
                     .length = content.size(),
                     .hashes = {{"sha256", tuf::sha256_hex(content)}},
                     .version = version,
                     .security_version = 3};
  }

  fs::path base;
  std::array<std::string, 2> devices;
  std::optional<BlockSlotBackend> backend;
};

TEST_F(Block, AnImageIsWrittenInPlaceAndTheDeviceKeepsItsSize) {
  SlotManager m(*backend);
  auto slot = m.install(candidate("2.0", "version two"));
  ASSERT_TRUE(slot.ok()) << slot.message();
  EXPECT_EQ(*slot, 1);
  const std::string b = slurp(devices[1]);
  EXPECT_EQ(b.size(), kDevice);
  EXPECT_EQ(b.substr(0, 11), "version two");
  EXPECT_EQ(b.substr(11), std::string(kDevice - 11, '.'));  // the rest is left alone
  EXPECT_TRUE(backend->read_back(1, 11, {{"sha256", tuf::sha256_hex("version two")}}).ok());
  BootState s = backend->load_state().value();
  EXPECT_EQ(s.slot(1).status, SlotStatus::trying);
  EXPECT_EQ(s.active, 1);
  // The state lives apart from the slots.
  EXPECT_TRUE(fs::exists(base / "state" / "state.json"));

  ASSERT_EQ(m.choose_boot().value(), 1);
  PassingGate gate;
  auto after = m.after_boot(gate);
  ASSERT_TRUE(after.ok()) << after.message();
  EXPECT_TRUE(after->committed);
  EXPECT_EQ(backend->load_state()->security_floor, 3u);
}

TEST_F(Block, AnImageLongerThanTheDeviceIsRefusedNamingBothSizes) {
  SlotManager m(*backend);
  auto r = m.install(candidate("2.0", std::string(kDevice + 1, 'x')));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.message(), HasSubstr("is 4097 bytes, larger than slot b's device " + devices[1] +
                                     " (4096 bytes); nothing written"));
  EXPECT_EQ(slurp(devices[1]), std::string(kDevice, '.'));
  BootState s = backend->load_state().value();
  EXPECT_EQ(s.slot(1).status, SlotStatus::bad);
  EXPECT_EQ(s.active, 0);
}

TEST_F(Block, AnImageFillingTheDeviceExactlyFits) {
  SlotManager m(*backend);
  EXPECT_TRUE(m.install(candidate("2.0", std::string(kDevice, 'y'))).ok());
  EXPECT_EQ(slurp(devices[1]), std::string(kDevice, 'y'));
}

TEST_F(Block, ADeviceThatReadsBackWrongIsNotTried) {
  DamagingBackend damaging(*backend, devices[1]);
  SlotManager m(damaging);
  auto r = m.install(candidate("2.0", "version two"));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.message(),
              HasSubstr("slot b: " + devices[1] + " reads back wrong: sha256 mismatch"));
  BootState s = backend->load_state().value();
  EXPECT_EQ(s.slot(1).status, SlotStatus::bad);
  EXPECT_EQ(s.active, 0);
}

TEST_F(Block, ReadBackBeyondTheDeviceFails) {
  EXPECT_THAT(backend->read_back(1, kDevice + 1, {{"sha256", tuf::sha256_hex("")}}).message(),
              HasSubstr("holds only 4096 of 4097 bytes"));
}

TEST_F(Block, MissingDevicesAndStateAreErrors) {
  EXPECT_THAT(
      BlockSlotBackend::open({devices[0], (base / "root-c").string()}, (base / "state").string())
          .message(),
      HasSubstr("cannot open " + (base / "root-c").string()));
  EXPECT_THAT(
      BlockSlotBackend::open({devices[0], base.string()}, (base / "state").string()).message(),
      HasSubstr("neither a block device nor a file"));
  fs::create_directories(base / "empty");
  auto empty = BlockSlotBackend::open(devices, (base / "empty").string());
  ASSERT_TRUE(empty.ok()) << empty.message();
  EXPECT_THAT(empty->load_state().message(), HasSubstr("has no state.json"));
  // Never created: a missing partition is not made into a file.
  fs::remove(devices[1]);
  auto gone = backend->write_image(1, devices[0]);
  EXPECT_THAT(gone.message(), HasSubstr("cannot open slot b's"));
  EXPECT_FALSE(fs::exists(devices[1]));
}

}  // namespace
}  // namespace appliance::slots
