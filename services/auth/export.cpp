// NAME
//   export.cpp - an account's settings, logs and mail, written for its owner.
#include "auth/export.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>

#include "proto/mime/mbox.h"

namespace appliance::auth {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kPage = 1000;

Result<void> write_file(ExportWriter& out, const std::string& path, const json& value) {
  // Login-log clients are the clients' own bytes, not always UTF-8.
  std::string text = value.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
  if (auto r = out.open(path, text.size()); !r) return r;
  if (auto r = out.write(text); !r) return r;
  return out.close();
}

json describe(const store::AccountSecurity& a, const std::vector<store::AppPassword>& apps,
              const std::vector<store::Alias>& aliases) {
  json j = {{"address", a.address},
            {"state", store::to_string(a.state)},
            {"role", store::to_string(a.role)},
            {"quota_bytes", a.quota},
            {"two_factor", a.two_factor()},
            {"app_passwords", json::array()},
            {"aliases", json::array()}};
  for (const store::AppPassword& p : apps)
    j["app_passwords"].push_back({{"id", p.id},
                                  {"name", p.name},
                                  {"protocols", protocols_to_string(p.protocols)},
                                  {"networks", p.networks},
                                  {"created", p.created},
                                  {"expires", p.expires ? json(*p.expires) : json()},
                                  {"last_used", p.last_used ? json(*p.last_used) : json()},
                                  {"revoked", p.revoked ? json(*p.revoked) : json()}});
  for (const store::Alias& alias : aliases)
    if (alias.account == a.id) j["aliases"].push_back(alias.address);
  return j;
}

Result<json> logins(store::Store& store, const std::string& address) {
  auto rows = store.logs().logins(address, 100000);
  if (!rows) return rows.error();
  json out = json::array();
  for (const store::LoginRecord& r : *rows)
    out.push_back({{"time", r.time}, {"protocol", r.protocol}, {"source", r.source},
                   {"client", r.client}, {"result", r.result}, {"reason", r.reason}});
  return out;
}

Result<json> events(SecurityLog& log, const std::string& address) {
  json out = json::array();
  for (std::uint64_t after = 0;;) {
    auto page = log.list(after, kPage);
    if (!page) return page.error();
    for (const ChainedEvent& c : *page) {
      const SecurityEvent& e = c.event;
      if (e.target == address || e.actor == address)
        out.push_back({{"seq", e.seq}, {"time", e.time}, {"actor", e.actor},
                       {"action", e.action}, {"target", e.target},
                       {"details", json::parse(e.details, nullptr, false)}});
      after = e.seq;
    }
    if (page->size() < kPage) return out;
  }
}

using Put = std::function<Result<void>(std::string_view)>;

// One folder's messages, streamed through the mail-file writer.
class FolderWriter {
 public:
  FolderWriter(store::TenantStore& tenant, ExportWriter& out, mime::MailFile format)
      : tenant_(tenant), out_(out), format_(format) {}

  Result<void> write(const store::Mailbox& box, const std::vector<store::Message>& messages,
                     ExportReport& report) {
    std::string base = "mail/" + box.name;
    if (format_ == mime::MailFile::mbox) return mbox(base + ".mbox", messages, report);
    return maildir(base, messages, report);
  }

 private:
  Result<void> mbox(const std::string& file, const std::vector<store::Message>& messages,
                    ExportReport& report) {
    return this->file(file, report, [&](const Put& put, ExportReport* counted) -> Result<void> {
      for (const store::Message& m : messages)
        if (auto r = message(m, put, counted); !r) return r;
      return {};
    });
  }

  Result<void> maildir(const std::string& folder, const std::vector<store::Message>& messages,
                       ExportReport& report) {
    for (const char* sub : {"/cur", "/new", "/tmp"})
      if (auto r = out_.folder(folder + sub); !r) return r;
    for (const store::Message& m : messages) {
      auto name = folder + "/cur/" + mime::maildir_name(m.internal_date, m.uid, m.flags);
      auto r = file(name, report, [&](const Put& put, ExportReport* counted) {
        return message(m, put, counted);
      });
      if (!r) return r;
    }
    return {};
  }

  // One file: its bytes counted first when the writer must know its size,
  // then written (and only then counted in the report).
  Result<void> file(const std::string& path, ExportReport& report,
                    const std::function<Result<void>(const Put&, ExportReport*)>& body) {
    std::optional<std::uint64_t> size;
    if (out_.needs_sizes()) {
      std::uint64_t n = 0;
      auto counted = body(
          [&n](std::string_view bytes) {
            n += bytes.size();
            return Result<void>();
          },
          nullptr);
      if (!counted) return counted;
      size = n;
    }
    if (auto r = out_.open(path, size); !r) return r;
    if (auto r = body([this](std::string_view bytes) { return out_.write(bytes); }, &report); !r)
      return r;
    return out_.close();
  }

