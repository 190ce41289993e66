// NAME
//   golden.cpp - the dialogue script driver for the golden-file tests.
#include "proto/smtp/testing/golden.h"

#include <fmt/format.h>

#include <charconv>
#include <sstream>

#include "proto/smtp/session.h"

namespace appliance::smtp::testing {

namespace {

template <class... F>
struct Overload : F... {
  using F::operator()...;
};
template <class... F>
Overload(F...) -> Overload<F...>;

std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '\r')
      out += "\\r";
    else if (c == '\n')
      out += "\\n";
    else if (c == '\\' || c == '"')
      out += std::string("\\") + c;
    else if (u < 0x20 || u == 0x7f)
      out += fmt::format("\\x{:02x}", u);
    else
      out += c;
  }
  return out;
}

std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out += s[i];
      continue;
    }
    char c = s[++i];
    if (c == 'r')
      out += '\r';
    else if (c == 'n')
      out += '\n';
    else if (c == 't')
      out += '\t';
    else if (c == 'x' && i + 2 < s.size()) {
      unsigned v = 0;
      std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
      out += static_cast<char>(v);
      i += 2;
    } else
      out += c;
  }
  return out;
}

std::string mail_params(const MailParams& p) {
  static constexpr const char* kBody[] = {"", "7BIT", "8BITMIME", "BINARYMIME"};
  std::string out;
  if (p.size) out += fmt::format(" size={}", *p.size);
  if (p.body != Body::unspecified) out += fmt::format(" body={}", kBody[static_cast<int>(p.body)]);
  if (p.smtputf8) out += " smtputf8";
  if (p.ret != Ret::unspecified) out += p.ret == Ret::full ? " ret=full" : " ret=hdrs";
  if (p.envid) out += fmt::format(" envid=\"{}\"", escape(*p.envid));
  if (p.auth) out += fmt::format(" auth=\"{}\"", escape(*p.auth));
  return out;
}

std::string rcpt_params(const RcptParams& p) {
  std::string out;
  if (p.notify) out += fmt::format(" notify={}", p.notify);
  if (!p.orcpt.empty()) out += fmt::format(" orcpt={};\"{}\"", p.orcpt_type, escape(p.orcpt));
  return out;
}

void print_event(std::ostringstream& out, const Event& e) {
  std::visit(
      Overload{
          [&](const event::Send& s) {
            std::istringstream lines(s.text);
            for (std::string line; std::getline(lines, line);) {
              if (!line.empty() && line.back() == '\r') line.pop_back();
              out << "< " << line << "\n";
            }
          },
          [&](const event::StartTls&) { out << "* start-tls\n"; },
          [&](const event::Close&) { out << "* close\n"; },
          [&](const event::CheckSender& c) {
            out << "* check-sender <" << c.sender.text() << ">" << mail_params(c.params);
            if (!c.account.empty()) out << " account=" << c.account;
            out << "\n";
          },
          [&](const event::CheckRecipient& c) {
            out << "* check-recipient <" << c.recipient.text() << ">" << rcpt_params(c.params)
                << "\n";
          },
          [&](const event::Authenticate& a) {
            const auto& c = a.credentials;
            out << fmt::format(
                "* authenticate {} authzid=\"{}\" authcid=\"{}\" password=({} octets)\n",
                c.mechanism, escape(c.authzid), escape(c.authcid), c.password.size());
          },
          [&](const event::MessageBegin&) { out << "* message-begin\n"; },
          [&](const event::MessageData& d) {
            out << "* message-data \"" << escape(d.bytes) << "\"\n";
          },
          [&](const event::MessageEnd& m) { out << "* message-end size=" << m.size << "\n"; },
          [&](const event::MessageAbort& m) { out << "* message-abort " << m.reason << "\n"; },
      },
      e);
}

std::size_t number(std::string_view v) {
  std::size_t n = 0;
  std::from_chars(v.data(), v.data() + v.size(), n);
  return n;
}

void configure(SessionConfig& c, std::string_view key, std::string_view v) {
  if (key == "mode") c.mode = v == "submission" ? Mode::submission : Mode::mx;
  if (key == "tls") c.tls_available = v != "none", c.implicit_tls = v == "implicit";
  if (key == "max_size") c.max_message_size = number(v);
  if (key == "max_recipients") c.max_recipients = number(v);
  if (key == "max_errors") c.max_errors = static_cast<int>(number(v));
  if (key == "max_line") c.max_body_line = number(v);
  if (key == "max_buffered") c.max_buffered = number(v);
  if (key == "hostname") c.hostname = v;
}

SessionConfig read_config(std::string_view line) {
  SessionConfig c;
  c.hostname = "mx.example";
  std::istringstream words{std::string(line)};
  for (std::string word; words >> word;) {
    auto eq = word.find('=');
    if (eq != std::string::npos)
      configure(c, word.substr(0, eq), std::string_view(word).substr(eq + 1));
  }
  return c;
}

Verdict read_refusal(std::string_view rest) {
  std::istringstream words{std::string(rest)};
  int code = 0;
  std::string status, text;
  words >> code >> status;
  std::getline(words >> std::ws, text);
  return Verdict::refuse(make_reply(code, status, text));
}

void step(Session& s, std::string_view line) {
  auto arg = [&](std::size_t n) { return line.size() > n ? line.substr(n) : std::string_view(); };
  if (line.starts_with(">> "))
    s.receive(unescape(arg(3)));
  else if (line.starts_with("> "))
    s.receive(std::string(arg(2)) + "\r\n");
  else if (line == ">")
    s.receive("\r\n");
  else if (line == "@greet")
    s.greet();
  else if (line.starts_with("@accept"))
    s.answer(Verdict::accept(std::string(arg(8))));
  else if (line.starts_with("@refuse"))
    s.answer(read_refusal(arg(8)));
  else if (line.starts_with("@shutdown "))
    s.shut_down(arg(10));
}

}  // namespace

std::string run_script(std::string_view script) {
  std::ostringstream out;
  std::istringstream lines{std::string(script)};
  std::string line;
  SessionConfig config;
  config.hostname = "mx.example";
  std::optional<Session> session;
  while (std::getline(lines, line)) {
    out << line << "\n";
    if (line.starts_with("@config")) config = read_config(line);
    if (line.empty() || line[0] == '#' || line.starts_with("@config")) continue;
    if (!session) session.emplace(config);
    step(*session, line);
    for (const auto& e : session->take_events()) print_event(out, e);
  }
  return out.str();
}

}  // namespace appliance::smtp::testing
