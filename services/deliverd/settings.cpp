// NAME
//   settings.cpp - the [deliverd] keys, their defaults and ranges.
#include "deliverd/settings.h"

namespace appliance::deliverd {

Result<DeliverdSettings> read_settings(config::Reader& s) {
  DeliverdSettings out;
  AttemptSettings& a = out.attempt;
  a.port = static_cast<std::uint16_t>(s.integer("port", 1, 65535, a.port));
  auto routes = parse_routes(s.string("routes", ""));
  out.poll = std::chrono::seconds(s.integer("poll", 1, 3600, out.poll.count()));
  Schedule& r = out.schedule;
  r.first = s.integer("retry_first", 1, 86400, r.first);
  r.longest = s.integer("retry_longest", 1, 7 * 86400, r.longest);
  r.lifetime = s.integer("lifetime", 60, 30 * 86400, r.lifetime);
  r.delay_notice = s.integer("delay_notice", 0, 30 * 86400, r.delay_notice);
  auto& c = a.client;
  c.connect_timeout =
      std::chrono::seconds(s.integer("connect_timeout", 1, 600, c.connect_timeout.count()));
  c.io_timeout = std::chrono::seconds(s.integer("io_timeout", 1, 3600, c.io_timeout.count()));
  c.ca_file = s.string("tls_ca_file", "");
  a.dane = s.boolean("dane", a.dane);
  out.mta_sts = s.boolean("mta_sts", out.mta_sts);
  out.fetch.port = static_cast<std::uint16_t>(s.integer("mta_sts_port", 1, 65535, out.fetch.port));
  out.fetch.timeout =
      std::chrono::seconds(s.integer("mta_sts_timeout", 1, 600, out.fetch.timeout.count()));
  a.messages_per_connection = static_cast<unsigned>(
      s.integer("messages_per_connection", 1, 10000, a.messages_per_connection));
  out.lanes.total = static_cast<unsigned>(s.integer("parallel", 1, 100, out.lanes.total));
  out.lanes.per_domain =
      static_cast<unsigned>(s.integer("parallel_per_domain", 1, 100, out.lanes.per_domain));
  if (!routes) return make_error("[deliverd] routes: " + routes.message());
  a.routes = std::move(*routes);
  return out;
}

}  // namespace appliance::deliverd
