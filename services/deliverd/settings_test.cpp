// The [deliverd] section as an operator writes it: each key reaches the
// setting it names, absent keys keep their defaults, and bad values are
// refused with the file, line and key.
#include "deliverd/settings.h"

#include <gtest/gtest.h>

#include "common/testing/config_section.h"

namespace appliance::deliverd {
namespace {

struct Read {
  Result<DeliverdSettings> settings;
  Result<void> finished;
};

Read read(std::string_view text) {
  auto [settings, finished] = config::testing::read_section(text, "deliverd", read_settings);
  return {std::move(settings), finished};
}

// The settings as the keys that set them, one "key = value" per line.
std::string described(const DeliverdSettings& s) {
  const AttemptSettings& a = s.attempt;
  std::string routes;
  for (const auto& [domain, to] : a.routes.by_domain)
    routes +=
        (routes.empty() ? "" : ", ") + domain + " = " + to.host + ":" + std::to_string(to.port);
  auto line = [](const char* key, const auto& value) {
    return std::string(key) + " = " + value + "\n";
  };
  auto number = [](auto n) { return std::to_string(n); };
  auto yes = [](bool b) { return std::string(b ? "true" : "false"); };
  return line("port", number(a.port)) + line("routes", routes) +
         line("poll", number(s.poll.count())) + line("retry_first", number(s.schedule.first)) +
         line("retry_longest", number(s.schedule.longest)) +
         line("lifetime", number(s.schedule.lifetime)) +
         line("delay_notice", number(s.schedule.delay_notice)) +
         line("connect_timeout", number(a.client.connect_timeout.count())) +
         line("io_timeout", number(a.client.io_timeout.count())) +
         line("tls_ca_file", a.client.ca_file) + line("dane", yes(a.dane)) +
         line("mta_sts", yes(s.mta_sts)) + line("mta_sts_port", number(s.fetch.port)) +
         line("mta_sts_timeout", number(s.fetch.timeout.count())) +
         line("messages_per_connection", number(a.messages_per_connection)) +
         line("parallel", number(s.lanes.total)) +
         line("parallel_per_domain", number(s.lanes.per_domain));
}

TEST(DeliverdSettings, AnEmptySectionGivesTheDefaults) {
  auto got = read("[deliverd]\n");
  ASSERT_TRUE(got.settings.ok()) << got.settings.message();
  ASSERT_TRUE(got.finished.ok()) << got.finished.message();
  EXPECT_EQ(described(*got.settings),
            "port = 25\n"
            "routes = \n"
            "poll = 10\n"
            "retry_first = 300\n"
            "retry_longest = 14400\n"
            "lifetime = 432000\n"
            "delay_notice = 14400\n"
            "connect_timeout = 30\n"
            "io_timeout = 300\n"
            "tls_ca_file = \n"
            "dane = true\n"
            "mta_sts = true\n"
            "mta_sts_port = 443\n"
            "mta_sts_timeout = 60\n"
            "messages_per_connection = 100\n"
            "parallel = 8\n"
            "parallel_per_domain = 1\n");
}

TEST(DeliverdSettings, EveryKeyReachesItsSetting) {
  // Each value differs from its default, so a key that is not read shows.
  const std::string section =
      "port = 2525\n"
      "routes = * = smarthost.example:587, b.example = 192.0.2.7:25\n"
      "poll = 30\n"
      "retry_first = 60\n"
      "retry_longest = 7200\n"
      "lifetime = 86400\n"
      "delay_notice = 0\n"
      "connect_timeout = 5\n"
      "io_timeout = 120\n"
      "tls_ca_file = /etc/ssl/certs/ca-certificates.crt\n"
      "dane = false\n"
      "mta_sts = false\n"
      "mta_sts_port = 8443\n"
      "mta_sts_timeout = 20\n"
      "messages_per_connection = 1\n"
      "parallel = 3\n"
      "parallel_per_domain = 2\n";
  auto got = read("[deliverd]\n" + section);
  ASSERT_TRUE(got.settings.ok()) << got.settings.message();
  ASSERT_TRUE(got.finished.ok()) << got.finished.message();
  EXPECT_EQ(described(*got.settings), section);
}

TEST(DeliverdSettings, AValueOutOfRangeIsRefusedWithItsLine) {
  auto got = read("[deliverd]\nparallel = 4\nparallel_per_domain = 0\n");
  ASSERT_FALSE(got.finished.ok());
  EXPECT_EQ(got.finished.message(),
            "appliance.conf:3: [deliverd] key 'parallel_per_domain': expected an integer from 1 "
            "to 100, got '0'");
}

TEST(DeliverdSettings, BadRoutesAreTheErrorAndTheKeysAfterThemStillKnown) {
  auto got = read("[deliverd]\nroutes = b.example\nparallel = 4\n");
  ASSERT_FALSE(got.settings.ok());
  EXPECT_EQ(got.settings.message().rfind("[deliverd] routes: ", 0), 0u) << got.settings.message();
  EXPECT_TRUE(got.finished.ok()) << got.finished.message();
}

TEST(DeliverdSettings, AMisspeltKeyIsRefused) {
  auto got = read("[deliverd]\nparalel = 4\n");
  ASSERT_FALSE(got.finished.ok());
  EXPECT_EQ(got.finished.message(), "appliance.conf:2: [deliverd] unknown key 'paralel'");
}

}  // namespace
}  // namespace appliance::deliverd
