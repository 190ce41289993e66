// NAME
//   command.cpp - the command line: tag, name, UID prefix, and dispatch.
#include "proto/imap/command.h"

#include <array>

#include "proto/imap/mailbox_name.h"

namespace appliance::imap {

namespace {

// Commands without arguments; CHECK is NOOP since IMAP4rev2 (RFC 9051 6.4.1).
std::optional<Command> bare(std::string_view name) {
  if (name == "CAPABILITY") return Capability{};
  if (name == "NOOP" || name == "CHECK") return Noop{};
  if (name == "LOGOUT") return Logout{};
  if (name == "STARTTLS") return Starttls{};
  if (name == "NAMESPACE") return Namespace{};
  if (name == "IDLE") return Idle{};
  if (name == "CLOSE") return Close{};
  if (name == "UNSELECT") return Unselect{};
  if (name == "EXPUNGE") return Expunge{};
  return std::nullopt;
}

bool takes_arguments(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "LOGIN",  "AUTHENTICATE", "ENABLE",      "ID",     "SELECT", "EXAMINE", "CREATE",
      "DELETE", "SUBSCRIBE",    "UNSUBSCRIBE", "RENAME", "LIST",   "LSUB",    "STATUS",
      "APPEND", "SEARCH",       "FETCH",       "STORE",  "COPY",   "MOVE",    "UID",
      "GETQUOTA", "GETQUOTAROOT", "SETQUOTA"};
  for (auto n : kNames)
    if (n == name) return true;
  return false;
}

Result<Command> one_mailbox(Reader& r, const ParseContext& c, std::string_view name) {
  auto box = read_mailbox(r, c);
  if (!box) return box.error();
  if (auto e = r.end(); !e) return e.error();
  if (name == "DELETE") return Command{Delete{std::move(*box)}};
  return Command{Subscribe{std::move(*box), name == "SUBSCRIBE"}};
}

Result<Command> rename(Reader& r, const ParseContext& c) {
  auto from = read_mailbox(r, c);
  if (!from) return from.error();
  if (auto s = r.space(); !s) return s.error();
  auto to = read_mailbox(r, c);
  if (!to) return to.error();
  if (auto e = r.end(); !e) return e.error();
  return Command{Rename{std::move(*from), std::move(*to)}};
}

Result<Command> uid_command(Reader& r, std::string_view name, const ParseContext& c) {
  if (name == "FETCH") return parse_fetch(r, true);
  if (name == "SEARCH") return parse_search(r, true);
  if (name == "STORE") return parse_store(r, true);
  if (name == "COPY" || name == "MOVE") return parse_copy(r, c, true, name == "MOVE");
  if (name == "EXPUNGE") {
    auto set = r.sequence_set();
    if (!set) return set.error();
    if (auto e = r.end(); !e) return e.error();
    return Command{Expunge{std::move(*set)}};
  }
  return make_error("Unknown UID command " + std::string(name));
}

Result<Command> with_arguments(Reader& r, std::string_view name, const ParseContext& c) {
  if (name == "LOGIN") return parse_login(r);
  if (name == "AUTHENTICATE") return parse_authenticate(r);
  if (name == "ENABLE") return parse_enable(r);
  if (name == "ID") return parse_id(r);
  if (name == "SELECT" || name == "EXAMINE") return parse_select(r, c, name == "EXAMINE");
  if (name == "CREATE") return parse_create(r, c);
  if (name == "DELETE" || name == "SUBSCRIBE" || name == "UNSUBSCRIBE")
    return one_mailbox(r, c, name);
  if (name == "RENAME") return rename(r, c);
  if (name == "LIST" || name == "LSUB") return parse_list(r, c, name == "LSUB");
  if (name == "STATUS") return parse_status(r, c);
  if (name == "APPEND") return parse_append(r, c);
  if (name == "SEARCH") return parse_search(r, false);
  if (name == "FETCH") return parse_fetch(r, false);
  if (name == "STORE") return parse_store(r, false);
  if (name == "COPY" || name == "MOVE") return parse_copy(r, c, false, name == "MOVE");
  if (name == "GETQUOTA") return parse_quota(r, c, Quota::Kind::get);
  if (name == "GETQUOTAROOT") return parse_quota(r, c, Quota::Kind::get_root);
  if (name == "SETQUOTA") return parse_quota(r, c, Quota::Kind::set);
  return make_error("Unknown command " + std::string(name));
}

Result<Command> dispatch(Reader& r, const std::string& name, const ParseContext& c) {
  if (auto b = bare(name)) {
    if (!r.at_end()) return make_error(name + " takes no arguments");
    return std::move(*b);
  }
  if (!r.eat(' ')) {
    if (!takes_arguments(name)) return make_error("Unknown command " + name);
    if (r.at_end()) return make_error("Missing arguments for " + name);
    return make_error("Expected a space after the command name");
  }
  if (name != "UID") return with_arguments(r, name, c);
  auto sub = r.atom();
  if (!sub || !r.eat(' ')) return make_error("Expected a command after UID");
  return uid_command(r, to_upper(*sub), c);
}

}  // namespace

