// The [smtpd] section as an operator writes it: each key reaches the setting
// it names, absent keys keep their defaults, bad values are refused with the
// file, line and key.
#include "smtpd/settings.h"

#include <gtest/gtest.h>

#include "common/testing/config_section.h"

namespace appliance::smtpd {
namespace {

struct Read {
  Settings settings;
  Result<void> finished;
};

Read read(std::string_view text) {
  auto [settings, finished] = config::testing::read_section(text, "smtpd", read_settings);
  return {settings, finished};
}

// The settings as the keys that set them, one "key = value" per line.
std::string described(const Settings& s) {
  auto line = [](const char* key, const std::string& value) {
    return std::string(key) + " = " + value + "\n";
  };
  auto n = [](auto v) { return std::to_string(v); };
  const FilterOptions& f = s.filter;
  std::string rspamd = f.url.starts_with("http://") ? f.url.substr(7) : f.url;
  return line("max_message_size", n(s.max_message_size)) +
         line("max_recipients", n(s.max_recipients)) +
         line("idle_timeout", n(s.idle_timeout.count())) +
         line("max_connections", n(s.max_connections)) + line("workers", n(s.workers)) +
         line("send_per_hour", n(s.sending.per_hour)) + line("send_per_day", n(s.sending.per_day)) +
         line("burst_factor", n(s.sending.burst_factor)) +
         line("burst_floor", n(s.sending.burst_floor)) + line("rspamd", rspamd) +
         line("rspamd_timeout",
              n(std::chrono::duration_cast<std::chrono::seconds>(f.timeout).count())) +
         line("rspamd_failure", f.on_failure == FilterFailure::accept ? "accept" : "defer") +
         line("rspamd_max_size", n(f.max_size)) +
         line("dmarc_policy", s.dmarc == DmarcPolicy::record ? "record" : "enforce");
}

TEST(SmtpdSettings, AnEmptySectionGivesTheDefaults) {
  auto got = read("[smtpd]\n");
  ASSERT_TRUE(got.finished.ok()) << got.finished.message();
  EXPECT_EQ(described(got.settings),
            "max_message_size = 52428800\n"
            "max_recipients = 100\n"
            "idle_timeout = 300\n"
            "max_connections = 1000\n"
            "workers = 8\n"
            "send_per_hour = 500\n"
            "send_per_day = 2000\n"
            "burst_factor = 10\n"
            "burst_floor = 100\n"
            "rspamd = \n"
            "rspamd_timeout = 20\n"
            "rspamd_failure = defer\n"
            "rspamd_max_size = 10485760\n"
            "dmarc_policy = enforce\n");
}

TEST(SmtpdSettings, EveryKeyReachesItsSetting) {
  // Each value differs from its default, so a key that is not read shows.
  const std::string section =
      "max_message_size = 1048576\n"
      "max_recipients = 20\n"
      "idle_timeout = 60\n"
      "max_connections = 50\n"
      "workers = 2\n"
      "send_per_hour = 7\n"
      "send_per_day = 70\n"
      "burst_factor = 3\n"
      "burst_floor = 30\n"
      "rspamd = 127.0.0.1:11333\n"
      "rspamd_timeout = 5\n"
      "rspamd_failure = accept\n"
      "rspamd_max_size = 65536\n"
      "dmarc_policy = record\n";
  auto got = read("[smtpd]\n" + section);
  ASSERT_TRUE(got.finished.ok()) << got.finished.message();
  EXPECT_EQ(described(got.settings), section);
}

TEST(SmtpdSettings, BadValuesAndKeysAreRefusedWithTheirLine) {
  EXPECT_EQ(read("[smtpd]\ndmarc_policy = reject\n").finished.message(),
            "appliance.conf:2: [smtpd] key 'dmarc_policy': expected one of enforce, record, got "
            "'reject'");
  EXPECT_EQ(read("[smtpd]\nworkers = 0\n").finished.message(),
            "appliance.conf:2: [smtpd] key 'workers': expected an integer from 1 to 256, got '0'");
  EXPECT_EQ(read("[smtpd]\ndmarc = record\n").finished.message(),
            "appliance.conf:2: [smtpd] unknown key 'dmarc'");
}

}  // namespace
}  // namespace appliance::smtpd
