// NAME
//   config.h - the appliance configuration file.
//
// DESCRIPTION
//   One file, appliance.conf, in INI form (docs/configuration.md):
//
//     # comment
//     [keyd]
//     user = appliance-keyd
//     pkcs11_module = /usr/lib/softhsm/libsofthsm2.so
//
//   parse() is pure and only checks the syntax. A Reader then takes typed
//   values out of one section for one daemon; every bad value, missing key and
//   unknown key becomes an error naming the file, the line and the key. A
//   daemon with any such error refuses to start.
#pragma once

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace appliance::config {

struct Entry {
  std::string key;
  std::string value;
  int line = 0;
};

struct Section {
  std::string name;
  int line = 0;
  std::vector<Entry> entries;
};

struct Document {
  std::string path;  // for messages only
  std::vector<Section> sections;

  const Section* find(std::string_view name) const;
};

// The section names the appliance knows; any other is an error.
const std::vector<std::string>& known_sections();

constexpr std::size_t kMaxFileSize = 1 << 20;
constexpr std::size_t kMaxLineLength = 4096;

Result<Document> parse(std::string_view text, std::string_view path);
Result<Document> load(const std::filesystem::path& path);

// Takes typed values from one section. Each getter returns the default when
// the key is absent, records an error when the value is bad, and marks the key
// as known; finish() then reports the first error, or the first unknown key.
class Reader {
 public:
  Reader(const Document& doc, std::string_view section);

  std::string string(std::string_view key, std::string_view fallback);
  std::string required_string(std::string_view key);
  std::int64_t integer(std::string_view key, std::int64_t min, std::int64_t max,
                       std::int64_t fallback);
  bool boolean(std::string_view key, bool fallback);
  // One of `choices`; anything else is an error that lists them.
  std::string choice(std::string_view key, std::initializer_list<std::string_view> choices,
                     std::string_view fallback);
  std::filesystem::path path(std::string_view key, const std::filesystem::path& fallback);
  // "host:port" or "[v6]:port"; port 0 means "any free port".
  std::string endpoint(std::string_view key, std::string_view fallback);

  Result<void> finish();

 private:
  const Entry* lookup(std::string_view key);
  void fail(const Entry* entry, std::string_view key, std::string_view what);

  const Document& doc_;
  std::string section_name_;
  const Section* section_;
  std::vector<std::string> known_;
  std::optional<Error> error_;
};

// "host:port" split; validates the port. Pure.
struct HostPort {
  std::string host;
  std::uint16_t port = 0;
};
Result<HostPort> parse_endpoint(std::string_view text);

}  // namespace appliance::config
