// NAME
//   export_test.cpp - the export's files and the paths it refuses.
#include "auth/export.h"

#include <gtest/gtest.h>

#include <map>

#include "auth/export_tar.h"
#include "auth/testing/service_fixture.h"

namespace appliance::auth {
namespace {

// Files in memory, as the export wrote them.
class MemoryExport : public ExportWriter {
 public:
  Result<void> open(const std::string& path, std::optional<std::uint64_t>) override {
    if (!safe_export_path(path)) return make_error("refused " + path);
    current_ = path;
    files[path];
    return {};
  }
  Result<void> write(std::string_view bytes) override {
    files[current_] += bytes;
    return {};
  }
  Result<void> close() override { return {}; }
  Result<void> folder(const std::string& path) override {
    folders.push_back(path);
    return {};
  }
  std::map<std::string, std::string> files;
  std::vector<std::string> folders;

 private:
  std::string current_;
};

TEST(ExportPaths, OnlyRelativePathsThatStayInside) {
  for (const char* good : {"account.json", "mail/INBOX.mbox", "mail/Archive/2026/cur/1.2:2,S"})
    EXPECT_TRUE(safe_export_path(good)) << good;
  for (const char* bad : {"", "/etc/passwd", "mail/../../x", "..", "mail/./x", "mail//x", "mail/"})
    EXPECT_FALSE(safe_export_path(bad)) << bad;
}

class ExportTest : public testing::ServiceTest {};

TEST_F(ExportTest, EveryFolderAndNoSecret) {
  store::Id id = add_account("alice@example.test", "a long and good passphrase");
  for (const char* box : {"INBOX", "Sent"}) ASSERT_TRUE(tenant().create_mailbox(id, box));
  auto app = accounts_->add_app_password("alice@example.test", "phone", Scope{imap, {}, {}}, "t");
  ASSERT_TRUE(app) << app.message();
  MemoryExport out;
  auto report = export_account(*accounts_, "Alice@example.test", mime::MailFile::maildir, out, "t");
  ASSERT_TRUE(report) << report.message();
  EXPECT_EQ(report->folders, 2u);
  EXPECT_EQ(report->messages, 0u);
  EXPECT_EQ(out.folders.size(), 6u);  // cur, new and tmp of each
  const std::string& account = out.files["account.json"];
  EXPECT_NE(account.find("\"phone\""), std::string::npos);
  EXPECT_EQ(account.find(app->stored.mac), std::string::npos);
  EXPECT_EQ(account.find("argon2"), std::string::npos);
  EXPECT_NE(out.files["events.json"].find("app_password.create"), std::string::npos);
  auto events = accounts_->events().list(0, 100).value();
  EXPECT_EQ(events.back().event.action, "account.export");
  EXPECT_EQ(export_account(*accounts_, "bob@example.test", mime::MailFile::mbox, out, "t").message(),
            "no account bob@example.test");
}

// The files of a ustar stream: each entry's header says the size of the
// bytes that follow it (a pax header, whose path is the next entry's, aside).
std::map<std::string, std::string> untar(const std::string& archive) {
  std::map<std::string, std::string> files;
  std::string pax_path;
  for (std::size_t at = 0; at + 512 <= archive.size();) {
    std::string h = archive.substr(at, 512);
    if (h == std::string(512, '\0')) break;
    std::uint64_t size = std::stoull(h.substr(124, 11), nullptr, 8);
    std::string data = archive.substr(at + 512, size);
    at += 512 + (size + 511) / 512 * 512;
    if (h[156] == 'x') {
      pax_path = data.substr(data.find("path=") + 5);
      pax_path.pop_back();
      continue;
    }
    std::string name = h.substr(0, h.find('\0')), prefix = h.substr(345, 155);
    prefix = prefix.substr(0, prefix.find('\0'));
    std::string path = !pax_path.empty() ? pax_path : prefix.empty() ? name : prefix + "/" + name;
    pax_path.clear();
    if (h[156] == '0') files[path] = data;
  }
  return files;
}

// Through a tar stream, which needs each size first, the export has the
// same files as through a writer that does not, each message counted once.
TEST_F(ExportTest, ATarStreamGetsTheSameFilesWithTheirSizesFirst) {
  store::Id id = add_account("alice@example.test", "a long and good passphrase");
  auto inbox = tenant().create_mailbox(id, "INBOX");
  ASSERT_TRUE(inbox);
  for (int i = 0; i < 3; ++i) {
    auto blob = tenant().new_blob(id);
    ASSERT_TRUE(blob);
    std::string text = "Subject: " + std::to_string(i) + "\r\n\r\nFrom here on\r\n" +
                       std::string(std::size_t(70000) * i, 'x') + "\r\n";
    ASSERT_TRUE((*blob)->write(text));
    ASSERT_TRUE(tenant().append(std::move(*blob), {id, inbox->id, 1700000000 + i, 0, "", {}}));
  }
  MemoryExport plain;
  ASSERT_TRUE(export_account(*accounts_, "alice@example.test", mime::MailFile::mbox, plain, "t"));
  std::string archive;
  TarStream tar(
      [&](std::string_view b) {
        archive.append(b);
        return Result<void>();
      },
      0);
  auto report = export_account(*accounts_, "alice@example.test", mime::MailFile::mbox, tar, "t");
  ASSERT_TRUE(report) << report.message();
  ASSERT_TRUE(tar.finish());
  EXPECT_EQ(report->messages, 3u);
  EXPECT_EQ(report->bytes, 3u * 30 + 70000 * 3);
  auto files = untar(archive);
  EXPECT_EQ(files["mail/INBOX.mbox"], plain.files["mail/INBOX.mbox"]);
  EXPECT_NE(files["mail/INBOX.mbox"].find("\n>From here on\n"), std::string::npos);
  EXPECT_EQ(files["account.json"], plain.files["account.json"]);
  EXPECT_EQ(files.size(), 4u);  // account.json, logins.json, events.json, the mbox
}

}  // namespace
}  // namespace appliance::auth
