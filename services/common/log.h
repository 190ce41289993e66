// NAME
//   log.h - structured logging for every daemon.
//
// DESCRIPTION
//   log::info("listening", {{"name", "smtp"}, {"port", 2525}}) writes one event
//   with fields. Under systemd (JOURNAL_STREAM set) events go to the journal
//   with the fields as journal fields; otherwise to stderr as one line:
//     2026-11-22T20:01:02.123Z keyd[42] info: listening name=smtp port=2525
//   Values are escaped, so network input cannot forge a log line.
//
// SECURITY
//   A Field cannot be made from a Secret: that is a compile error, so a PIN or
//   password cannot be logged by accident.
#pragma once

#include <fmt/format.h>

#include <initializer_list>
#include <string>
#include <string_view>

#include "common/secret.h"

namespace appliance::log {

enum class Level { debug, info, warning, error };

struct Field {
  template <class T>
  Field(std::string_view k, const T& v) : key(k), value(fmt::format("{}", v)) {
    static_assert(!is_secret_v<T>, "a Secret cannot be logged");
  }
  std::string_view key;
  std::string value;
};

using Fields = std::initializer_list<Field>;

// Sets the identifier (the daemon's name) and picks the journal or stderr.
void init(std::string_view ident);
void set_min_level(Level level);

void write(Level level, std::string_view message, Fields fields);
inline void debug(std::string_view m, Fields f = {}) { write(Level::debug, m, f); }
inline void info(std::string_view m, Fields f = {}) { write(Level::info, m, f); }
inline void warning(std::string_view m, Fields f = {}) { write(Level::warning, m, f); }
inline void error(std::string_view m, Fields f = {}) { write(Level::error, m, f); }

// The stderr line for an event, without timestamp and ident: "info: msg k=v".
// Pure; exposed for tests.
std::string format_line(Level level, std::string_view message, Fields fields);

}  // namespace appliance::log