Result<std::string> read_mailbox(Reader& r, const ParseContext& c) {
  auto raw = r.astring();
  if (!raw) return raw.error();
  return decode_mailbox(*raw, c.utf8);
}

Result<Command> parse_create(Reader& r, const ParseContext& c) {
  Create create;
  auto box = read_mailbox(r, c);
  if (!box) return box.error();
  create.mailbox = std::move(*box);
  // CREATE name (USE (\Sent)) (RFC 6154 3).
  if (r.eat(' ')) {
    if (!r.eat('(') || !r.eat_word("USE") || !r.eat(' ')) return make_error("Expected (USE (...))");
    auto use = r.flag_list();
    if (!use) return use.error();
    create.use = std::move(*use);
    if (!r.eat(')')) return make_error("Expected ')' after USE");
  }
  if (auto e = r.end(); !e) return e.error();
  return Command{std::move(create)};
}

std::variant<Tagged, ParseError> parse_command(std::string_view text, const ParseContext& c) {
  Reader r(text);
  auto tag = r.tag();
  if (!tag || !(r.peek(' ') || r.at_end())) return ParseError{"", "Missing or invalid tag"};
  if (!r.eat(' ')) return ParseError{*tag, "Missing command"};
  auto name = r.token([](char ch) { return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z'); },
                      "a command name");
  if (!name) return ParseError{*tag, "Missing command"};
  auto command = dispatch(r, to_upper(*name), c);
  if (!command) return ParseError{*tag, command.message()};
  return Tagged{std::move(*tag), std::move(*command)};
}

std::string command_name(const Command& c) {
  static constexpr std::array<std::string_view, std::variant_size_v<Command>> kNames = {
      "CAPABILITY", "NOOP",      "LOGOUT", "STARTTLS", "AUTHENTICATE", "LOGIN",    "ENABLE",
      "ID",         "NAMESPACE", "SELECT", "CREATE",   "DELETE",       "RENAME",   "SUBSCRIBE",
      "LIST",       "STATUS",    "APPEND", "IDLE",     "CLOSE",        "UNSELECT", "EXPUNGE",
      "SEARCH",     "FETCH",     "STORE",  "COPY",     "GETQUOTA"};
  std::string name(kNames[c.index()]);
  if (auto* s = std::get_if<Select>(&c); s && s->read_only) return "EXAMINE";
  if (auto* s = std::get_if<Subscribe>(&c); s && !s->subscribe) return "UNSUBSCRIBE";
  if (auto* l = std::get_if<List>(&c); l && l->lsub) return "LSUB";
  if (auto* m = std::get_if<Copy>(&c); m && m->move) name = "MOVE";
  if (auto* q = std::get_if<Quota>(&c); q && q->kind != Quota::Kind::get)
    name = q->kind == Quota::Kind::set ? "SETQUOTA" : "GETQUOTAROOT";
  bool uid = std::visit(
      [](const auto& x) {
        if constexpr (requires { x.uids; })
          return x.uids.has_value();  // UID EXPUNGE
        else if constexpr (requires { x.uid; })
          return x.uid;
        else
          return false;
      },
      c);
  return uid ? "UID " + name : name;
}

}  // namespace appliance::imap
