// NAME
//   export_test.cpp - the export's files and the paths it refuses.
#include "auth/export.h"

#include <gtest/gtest.h>

#include <map>

#include "auth/testing/service_fixture.h"

namespace appliance::auth {
namespace {

// Files in memory, as the export wrote them.
class MemoryExport : public ExportWriter {
 public:
  Result<void> open(const std::string& path) override {
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

}  // namespace
}  // namespace appliance::auth
