// NAME
//   mail.cpp - `appliancectl mail import ADDRESS FILE`.
//
// DESCRIPTION
//   Appends a message (RFC 5322, from a file or standard input) to an
//   account's INBOX, as a delivery would: line ends made CRLF (messages are
//   stored as they go over the wire, so POP3 sizes and IMAP octet counts
//   hold), the MIME summary IMAP serves from, the internal date now, sealed
//   under the account's data key and durable when the command returns. For
//   migrations, tests and demonstrations; mail from outside comes by SMTP.
#include "appliancectl/mail.h"

#include <fmt/format.h>

#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>

#include "appliancectl/accounts.h"
#include "appliancectl/store_access.h"
#include "store/inbox.h"

namespace appliance::ctl {
namespace {

constexpr std::uintmax_t kMaxMessage = 64u << 20;

struct Options {
  std::string address;
  std::string file;
};

Result<std::string> read_message(const std::string& file) {
  std::ifstream in;
  if (file != "-") {
    std::error_code ec;
    auto size = std::filesystem::file_size(file, ec);
    if (ec) return make_error(fmt::format("{}: {}", file, ec.message()));
    if (size > kMaxMessage) return make_error(fmt::format("{}: larger than 64 MiB", file));
    in.open(file, std::ios::binary);
    if (!in) return make_error(fmt::format("{}: cannot be read", file));
  }
  std::istream& from = file == "-" ? std::cin : in;
  std::string text(std::istreambuf_iterator<char>(from), {});
  if (text.size() > kMaxMessage) return make_error("the message is larger than 64 MiB");
  return text;
}

// Bare LF becomes CRLF, as SMTP would have carried it.
std::string with_crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
    out += text[i];
  }
  return out;
}

Result<store::Message> append_to_inbox(store::Store& s, const smtp::Mailbox& address,
                                       const std::string& message) {
  auto domain = s.find_domain(address.domain);
  if (!domain) return make_error(fmt::format("{} is not a domain of this appliance", address.domain));
  auto tenant = s.tenant(domain->tenant);
  if (!tenant) return tenant.error();
  auto account = (*tenant)->find_account(address.text());
  if (!account) return make_error(fmt::format("no account {}", address.text()));
  return store::append_to_inbox(**tenant, account->id, message,
                                static_cast<std::int64_t>(std::time(nullptr)));
}

int import(store::Store& s, const Options& o) {
  auto address = checked_address(o.address);
  if (!address) return fail(address.message());
  auto text = read_message(o.file);
  if (!text) return fail(text.message());
  auto m = append_to_inbox(s, *address, with_crlf(*text));
  if (!m) return fail(m.message());
  std::cout << fmt::format("message added to {} INBOX: uid {}, {} octets\n", address->text(),
                           m->uid, m->size);
  return 0;
}

}  // namespace

void add_mail_commands(CLI::App& app, const std::filesystem::path& home, int& exit_code) {
  auto o = std::make_shared<Options>();
  auto* mail = app.add_subcommand("mail", "Messages in accounts' mailboxes");
  mail->require_subcommand(1);
  auto* imp = mail->add_subcommand("import", "Append a message file to an account's INBOX");
  imp->add_option("address", o->address, "The account")->required();
  imp->add_option("file", o->file, "The message (RFC 5322); - for standard input")->required();
  imp->callback([o, &home, &exit_code] {
    exit_code = with_store(home, true, [o](store::Store& s) { return import(s, *o); });
  });
}

}  // namespace appliance::ctl
