// NAME
//   target_store.cpp - the target directory on disk.
#include "tuf/target_store.h"

#include "tuf/names.h"

namespace appliance::tuf {
namespace {

class PendingTargetFile : public PendingTarget {
 public:
  PendingTargetFile(files::PendingFile file, std::string location)
      : file_(std::move(file)), location_(std::move(location)) {}
  Result<void> write(std::string_view chunk) override { return file_.write(chunk); }
  Result<std::string> commit() override {
    if (auto r = file_.commit(); !r) return r.error();
    return location_;
  }

 private:
  files::PendingFile file_;
  std::string location_;
};

}  // namespace

Result<DirectoryTargetStore> DirectoryTargetStore::open(const std::string& path) {
  auto dir = files::Directory::open(path, true);
  if (!dir) return dir.error();
  return DirectoryTargetStore(std::move(*dir));
}

std::string DirectoryTargetStore::file_name(std::string_view target_path) {
  return percent_encode(target_path);
}

Result<std::unique_ptr<PendingTarget>> DirectoryTargetStore::create(std::string_view target_path) {
  std::string name = file_name(target_path);
  auto file = files::PendingFile::create(dir_, name);
  if (!file) return file.error();
  std::string location = with_trailing_slash(dir_.path()) + name;
  return std::unique_ptr<PendingTarget>(
      std::make_unique<PendingTargetFile>(std::move(*file), std::move(location)));
}

Result<void> DirectoryTargetStore::keep_only(std::string_view target_path) {
  const std::string keep = file_name(target_path);
  auto names = dir_.files();
  if (!names) return names.error();
  // The directory is the store's alone: everything else in it is an older
  // target or a temporary file an interrupted download left behind.
  for (const std::string& name : *names) {
    if (name == keep) continue;
    if (auto r = dir_.remove(name); !r) return r.error();
  }
  return {};
}

}  // namespace appliance::tuf
