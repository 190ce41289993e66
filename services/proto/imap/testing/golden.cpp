// NAME
//   golden.cpp - the dialogue script driver for the IMAP golden-file tests.
#include "proto/imap/testing/golden.h"

#include <charconv>
#include <sstream>

#include "proto/common/overload.h"
#include "proto/common/testing/script.h"
#include "proto/imap/session.h"

namespace appliance::imap::testing {

namespace {

void print_event(std::ostringstream& out, const Event& e) {
  std::visit(Overload{
                 [&](const event::Send& s) {
                   for (const auto& line : script::lines_of(s.text)) out << "S: " << line << "\n";
                 },
                 [&](const event::StartTls&) { out << "* start-tls\n"; },
                 [&](const event::Close&) { out << "* close\n"; },
                 [&](const event::Login& l) {
                   out << "* login " << l.tag << " " << l.mechanism << " authzid=\"" << l.authzid
                       << "\" user=\"" << script::printable(l.user) << "\" password=("
                       << l.password.size() << " octets)\n";
                 },
                 [&](const event::Request& r) {
                   out << "* request " << r.tag << " " << script::printable(describe(r.command))
                       << "\n";
                 },
                 [&](const event::IdleStart& i) { out << "* idle-start " << i.tag << "\n"; },
                 [&](const event::IdleDone&) { out << "* idle-done\n"; },
             },
             e);
}

std::size_t number(std::string_view v) {
  std::size_t n = 0;
  std::from_chars(v.data(), v.data() + v.size(), n);
  return n;
}

void configure(SessionConfig& c, std::string_view key, std::string_view v) {
  if (key == "tls") c.tls_available = v != "none", c.implicit_tls = v == "implicit";
  if (key == "login_needs_tls") c.login_needs_tls = v == "1";
  if (key == "max_line") c.limits.max_line = number(v);
  if (key == "max_literal") c.limits.max_literal = number(v);
  if (key == "max_queued") c.max_queued = number(v);
  if (key == "max_errors") c.max_errors = static_cast<int>(number(v));
  if (key == "max_auth_failures") c.max_auth_failures = static_cast<int>(number(v));
}

SessionConfig read_config(std::string_view line) {
  SessionConfig c;
  c.hostname = "imap.example";
  std::istringstream words{std::string(line)};
  for (std::string word; words >> word;) {
    auto eq = word.find('=');
    if (eq != std::string::npos)
      configure(c, word.substr(0, eq), std::string_view(word).substr(eq + 1));
  }
  return c;
}

// "@ok [CODE words] text": the code in brackets is optional.
Answer read_answer(Cond cond, std::string_view rest, std::string& untagged) {
  Answer a{cond, {}, {}, std::exchange(untagged, {}), {}};
  if (rest.starts_with('[') && rest.find(']') != std::string_view::npos) {
    a.code = rest.substr(1, rest.find(']') - 1);
    rest.remove_prefix(std::min(rest.size(), rest.find(']') + 2));
  }
  a.text = rest;
  a.account = rest;
  return a;
}

void step(Session& s, std::string_view line, std::string& untagged) {
  auto arg = [&](std::size_t n) { return line.size() > n ? line.substr(n) : std::string_view(); };
  if (line.starts_with(">> "))
    s.receive(script::unescape(arg(3)));
  else if (line.starts_with("> "))
    s.receive(std::string(arg(2)) + "\r\n");
  else if (line == ">")
    s.receive("\r\n");
  else if (line == "@greet")
    s.greet();
  else if (line.starts_with("@untagged "))
    untagged += std::string(arg(10)) + "\r\n";
  else if (line.starts_with("@ok"))
    s.answer(read_answer(Cond::ok, arg(4), untagged));
  else if (line.starts_with("@no"))
    s.answer(read_answer(Cond::no, arg(4), untagged));
  else if (line.starts_with("@bad"))
    s.answer(read_answer(Cond::bad, arg(5), untagged));
  else if (line.starts_with("@push "))
    s.push(std::string(arg(6)) + "\r\n");
  else if (line.starts_with("@shutdown "))
    s.shut_down(arg(10));
}

}  // namespace

std::string run_script(std::string_view script) {
  std::string untagged;  // for the next answer
  return script::run_steps<Session>(
      script, read_config, [&](Session& s, std::string_view line) { step(s, line, untagged); },
      print_event);
}

}  // namespace appliance::imap::testing