  Result<void> message(const store::Message& m, const Put& put, ExportReport* report) {
    mime::MailFileWriter file(format_);
    if (auto r = put(file.begin(m.internal_date)); !r) return r;
    auto read = tenant_.read(m.account, m.id, [&](std::string_view plain) {
      if (report) report->bytes += plain.size();
      return put(file.add(plain));
    });
    if (!read) return read;
    if (report) ++report->messages;
    return put(file.end());
  }

  store::TenantStore& tenant_;
  ExportWriter& out_;
  mime::MailFile format_;
};

}  // namespace

bool safe_export_path(std::string_view path) {
  if (path.find('\0') != std::string_view::npos) return false;
  for (;;) {
    std::size_t slash = path.find('/');
    std::string_view part = path.substr(0, slash);
    if (part.empty() || part == "." || part == "..") return false;
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

Result<std::unique_ptr<DirectoryExport>> DirectoryExport::create(const fs::path& root) {
  if (::mkdir(root.c_str(), 0700) != 0)
    return make_error(fmt::format("{}: {}", root.string(), std::strerror(errno)));
  return std::unique_ptr<DirectoryExport>(new DirectoryExport(root));
}

DirectoryExport::~DirectoryExport() {
  if (fd_ >= 0) ::close(fd_);
}

Result<void> DirectoryExport::open(const std::string& path, std::optional<std::uint64_t>) {
  if (!safe_export_path(path)) return make_error(fmt::format("refused export path '{}'", path));
  if (fd_ >= 0) return make_error("an export file is still open");
  current_ = root_ / path;
  std::error_code ec;
  fs::create_directories(current_.parent_path(), ec);
  if (ec) return make_error(fmt::format("{}: {}", current_.parent_path().string(), ec.message()));
  fd_ = ::open(current_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd_ < 0) return make_error(fmt::format("{}: {}", current_.string(), std::strerror(errno)));
  return {};
}

Result<void> DirectoryExport::folder(const std::string& path) {
  if (!safe_export_path(path)) return make_error(fmt::format("refused export path '{}'", path));
  std::error_code ec;
  fs::create_directories(root_ / path, ec);
  if (ec) return make_error(fmt::format("{}: {}", (root_ / path).string(), ec.message()));
  return {};
}

Result<void> DirectoryExport::write(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return make_error(fmt::format("{}: {}", current_.string(), std::strerror(errno)));
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

Result<void> DirectoryExport::close() {
  int fd = fd_;
  fd_ = -1;
  if (fd < 0 || ::close(fd) != 0)
    return make_error(fmt::format("{}: cannot close", current_.string()));
  return {};
}

Result<ExportReport> export_account(AccountService& accounts, std::string_view address,
                                    mime::MailFile format, ExportWriter& out, std::string_view actor) {
  auto where = accounts.existing(address);
  if (!where) return where.error();
  store::TenantStore& tenant = *where->tenant;
  const store::AccountSecurity& account = *where->account;
  auto apps = tenant.app_passwords(account.id);
  if (!apps) return apps.error();
  auto aliases = tenant.aliases();
  if (!aliases) return aliases.error();
  if (auto r = write_file(out, "account.json", describe(account, *apps, *aliases)); !r)
    return r.error();
  auto log = logins(accounts.parts().store, account.address);
  if (!log) return log.error();
  if (auto r = write_file(out, "logins.json", *log); !r) return r.error();
  auto chain = events(accounts.events(), account.address);
  if (!chain) return chain.error();
  if (auto r = write_file(out, "events.json", *chain); !r) return r.error();

  // Every folder's list first, then the event, then the mail: an export cut
  // short (a client that goes away) is on record all the same.
  auto boxes = tenant.mailboxes(account.id);
  if (!boxes) return boxes.error();
  std::vector<std::vector<store::Message>> lists;
  std::size_t listed = 0;
  for (const store::Mailbox& box : *boxes) {
    auto messages = tenant.messages(box.account, box.id);
    if (!messages) return messages.error();
    listed += messages->size();
    lists.push_back(std::move(*messages));
  }
  auto noted = accounts.events().record(
      std::string(actor), "account.export", account.address,
      json{{"format", format == mime::MailFile::mbox ? "mbox" : "maildir"}, {"messages", listed}}
          .dump());
  if (!noted) return noted.error();
  ExportReport report;
  FolderWriter folders(tenant, out, format);
  for (std::size_t i = 0; i < boxes->size(); ++i) {
    if (auto r = folders.write((*boxes)[i], lists[i], report); !r) return r.error();
    ++report.folders;
  }
  return report;
}

}  // namespace appliance::auth
