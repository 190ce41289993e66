// NAME
//   session_commands.cpp - which command is allowed when, and those answered here.
#include <fmt/format.h>

#include <algorithm>

#include "proto/imap/session.h"

namespace appliance::imap {

namespace {

template <class... T>
bool is_one_of(const Command& c) {
  return (std::holds_alternative<T>(c) || ...);
}

bool any_state(const Command& c) {
  return is_one_of<Capability, Noop, Logout, Id>(c);
}
bool before_login(const Command& c) {
  return is_one_of<Starttls, Authenticate, Login>(c);
}
bool needs_selected(const Command& c) {
  return is_one_of<Close, Unselect, Expunge, Search, Fetch, Store, Copy>(c);
}

// RFC 7162 3.1: the commands after which every FETCH carries MODSEQ.
bool enables_condstore(const Command& c) {
  if (auto* s = std::get_if<Select>(&c)) return s->condstore || s->qresync;
  if (auto* s = std::get_if<Status>(&c))
    return std::find(s->items.begin(), s->items.end(), "HIGHESTMODSEQ") != s->items.end();
  if (auto* f = std::get_if<Fetch>(&c))
    return f->changedsince || std::any_of(f->items.begin(), f->items.end(), [](const auto& i) {
             return i.kind == FetchItem::Kind::modseq;
           });
  if (auto* s = std::get_if<Store>(&c)) return s->unchangedsince.has_value();
  if (auto* s = std::get_if<Search>(&c)) return uses_modseq(s->key);
  return false;
}

}  // namespace

std::vector<std::string> Session::capabilities() const {
  std::vector<std::string> caps{"IMAP4rev1", "IMAP4rev2", "LITERAL+", "ENABLE",
                                "ID",        "IDLE",      "NAMESPACE"};
  if (state_ == State::not_authenticated) {
    if (!tls_ && config_.tls_available) caps.push_back("STARTTLS");
    if (!tls_ && config_.login_needs_tls) {
      caps.push_back("LOGINDISABLED");
    } else {
      caps.insert(caps.end(), {"SASL-IR", "AUTH=PLAIN"});
    }
    return caps;
  }
  caps.insert(caps.end(), {"UIDPLUS", "MOVE", "UNSELECT", "CHILDREN", "LIST-EXTENDED",
                           "LIST-STATUS", "SPECIAL-USE", "CREATE-SPECIAL-USE", "ESEARCH",
                           "SEARCHRES", "BINARY", "MULTIAPPEND"});
  caps.push_back(fmt::format("APPENDLIMIT={}", append_limit()));
  if (config_.condstore) caps.push_back("CONDSTORE");
  if (config_.condstore && config_.qresync) caps.push_back("QRESYNC");
  if (config_.quota) caps.insert(caps.end(), {"QUOTA", "QUOTA=RES-STORAGE"});
  caps.insert(caps.end(), {"UTF8=ACCEPT", "STATUS=SIZE", "WITHIN"});
  return caps;
}

std::uint64_t Session::append_limit() const {
  const InputLimits& l = config_.limits;
  return std::min(l.max_literal, l.max_command > l.max_line ? l.max_command - l.max_line : 0);
}

// RFC 9051 3: the states in which each command is valid.
std::optional<std::string> Session::not_allowed(const Command& c) const {
  if (any_state(c)) return std::nullopt;
  if (state_ == State::not_authenticated) {
    if (before_login(c)) return std::nullopt;
    return command_name(c) + " needs a login first";
  }
  if (before_login(c)) return "Already logged in";
  if (needs_selected(c) && state_ != State::selected) return "No mailbox selected";
  if (std::holds_alternative<Enable>(c) && state_ == State::selected)
    return "ENABLE is only valid before a mailbox is selected";
  if (auto* s = std::get_if<Select>(&c); s && s->qresync && !qresync_)
    return "QRESYNC must be enabled first";  // RFC 7162 3.2.5
  if (auto* f = std::get_if<Fetch>(&c); f && f->vanished && !qresync_)
    return "VANISHED needs QRESYNC enabled";
  return std::nullopt;
}

// Refusals with NO: well-formed, allowed, but not something this server does.
std::optional<std::pair<std::string, std::string>> Session::not_supported(const Command& c) const {
  if (auto* s = std::get_if<Starttls>(&c); s && !config_.tls_available && !tls_)
    return std::make_pair("", "TLS is not available");
  return std::nullopt;
}

void Session::execute(Tagged t) {
  std::visit(
      [&](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, Capability> || std::is_same_v<T, Logout> ||
                      std::is_same_v<T, Enable> || std::is_same_v<T, Id> ||
                      std::is_same_v<T, Namespace> || std::is_same_v<T, Idle> ||
                      std::is_same_v<T, Starttls> || std::is_same_v<T, Login> ||
                      std::is_same_v<T, Authenticate>)
          handle(t.tag, c);
        else if constexpr (std::is_same_v<T, Noop>)
          state_ == State::not_authenticated ? respond(t.tag, Cond::ok, "", "NOOP completed")
                                             : forward(std::move(t));
        else
          forward(std::move(t));
      },
      t.command);
}

