// NAME
//   export_tar.cpp - ustar headers, pax long names, the archive bounded.
#include "auth/export_tar.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace appliance::auth {
namespace {

constexpr std::size_t kBlock = 512;

// An octal number right-aligned in `width` bytes, NUL-terminated.
void octal(char* field, std::size_t width, std::uint64_t value) {
  std::string text = fmt::format("{:0{}o}", value, width - 1);
  std::memcpy(field, text.data(), width - 1);
  field[width - 1] = '\0';
}

// Splits `path` into ustar's prefix (155) and name (100) at a slash; false if it cannot.
bool split_path(const std::string& path, std::string& prefix, std::string& name) {
  if (path.size() <= 100) {
    prefix.clear(), name = path;
    return true;
  }
  for (std::size_t slash = path.find('/'); slash != std::string::npos;
       slash = path.find('/', slash + 1)) {
    if (slash <= 155 && path.size() - slash - 1 <= 100 && path.size() - slash - 1 > 0) {
      prefix = path.substr(0, slash), name = path.substr(slash + 1);
      return true;
    }
  }
  return false;
}

std::string block(const std::string& prefix, const std::string& name, char type, unsigned mode,
                  std::uint64_t size, std::int64_t mtime) {
  std::string b(kBlock, '\0');
  std::memcpy(&b[0], name.data(), std::min<std::size_t>(name.size(), 100));
  octal(&b[100], 8, mode);
  octal(&b[108], 8, 0);  // uid
  octal(&b[116], 8, 0);  // gid
  octal(&b[124], 12, size);
  octal(&b[136], 12, static_cast<std::uint64_t>(mtime < 0 ? 0 : mtime));
  std::memset(&b[148], ' ', 8);  // the checksum counts itself as spaces
  b[156] = type;
  std::memcpy(&b[257],
              "ustar\0"
              "00",
              8);
  std::memcpy(&b[345], prefix.data(), std::min<std::size_t>(prefix.size(), 155));
  unsigned sum = 0;
  for (unsigned char c : b) sum += c;
  std::string text = fmt::format("{:06o}", sum);
  std::memcpy(&b[148], text.data(), 6);
  b[154] = '\0';
  return b;
}

// A pax record "<length> path=<value>\n", whose length counts itself.
std::string pax_record(std::string_view key, std::string_view value) {
  std::size_t body = key.size() + value.size() + 3;  // ' ', '=', '\n'
  std::size_t length = body + 1;
  while (std::to_string(length).size() + body != length) ++length;
  return fmt::format("{} {}={}\n", length, key, value);
}

std::string padding(std::uint64_t size) {
  return std::string((kBlock - size % kBlock) % kBlock, '\0');
}

}  // namespace

Result<void> TarExport::room_for(std::size_t bytes) {
  if (too_large_ || archive_.size() + bytes > limit_) {
    too_large_ = true;
    return make_error(fmt::format("the export is larger than {} MiB", limit_ >> 20));
  }
  return {};
}

Result<void> TarExport::append(std::string_view bytes) {
  if (auto r = room_for(bytes.size()); !r) return r;
  archive_.append(bytes);
  return {};
}

// The header blocks of an entry: one, or a pax header first when the path is long.
std::string TarExport::header(const std::string& path, char type, std::uint64_t size) const {
  unsigned mode = type == '5' ? 0700 : 0600;
  std::string prefix, name;
  if (split_path(path, prefix, name)) return block(prefix, name, type, mode, size, mtime_);
  std::string pax = pax_record("path", path);
  return block("", "PaxHeader", 'x', 0600, pax.size(), mtime_) + pax + padding(pax.size()) +
         block("", path.substr(path.size() - 99), type, mode, size, mtime_);
}

Result<void> TarExport::open(const std::string& path) {
  if (!safe_export_path(path)) return make_error(fmt::format("refused export path '{}'", path));
  if (open_) return make_error("an export file is still open");
  path_ = path;
  header_at_ = archive_.size();
  if (auto r = append(std::string(kBlock, '\0')); !r) return r;  // completed at close()
  open_ = true;
  return {};
}

Result<void> TarExport::write(std::string_view bytes) {
  if (!open_) return make_error("no export file is open");
  return append(bytes);
}

Result<void> TarExport::close() {
  if (!open_) return make_error("no export file is open");
  open_ = false;
  std::uint64_t size = archive_.size() - header_at_ - kBlock;
  std::string head = header(path_, '0', size);
  if (auto r = room_for(head.size() - kBlock); !r) return r;  // a pax header is longer
  archive_.replace(header_at_, kBlock, head);
  return append(padding(size));
}

Result<void> TarExport::folder(const std::string& path) {
  if (!safe_export_path(path)) return make_error(fmt::format("refused export path '{}'", path));
  if (open_) return make_error("an export file is still open");
  return append(header(path + "/", '5', 0));
}

Result<std::string> TarExport::finish() {
  if (open_) return make_error("an export file is still open");
  if (auto r = append(std::string(2 * kBlock, '\0')); !r) return r.error();
  return std::move(archive_);
}

}  // namespace appliance::auth
