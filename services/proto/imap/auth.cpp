// NAME
//   auth.cpp - LOGIN, AUTHENTICATE, ENABLE and ID: the session set-up commands.
#include "proto/imap/command.h"

namespace appliance::imap {

namespace {

bool valid_mechanism(std::string_view m) {
  if (m.empty() || m.size() > 20) return false;
  for (char c : m)
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  return true;
}

Result<std::pair<std::string, std::optional<std::string>>> id_field(Reader& r) {
  auto key = r.string();
  if (!key) return key.error();
  if (auto s = r.space(); !s) return s.error();
  auto value = r.nstring();
  if (!value) return value.error();
  // RFC 2971 3.3: at most 30 octets per field name, 1024 per value.
  if (key->size() > 30 || (*value && (*value)->size() > 1024))
    return make_error("ID field too long");
  return std::make_pair(std::move(*key), std::move(*value));
}

}  // namespace

Result<Command> parse_login(Reader& r) {
  auto user = r.astring();
  if (!user) return user.error();
  if (auto s = r.space(); !s) return s.error();
  auto password = r.astring();
  if (!password) return password.error();
  Login l{std::move(*user), Secret(std::move(*password))};
  if (auto e = r.end(); !e) return e.error();
  return Command{std::move(l)};
}

Result<Command> parse_authenticate(Reader& r) {
  auto m = r.atom();
  if (!m || !valid_mechanism(to_upper(*m))) return make_error("Expected a SASL mechanism name");
  Authenticate a{to_upper(*m), std::nullopt};
  if (r.eat(' ')) {
    auto initial = r.token([](char c) { return is_atom_char(c) || c == '='; }, "a response");
    if (!initial) return initial.error();
    a.initial = std::move(*initial);
  }
  if (auto e = r.end(); !e) return e.error();
  return Command{std::move(a)};
}

Result<Command> parse_enable(Reader& r) {
  Enable e;
  do {
    auto cap = r.atom();
    if (!cap) return cap.error();
    e.capabilities.push_back(to_upper(*cap));
  } while (r.eat(' '));
  if (auto end = r.end(); !end) return end.error();
  return Command{std::move(e)};
}

// ID ("name" "value" ...) or ID NIL (RFC 2971).
Result<Command> parse_id(Reader& r) {
  Id id;
  if (!r.eat_word("NIL")) {
    if (!r.eat('(')) return make_error("Expected '(' or NIL");
    while (!r.eat(')')) {
      if (!id.fields.empty() && !r.eat(' ')) return make_error("Expected a space");
      if (id.fields.size() == 30) return make_error("Too many ID fields");
      auto f = id_field(r);
      if (!f) return f.error();
      id.fields.push_back(std::move(*f));
    }
  }
  if (auto e = r.end(); !e) return e.error();
  return Command{std::move(id)};
}

}  // namespace appliance::imap
