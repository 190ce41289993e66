// NAME
//   names.cpp - percent-encoding and URL assembly.
#include "tuf/names.h"

namespace appliance::tuf {

std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '.' || c == '_' || c == '~';
    if (plain) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

std::string role_file_name(std::string_view role) {
  return percent_encode(role) + ".json";
}

std::string with_trailing_slash(std::string_view base) {
  std::string out(base);
  while (!out.empty() && out.back() == '/') out.pop_back();
  out.push_back('/');
  return out;
}

std::string metadata_url(std::string_view base, std::string_view role,
                         std::optional<std::uint64_t> version) {
  std::string url = with_trailing_slash(base);
  if (version) url += std::to_string(*version) + ".";
  return url + role_file_name(role);
}

std::string target_url(std::string_view base, std::string_view path,
                       std::optional<std::string_view> hash_prefix) {
  std::string url = with_trailing_slash(base);
  std::size_t start = 0;
  while (true) {
    std::size_t slash = path.find('/', start);
    std::string_view segment = path.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (slash == std::string_view::npos) {
      if (hash_prefix) url += std::string(*hash_prefix) + ".";
      return url + percent_encode(segment);
    }
    url += percent_encode(segment) + "/";
    start = slash + 1;
  }
}

}  // namespace appliance::tuf
