// NAME
//   settings.h - the [smtpd] section of appliance.conf, read.
//
// DESCRIPTION
//   read_settings() takes every key of the section out of a config::Reader,
//   each with its default and range; a bad value is recorded in the reader,
//   whose finish() reports it with the file, line and key. Keys (defaults):
//     max_message_size (52428800), max_recipients (100), idle_timeout (300 s),
//     max_connections (1000), workers (8);
//     send_per_hour (500), send_per_day (2000), burst_factor (10),
//     burst_floor (100) (sending.h);
//     rspamd (host:port; unset: not scanned), rspamd_timeout (20 s),
//     rspamd_failure (defer | accept), rspamd_max_size (10485760) (filter.h);
//     dmarc_policy (enforce | record) (inbound.h).
#pragma once

#include <chrono>
#include <cstdint>

#include "common/config.h"
#include "smtpd/filter.h"
#include "smtpd/inbound.h"
#include "smtpd/sending.h"

namespace appliance::smtpd {

struct Settings {
  std::uint64_t max_message_size = 50u << 20;
  std::size_t max_recipients = 100;
  std::chrono::seconds idle_timeout{300};
  std::size_t max_connections = 1000;
  std::size_t workers = 8;
  SendingLimits sending;
  FilterOptions filter;                      // url empty: MX mail is not scanned
  DmarcPolicy dmarc = DmarcPolicy::enforce;  // what a DMARC failure on the MX port does
};

Settings read_settings(config::Reader& section);

}  // namespace appliance::smtpd
