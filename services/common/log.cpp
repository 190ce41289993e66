// NAME
//   log.cpp - journal or stderr sink for structured events.
#include "common/log.h"

#include <sys/uio.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <vector>

namespace appliance::log {
namespace {

std::string g_ident = "appliance";
bool g_journal = false;
std::atomic<Level> g_min_level{Level::info};
std::mutex g_mutex;

const char* level_name(Level level) {
  switch (level) {
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warning: return "warning";
    case Level::error: return "error";
  }
  return "?";
}

int syslog_priority(Level level) {
  switch (level) {
    case Level::debug: return 7;
    case Level::info: return 6;
    case Level::warning: return 4;
    case Level::error: return 3;
  }
  return 6;
}

bool needs_quotes(std::string_view v) {
  if (v.empty()) return true;
  for (unsigned char c : v)
    if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c >= 0x7f) return true;
  return false;
}

// Quotes and escapes a value so that it stays on one line and parses back.
void append_value(std::string& out, std::string_view v) {
  if (!needs_quotes(v)) {
    out += v;
    return;
  }
  out += '"';
  for (unsigned char c : v) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < ' ' || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

std::string timestamp() {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:03d}Z", buf, static_cast<int>(ms.count()));
}

std::string journal_key(std::string_view key) {
  std::string k;
  for (char c : key) {
    if (c >= 'a' && c <= 'z') k += static_cast<char>(c - 'a' + 'A');
    else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) k += c;
    else k += '_';
  }
  if (k.empty() || k[0] == '_' || (k[0] >= '0' && k[0] <= '9')) k = "F" + k;
  return k;
}

void write_journal(Level level, std::string_view message, Fields fields) {
  std::vector<std::string> parts;
  parts.push_back(fmt::format("MESSAGE={}", message));
  parts.push_back(fmt::format("PRIORITY={}", syslog_priority(level)));
  parts.push_back(fmt::format("SYSLOG_IDENTIFIER={}", g_ident));
  for (const Field& f : fields) parts.push_back(journal_key(f.key) + "=" + f.value);
  std::vector<iovec> iov;
  for (auto& p : parts) iov.push_back({p.data(), p.size()});
  sd_journal_sendv(iov.data(), static_cast<int>(iov.size()));
}

}  // namespace

void init(std::string_view ident) {
  std::lock_guard lock(g_mutex);
  g_ident = std::string(ident);
  g_journal = std::getenv("JOURNAL_STREAM") != nullptr;
  if (const char* lvl = std::getenv("APPLIANCE_LOG_LEVEL"); lvl && std::string_view(lvl) == "debug")
    g_min_level = Level::debug;
}

void set_min_level(Level level) { g_min_level = level; }

std::string format_line(Level level, std::string_view message, Fields fields) {
  std::string line = fmt::format("{}: ", level_name(level));
  for (unsigned char c : message) line += (c < ' ' || c == 0x7f) ? '?' : static_cast<char>(c);
  for (const Field& f : fields) {
    line += ' ';
    line += f.key;
    line += '=';
    append_value(line, f.value);
  }
  return line;
}

void write(Level level, std::string_view message, Fields fields) {
  if (level < g_min_level.load()) return;
  std::lock_guard lock(g_mutex);
  if (g_journal) {
    write_journal(level, message, fields);
    return;
  }
  std::string line = fmt::format("{} {}[{}] {}\n", timestamp(), g_ident, getpid(),
                                 format_line(level, message, fields));
  // One write(2) per line, so lines of concurrent processes do not interleave.
  [[maybe_unused]] auto n = ::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace appliance::log
