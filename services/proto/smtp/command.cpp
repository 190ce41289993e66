// NAME
//   command.cpp - the command-line dispatcher and the commands without arguments.
#include "proto/smtp/command.h"

#include <array>

#include "proto/smtp/syntax.h"

namespace appliance::smtp {

namespace {

bool has_control(std::string_view line) {
  for (char c : line) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return true;
  }
  return false;
}

// DATA, RSET, QUIT, STARTTLS take nothing (RFC 5321 4.1.1, RFC 3207 4).
template <class T>
Parsed<Command> no_args(std::string_view args, std::string_view verb) {
  if (!args.empty()) return make_reply(501, "5.5.4", "Syntax: " + std::string(verb));
  return Command(T{});
}

// What follows "VERB ", or empty.
std::string_view text_arg(std::string_view args) {
  return args.empty() ? args : args.substr(1);
}

Parsed<Command> parse_vrfy(std::string_view args) {
  std::string_view a = text_arg(args);
  if (a.empty()) return make_reply(501, "5.5.4", "Syntax: VRFY address");
  return Command(Vrfy{std::string(a)});
}

using Parser = Parsed<Command> (*)(std::string_view args, const ParseContext& context);

struct Verb {
  std::string_view name;
  Parser parse;
};

constexpr std::array<Verb, 13> kVerbs{{
    {"EHLO", [](std::string_view a, const ParseContext&) { return parse_ehlo(a, true); }},
    {"HELO", [](std::string_view a, const ParseContext&) { return parse_ehlo(a, false); }},
    {"MAIL", [](std::string_view a, const ParseContext&) { return parse_mail(a); }},
    {"RCPT", [](std::string_view a, const ParseContext& c) { return parse_rcpt(a, c); }},
    {"DATA", [](std::string_view a, const ParseContext&) { return no_args<Data>(a, "DATA"); }},
    {"BDAT", [](std::string_view a, const ParseContext&) { return parse_bdat(a); }},
    {"RSET", [](std::string_view a, const ParseContext&) { return no_args<Rset>(a, "RSET"); }},
    {"NOOP", [](std::string_view, const ParseContext&) { return Parsed<Command>(Noop{}); }},
    {"QUIT", [](std::string_view a, const ParseContext&) { return no_args<Quit>(a, "QUIT"); }},
    {"VRFY", [](std::string_view a, const ParseContext&) { return parse_vrfy(a); }},
    {"HELP", [](std::string_view a,
                const ParseContext&) { return Parsed<Command>(Help{std::string(text_arg(a))}); }},
    {"STARTTLS",
     [](std::string_view a, const ParseContext&) { return no_args<Starttls>(a, "STARTTLS"); }},
    {"AUTH", [](std::string_view a, const ParseContext&) { return parse_auth(a); }},
}};

// Known from RFC 821 and friends, deliberately not offered.
constexpr std::array<std::string_view, 7> kRefused{"EXPN", "TURN", "ETRN", "ATRN",
                                                   "SEND", "SOML", "SAML"};

}  // namespace

std::string command_verb(std::string_view line) {
  std::string verb(line.substr(0, std::min<std::size_t>(line.find(' '), 16)));
  for (char& c : verb) {
    if (c >= 'a' && c <= 'z') c -= 32;
  }
  return verb;
}

Parsed<Command> parse_command(std::string_view line, const ParseContext& context) {
  if (line.size() > kMaxAuthLine) return make_reply(500, "5.5.2", "Line too long");
  if (has_control(line)) return make_reply(500, "5.5.2", "Invalid character in command");
  std::size_t space = line.find(' ');
  std::string_view verb = line.substr(0, space);
  std::string_view args = space == std::string_view::npos ? "" : line.substr(space);
  for (const auto& v : kVerbs) {
    if (iequals(verb, v.name)) return v.parse(args, context);
  }
  for (auto name : kRefused) {
    if (iequals(verb, name)) return make_reply(502, "5.5.1", "Command not implemented");
  }
  return make_reply(500, "5.5.2", "Command unrecognized");
}

}  // namespace appliance::smtp
