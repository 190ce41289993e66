// NAME
//   ehlo.cpp - EHLO and HELO: the client's name, a domain or an address literal.
#include "proto/smtp/command.h"

namespace appliance::smtp {

Parsed<Command> parse_ehlo(std::string_view args, bool extended) {
  std::string_view verb = extended ? "EHLO" : "HELO";
  while (!args.empty() && args.back() == ' ') args.remove_suffix(1);
  if (args.size() < 2 || args[0] != ' ')
    return make_reply(501, "5.5.4", "Syntax: " + std::string(verb) + " hostname");
  std::string_view name = args.substr(1);
  // HELO too may name an address literal: clients without a name send one.
  bool ok = name[0] == '[' ? valid_address_literal(name) : valid_domain(name, false);
  if (!ok) return make_reply(501, "5.5.4", "Invalid domain name");
  return Command(Ehlo{std::string(name), extended});
}

}  // namespace appliance::smtp