void Session::forward(Tagged t) {
  transition_ = is_one_of<Select>(t.command)            ? Transition::select
                : is_one_of<Close, Unselect>(t.command) ? Transition::deselect
                                                        : Transition::none;
  if (config_.condstore && enables_condstore(t.command)) condstore_ = true;
  tag_ = t.tag;
  pending_ = Pending::request;
  events_.push_back(event::Request{std::move(t.tag), std::move(t.command)});
}

void Session::answer_request(const Answer& a) {
  send(a.untagged);
  respond(tag_, a.cond, a.code, a.text);
  // RFC 9051 6.3.2: a failed SELECT leaves no mailbox selected.
  if (transition_ == Transition::select)
    state_ = a.cond == Cond::ok ? State::selected : State::authenticated;
  if (transition_ == Transition::deselect && a.cond == Cond::ok) state_ = State::authenticated;
  transition_ = Transition::none;
}

void Session::handle(const std::string& tag, const Capability&) {
  send("* " + code::capability(capabilities()) + "\r\n");
  respond(tag, Cond::ok, "", "CAPABILITY completed");
}

void Session::handle(const std::string& tag, const Logout&) {
  respond("", Cond::bye, "", "Logging out");
  respond(tag, Cond::ok, "", "LOGOUT completed");
  events_.emplace_back(std::in_place_type<event::Close>);
  closed_ = true;
  state_ = State::logout;
}

// RFC 5161: answer with what got enabled now; unknown names are ignored.
void Session::handle(const std::string& tag, const Enable& c) {
  std::string enabled;
  for (const auto& cap : c.capabilities) {
    bool offered = (config_.condstore || cap != "CONDSTORE") &&
                   ((config_.condstore && config_.qresync) || cap != "QRESYNC");
    bool* flag = !offered               ? nullptr
                 : cap == "CONDSTORE"   ? &condstore_
                 : cap == "QRESYNC"     ? &qresync_
                 : cap == "UTF8=ACCEPT" ? &utf8_
                                        : nullptr;
    if (!flag || *flag) continue;
    *flag = true;
    enabled += " " + cap;
  }
  if (qresync_) condstore_ = true;  // RFC 7162 3.2.3
  send("* ENABLED" + enabled + "\r\n");
  respond(tag, Cond::ok, "", "ENABLE completed");
}

void Session::handle(const std::string& tag, const Id& c) {
  client_id_ = c;
  send("* ID (\"name\" \"appliance imapd\")\r\n");
  respond(tag, Cond::ok, "", "ID completed");
}

void Session::handle(const std::string& tag, const Namespace&) {
  send(
      fmt::format("* NAMESPACE ((\"\" {})) NIL NIL\r\n", quote(std::string(1, config_.delimiter))));
  respond(tag, Cond::ok, "", "NAMESPACE completed");
}

void Session::handle(const std::string& tag, const Idle&) {
  mode_ = Mode::idle;
  tag_ = tag;
  send("+ idling\r\n");
  events_.push_back(event::IdleStart{tag});
}

// RFC 2177: only DONE ends IDLE; anything else ends it with BAD.
void Session::on_done(std::string_view line) {
  mode_ = Mode::command;
  events_.emplace_back(std::in_place_type<event::IdleDone>);
  if (!iequals(line, "DONE")) return refuse(tag_, "Expected DONE to end IDLE");
  respond(tag_, Cond::ok, "", "IDLE terminated");
}

}  // namespace appliance::imap
