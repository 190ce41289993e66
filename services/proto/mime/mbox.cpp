// NAME
//   mbox.cpp - mboxrd and maildir names.
#include "proto/mime/mbox.h"

#include <fmt/format.h>

#include <ctime>

namespace appliance::mime {
namespace {

bool from_line(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && text[i] == '>') ++i;
  return text.substr(i).starts_with("From ");
}

}  // namespace

std::string MailFileWriter::begin(std::int64_t unix_time) {
  pending_.clear();
  if (kind_ == MailFile::maildir) return {};
  std::time_t t = static_cast<std::time_t>(unix_time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char when[32];
  std::strftime(when, sizeof when, "%a %b %e %H:%M:%S %Y", &tm);
  return fmt::format("From MAILER-DAEMON {}\n", when);
}

std::string MailFileWriter::line(std::string_view text) {
  if (text.ends_with('\r')) text.remove_suffix(1);
  std::string out;
  if (kind_ == MailFile::mbox && from_line(text)) out += '>';
  out += text;
  out += '\n';
  return out;
}

std::string MailFileWriter::add(std::string_view chunk) {
  std::string out;
  while (!chunk.empty()) {
    std::size_t nl = chunk.find('\n');
    if (nl == std::string_view::npos) {
      pending_ += chunk;
      break;
    }
    if (pending_.empty()) {
      out += line(chunk.substr(0, nl));
    } else {
      pending_ += chunk.substr(0, nl);
      out += line(pending_);
      pending_.clear();
    }
    chunk.remove_prefix(nl + 1);
  }
  return out;
}

std::string MailFileWriter::end() {
  std::string out;
  if (!pending_.empty()) out = line(pending_);
  pending_.clear();
  return kind_ == MailFile::mbox ? out + "\n" : out;
}

std::string maildir_name(std::int64_t unix_time, std::uint32_t uid, std::uint32_t flags) {
  std::string info;
  if (flags & 16) info += 'D';
  if (flags & 4) info += 'F';
  if (flags & 2) info += 'R';
  if (flags & 1) info += 'S';
  if (flags & 8) info += 'T';
  return fmt::format("{}.{}.export:2,{}", unix_time, uid, info);
}

}  // namespace appliance::mime
