// NAME
//   golden.cpp - the dialogue script driver for the POP3 golden-file tests.
#include "proto/pop3/testing/golden.h"

#include <charconv>
#include <optional>
#include <sstream>

#include "proto/common/overload.h"
#include "proto/common/testing/script.h"
#include "proto/pop3/session.h"

namespace appliance::pop3::testing {

namespace {

std::string describe(const Command& c) {
  std::string out = command_name(c);
  auto num = [](const std::optional<std::uint32_t>& n) {
    return n ? " " + std::to_string(*n) : "";
  };
  if (auto* l = std::get_if<List>(&c)) out += num(l->message);
  if (auto* u = std::get_if<Uidl>(&c)) out += num(u->message);
  if (auto* r = std::get_if<Retr>(&c)) out += " " + std::to_string(r->message);
  if (auto* d = std::get_if<Dele>(&c)) out += " " + std::to_string(d->message);
  if (auto* t = std::get_if<Top>(&c))
    out += " " + std::to_string(t->message) + " " + std::to_string(t->lines);
  return out;
}

void print_event(std::ostringstream& out, const Event& e) {
  std::visit(
      Overload{
          [&](const event::Send& s) {
            for (const auto& line : script::lines_of(s.text)) out << "S: " << line << "\n";
          },
          [&](const event::StartTls&) { out << "* start-tls\n"; },
          [&](const event::Close&) { out << "* close\n"; },
          [&](const event::Login& l) {
            out << "* login " << l.mechanism << " authzid=\"" << l.authzid << "\" user=\""
                << script::printable(l.user) << "\" password=(" << l.password.size()
                << " octets)\n";
          },
          [&](const event::Request& r) { out << "* request " << describe(r.command) << "\n"; },
      },
      e);
}

std::size_t number(std::string_view v) {
  std::size_t n = 0;
  std::from_chars(v.data(), v.data() + v.size(), n);
  return n;
}

SessionConfig read_config(std::string_view line) {
  SessionConfig c;
  c.hostname = "pop.example";
  std::istringstream words{std::string(line)};
  for (std::string word; words >> word;) {
    auto eq = word.find('=');
    if (eq == std::string::npos) continue;
    std::string_view key = std::string_view(word).substr(0, eq),
                     v = std::string_view(word).substr(eq + 1);
    if (key == "tls") c.tls_available = v != "none", c.implicit_tls = v == "implicit";
    if (key == "login_needs_tls") c.login_needs_tls = v == "1";
    if (key == "max_errors") c.max_errors = static_cast<int>(number(v));
    if (key == "max_auth_failures") c.max_auth_failures = static_cast<int>(number(v));
    if (key == "max_buffered") c.max_buffered = number(v);
  }
  return c;
}

Answer read_err(std::string_view rest) {
  std::string code;
  if (rest.starts_with('[') && rest.find(']') != std::string_view::npos) {
    code = rest.substr(1, rest.find(']') - 1);
    rest.remove_prefix(std::min(rest.size(), rest.find(']') + 2));
  }
  return Answer::refuse(std::string(rest), code);
}

void step(Session& s, std::string_view line, std::optional<std::string>& data) {
  auto arg = [&](std::size_t n) { return line.size() > n ? line.substr(n) : std::string_view(); };
  if (line.starts_with(">> "))
    s.receive(script::unescape(arg(3)));
  else if (line.starts_with("> "))
    s.receive(std::string(arg(2)) + "\r\n");
  else if (line == "@greet")
    s.greet();
  else if (line.starts_with("@data"))
    data = data.value_or("") + std::string(arg(6)) + "\r\n";
  else if (line.starts_with("@ok")) {
    Answer a = Answer::accept(std::string(arg(4)), std::exchange(data, std::nullopt));
    a.account = a.text;
    s.answer(std::move(a));
  } else if (line.starts_with("@err"))
    s.answer(read_err(arg(5)));
  else if (line.starts_with("@shutdown "))
    s.shut_down(arg(10));
}

}  // namespace

std::string run_script(std::string_view script) {
  std::optional<std::string> data;  // for the next answer
  return script::run_steps<Session>(
      script, read_config, [&](Session& s, std::string_view line) { step(s, line, data); },
      print_event);
}

}  // namespace appliance::pop3::testing
