#include "common/config.h"

#include <gtest/gtest.h>

namespace appliance::config {
namespace {

Document parse_ok(std::string_view text) {
  auto doc = parse(text, "test.conf");
  EXPECT_TRUE(doc.ok()) << (doc.ok() ? "" : doc.message());
  return doc.ok() ? *doc : Document{};
}

std::string parse_error(std::string_view text) {
  auto doc = parse(text, "test.conf");
  EXPECT_FALSE(doc.ok());
  return doc.ok() ? "" : doc.message();
}

TEST(ConfigParse, SectionsKeysCommentsAndLines) {
  auto doc = parse_ok("# top\n[appliance]\nhome = /srv/a  \n\n; also a comment\n[keyd]\nuser=k\n");
  ASSERT_EQ(doc.sections.size(), 2u);
  EXPECT_EQ(doc.sections[0].entries[0].value, "/srv/a");
  EXPECT_EQ(doc.sections[0].entries[0].line, 3);
  EXPECT_EQ(doc.sections[1].name, "keyd");
  EXPECT_EQ(doc.sections[1].line, 6);
}

TEST(ConfigParse, ValuesMayContainHashAndEquals) {
  auto doc = parse_ok("[webd]\nbanner = a=b # not a comment\n");
  EXPECT_EQ(doc.sections[0].entries[0].value, "a=b # not a comment");
}

TEST(ConfigParse, ErrorsNameFileAndLine) {
  EXPECT_EQ(parse_error("[appliance]\nhome /x\n"),
            "test.conf:2: expected 'key = value' or '[section]'");
  EXPECT_EQ(parse_error("home = /x\n"), "test.conf:1: key 'home' before any [section]");
  EXPECT_EQ(parse_error("[nonsense]\n"), "test.conf:1: unknown section [nonsense]");
  EXPECT_EQ(parse_error("[keyd\n"), "test.conf:1: section header lacks ']'");
  EXPECT_EQ(parse_error("[keyd]\nUser = x\n"), "test.conf:2: bad key name 'User'");
  EXPECT_EQ(parse_error("[keyd]\nuser = a\nuser = b\n"),
            "test.conf:3: key 'user' repeats line 2 in [keyd]");
  EXPECT_EQ(parse_error("[keyd]\n[keyd]\n"), "test.conf:2: section [keyd] appears twice");
  EXPECT_EQ(parse_error("[keyd]\nuser = a\x01\n"), "test.conf:2: control character in line");
  EXPECT_EQ(parse_error("[keyd]\nuser = " + std::string(5000, 'a') + "\n"),
            "test.conf:2: line longer than 4096 bytes");
}

TEST(ConfigReader, TypedValuesAndDefaults) {
  auto doc = parse_ok("[smtpd]\nmax = 42\ntls = yes\nqueue = /var/q\nlisten.smtp = [::1]:25\n");
  Reader r(doc, "smtpd");
  EXPECT_EQ(r.integer("max", 1, 100, 7), 42);
  EXPECT_EQ(r.integer("absent", 1, 100, 7), 7);
  EXPECT_TRUE(r.boolean("tls", false));
  EXPECT_EQ(r.path("queue", "/"), "/var/q");
  EXPECT_EQ(r.endpoint("listen.smtp", ""), "[::1]:25");
  EXPECT_EQ(r.string("user", "dflt"), "dflt");
  EXPECT_TRUE(r.finish().ok());
}

TEST(ConfigReader, BadValueNamesFileLineAndKey) {
  auto doc = parse_ok("[smtpd]\n\nmax = lots\n");
  Reader r(doc, "smtpd");
  EXPECT_EQ(r.integer("max", 1, 100, 7), 7);
  auto done = r.finish();
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.message(),
            "test.conf:3: [smtpd] key 'max': expected an integer from 1 to 100, got 'lots'");
}

TEST(ConfigReader, UnknownKeyIsAnError) {
  auto doc = parse_ok("[keyd]\nuser = a\npkcs11_modul = /x.so\n");
  Reader r(doc, "keyd");
  (void)r.string("user", "");
  (void)r.path("pkcs11_module", "/y.so");
  auto done = r.finish();
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.message(), "test.conf:3: [keyd] unknown key 'pkcs11_modul'");
}

TEST(ConfigReader, RequiredKeyMissing) {
  auto doc = parse_ok("[appliance]\ndomain = x\n");
  Reader r(doc, "appliance");
  (void)r.string("domain", "");
  (void)r.required_string("home");
  auto done = r.finish();
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.message(), "test.conf:1: [appliance] key 'home': is required");
}

TEST(ConfigReader, BadPathBoolAndEndpoint) {
  auto doc = parse_ok("[webd]\na = relative\nb = maybe\nc = host\nd = h:99999\n");
  for (auto [key, want] : {std::pair{"a", "expected an absolute path, got 'relative'"},
                           std::pair{"b", "expected true or false, got 'maybe'"},
                           std::pair{"c", "expected 'host:port', got 'host'"},
                           std::pair{"d", "bad port '99999', got 'h:99999'"}}) {
    Reader r(doc, "webd");
    std::string k = key;
    if (k == "a") (void)r.path(k, "/");
    if (k == "b") (void)r.boolean(k, false);
    if (k == "c" || k == "d") (void)r.endpoint(k, "");
    auto done = r.finish();
    ASSERT_FALSE(done.ok());
    EXPECT_NE(done.message().find(want), std::string::npos) << done.message();
  }
}

TEST(ConfigReader, ChoiceListsWhatItAccepts) {
  auto doc = parse_ok("[appliance]\nstore = sqlite\n[updated]\nchannel = nightly\n");
  Reader ok(doc, "appliance");
  EXPECT_EQ(ok.choice("store", {"sqlite", "postgres"}, "postgres"), "sqlite");
  EXPECT_TRUE(ok.finish().ok());
  Reader bad(doc, "updated");
  (void)bad.choice("channel", {"stable", "beta", "lts"}, "stable");
  auto done = bad.finish();
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.message(),
            "test.conf:4: [updated] key 'channel': expected one of stable, beta, lts, got "
            "'nightly'");
}

TEST(ConfigLoad, MissingFileIsNamed) {
  auto doc = load("/nonexistent/appliance.conf");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.message(), "/nonexistent/appliance.conf: cannot open");
}

}  // namespace
}  // namespace appliance::config
