// NAME
//   slow_sync.cpp - makes every fsync and fdatasync of a process take at
//   least SLOW_SYNC_US microseconds, as on a slower disk.
//
// DESCRIPTION
//   Preloaded (LD_PRELOAD) by bench/group-commit when SYNC_FLOOR_US is set,
//   into store_bench and the PostgreSQL server it starts: the real call runs,
//   then the caller sleeps out the rest of the floor. It shows what the
//   group-commit ratio would be on a disk whose sync costs what the design
//   assumes (about 0.5 ms). A measuring aid only; nothing ships with it.
#include <dlfcn.h>

#include <chrono>
#include <cstdlib>
#include <thread>

namespace {

using Sync = int (*)(int);

std::chrono::microseconds floor_of_sync() {
  static const std::chrono::microseconds floor{[] {
    const char* text = std::getenv("SLOW_SYNC_US");
    return text ? std::strtol(text, nullptr, 10) : 500L;
  }()};
  return floor;
}

int padded(Sync real, int fd) {
  auto start = std::chrono::steady_clock::now();
  int r = real(fd);
  std::this_thread::sleep_until(start + floor_of_sync());
  return r;
}

}  // namespace

extern "C" int fsync(int fd) {
  static const auto real = reinterpret_cast<Sync>(dlsym(RTLD_NEXT, "fsync"));
  return padded(real, fd);
}

extern "C" int fdatasync(int fd) {
  static const auto real = reinterpret_cast<Sync>(dlsym(RTLD_NEXT, "fdatasync"));
  return padded(real, fd);
}
