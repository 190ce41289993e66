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

// The header blocks of an entry: one, or a pax header first when the path
// or the size does not fit ustar's fields.
std::string TarStream::header(const std::string& path, char type, std::uint64_t size) const {
  unsigned mode = type == '5' ? 0700 : 0600;
  std::string prefix, name, pax;
  bool fits = split_path(path, prefix, name);
  if (!fits) pax += pax_record("path", path), prefix.clear(), name = path.substr(path.size() - 99);
  constexpr std::uint64_t kUstarMax = (std::uint64_t{1} << 33) - 1;  // 11 octal digits
  if (size > kUstarMax) pax += pax_record("size", std::to_string(size));
  std::string out;
  if (!pax.empty())
    out = block("", "PaxHeader", 'x', 0600, pax.size(), mtime_) + pax + padding(pax.size());
  return out + block(prefix, name, type, mode, std::min(size, kUstarMax), mtime_);
}

Result<void> TarStream::open(const std::string& path, std::optional<std::uint64_t> size) {
  if (!safe_export_path(path)) return make_error(fmt::format("refused export path '{}'", path));
  if (open_) return make_error("an export file is still open");
  if (!size) return make_error(fmt::format("{}: a tar entry needs its size first", path));
  if (auto r = sink_(header(path, '0', *size)); !r) return r;
  size_ = left_ = *size;
  open_ = true;
  return {};
}

Result<void> TarStream::write(std::string_view bytes) {
  if (!open_) return make_error("no export file is open");
  if (bytes.size() > left_) return make_error("more bytes than the tar entry announced");
  left_ -= bytes.size();
  return sink_(bytes);
}

Result<void> TarStream::close() {
  if (!open_) return make_error("no export file is open");
  open_ = false;
  if (left_ != 0) return make_error("fewer bytes than the tar entry announced");
  return sink_(padding(size_));
}

Result<void> TarStream::folder(const std::string& path) {
  if (!safe_export_path(path)) return make_error(fmt::format("refused export path '{}'", path));
  if (open_) return make_error("an export file is still open");
  return sink_(header(path + "/", '5', 0));
}

Result<void> TarStream::finish() {
  if (open_) return make_error("an export file is still open");
  return sink_(std::string(2 * kBlock, '\0'));
}

}  // namespace appliance::auth
