// NAME
//   settings.cpp - the [smtpd] keys, their defaults and ranges.
#include "smtpd/settings.h"

namespace appliance::smtpd {

Settings read_settings(config::Reader& s) {
  Settings out;
  out.max_message_size =
      static_cast<std::uint64_t>(s.integer("max_message_size", 1 << 16, 1LL << 30, 50 << 20));
  out.max_recipients = static_cast<std::size_t>(s.integer("max_recipients", 1, 1000, 100));
  out.idle_timeout = std::chrono::seconds(s.integer("idle_timeout", 10, 3600, 300));
  out.max_connections = static_cast<std::size_t>(s.integer("max_connections", 1, 100000, 1000));
  out.workers = static_cast<std::size_t>(s.integer("workers", 1, 256, 8));
  auto count = [&s](const char* key, std::uint64_t fallback) {
    return static_cast<std::uint64_t>(
        s.integer(key, 0, 1000000, static_cast<std::int64_t>(fallback)));
  };
  SendingLimits& l = out.sending;
  l.per_hour = count("send_per_hour", l.per_hour);
  l.per_day = count("send_per_day", l.per_day);
  l.burst_factor = count("burst_factor", l.burst_factor);
  l.burst_floor = count("burst_floor", l.burst_floor);
  FilterOptions& f = out.filter;
  if (std::string rspamd = s.endpoint("rspamd", ""); !rspamd.empty()) f.url = "http://" + rspamd;
  f.timeout = std::chrono::seconds(s.integer("rspamd_timeout", 1, 300, 20));
  f.on_failure = s.choice("rspamd_failure", {"defer", "accept"}, "defer") == "accept"
                     ? FilterFailure::accept
                     : FilterFailure::defer;
  f.max_size = static_cast<std::size_t>(
      s.integer("rspamd_max_size", 1 << 16, 64 << 20, static_cast<std::int64_t>(f.max_size)));
  out.dmarc = s.choice("dmarc_policy", {"enforce", "record"}, "enforce") == "record"
                  ? DmarcPolicy::record
                  : DmarcPolicy::enforce;
  return out;
}

}  // namespace appliance::smtpd
