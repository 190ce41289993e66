// NAME
//   settings.h - the [deliverd] section of appliance.conf, read.
//
// DESCRIPTION
//   read_settings() takes every key of the section out of a config::Reader,
//   each with its default and its range; a value out of range or of the
//   wrong kind is recorded in the reader, whose finish() reports it with the
//   file, line and key. Routes that do not parse are returned as the error,
//   after every other key has been read (so finish() does not call them
//   unknown).
//
//   Keys, with their defaults:
//     port (25: of MX hosts; only tests set another), routes (routes.h),
//     poll (10 s between queue passes),
//     retry_first (300), retry_longest (14400), lifetime (432000: 5 days),
//     delay_notice (14400; 0: none) (schedule.h, seconds),
//     connect_timeout (30), io_timeout (300) (seconds),
//     messages_per_connection (100),
//     parallel (8) and parallel_per_domain (1) (the lanes of a pass, queue_run.h),
//     the TLS policy (tls_policy.h): dane (on: trust the [dns] resolver's AD
//     bit), mta_sts (on), mta_sts_port (443: only tests set another),
//     mta_sts_timeout (60), tls_ca_file (the WebPKI roots for MTA-STS;
//     default the system's).
#pragma once

#include <chrono>

#include "common/config.h"
#include "common/result.h"
#include "deliverd/attempt.h"
#include "deliverd/mta_sts.h"
#include "deliverd/queue_run.h"
#include "deliverd/schedule.h"

namespace appliance::deliverd {

struct DeliverdSettings {
  AttemptSettings attempt;  // hostname and MTA-STS policies are set at start
  Schedule schedule;
  Lanes lanes;
  std::chrono::seconds poll{10};
  bool mta_sts = true;
  FetchOptions fetch;  // its client options are the attempt's, set at start
};

Result<DeliverdSettings> read_settings(config::Reader& section);

}  // namespace appliance::deliverd
