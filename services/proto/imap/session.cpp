// NAME
//   session.cpp - input framing, read-ahead, responses and error limits.
#include "proto/imap/session.h"

namespace appliance::imap {

namespace {

// The command name of a framed command, upper case, without parsing it all.
std::string verb_of(std::string_view text) {
  auto space = text.find(' ');
  if (space == std::string_view::npos) return {};
  std::string_view rest = text.substr(space + 1);
  return to_upper(rest.substr(0, rest.find_first_of(" \r\n")));
}

// After these the next input is not a command, or not one to read now.
bool ends_read_ahead(std::string_view text) {
  std::string verb = verb_of(text);
  return verb == "IDLE" || verb == "AUTHENTICATE" || verb == "STARTTLS" || verb == "LOGOUT";
}

}  // namespace

Session::Session(SessionConfig config) : config_(std::move(config)), reader_(config_.limits) {
  tls_ = config_.implicit_tls;
}

void Session::greet() {
  if (greeted_ || closed_) return;
  greeted_ = true;
  respond("", Cond::ok, code::capability(capabilities()),
          config_.hostname + " IMAP4rev2 server ready");
  run();
}

void Session::receive(std::string_view bytes) {
  if (closed_) return;
  // Plaintext sent after STARTTLS must never be read as if it came over TLS.
  if (pending_ == Pending::tls) return;
  reader_.feed(bytes);
  if (greeted_) run();
}

void Session::push(std::string_view untagged) {
  if (!closed_ && greeted_) send(std::string(untagged));
}

void Session::shut_down(std::string_view why) {
  close(why);
}

void Session::answer(Answer a) {
  if (closed_) return;
  Pending p = std::exchange(pending_, Pending::none);
  if (p == Pending::tls) answer_tls(a);
  if (p == Pending::login) answer_login(a);
  if (p == Pending::request) answer_request(a);
  run();
}

void Session::run() {
  while (!closed_ && pending_ == Pending::none) {
    if (mode_ != Mode::command) {
      auto line = reader_.next_line();
      if (!line) break;
      on_line(*line);
      continue;
    }
    auto in = next_input();
    if (!in) break;
    on_input(std::move(*in));
  }
  if (!closed_ && pending_ != Pending::none && pending_ != Pending::tls) read_ahead();
}

// While a request is answered, frame what follows, so literals get their
// continuation; a client that queues more than max_queued is cut off.
void Session::read_ahead() {
  while (!closed_ && (queue_.empty() || !ends_read_ahead(queue_.back()))) {
    auto in = reader_.next();
    if (!in) return;
    if (auto* c = std::get_if<input::Complete>(&*in)) {
      queue_.push_back(std::move(c->text));
      if (queue_.size() > config_.max_queued) return close("Too many commands in flight");
    } else {
      on_input(std::move(*in));
    }
  }
}

std::optional<Input> Session::next_input() {
  if (queue_.empty()) return reader_.next();
  Input in = input::Complete{std::move(queue_.front())};
  queue_.pop_front();
  return in;
}

void Session::on_input(Input in) {
  if (auto* c = std::get_if<input::Complete>(&in)) return on_command(c->text);
  if (std::holds_alternative<input::Continue>(in)) return continue_literal();
  auto& r = std::get<input::Refused>(in);
  Cond cond = r.kind == "NO" ? Cond::no : Cond::bad;
  respond(r.tag, cond, "", r.text);
  if (r.close) return close("Input limit exceeded");
  if (cond == Cond::bad && ++errors_ >= config_.max_errors) close("Too many invalid commands");
}

// A LOGIN that will be refused gets no "+": its password is never sent in clear.
void Session::continue_literal() {
  bool login = iequals(verb_of(reader_.partial_command()), "LOGIN");
  if (login && state_ == State::not_authenticated && !tls_ && config_.login_needs_tls) {
    std::string tag = reader_.tag_of_command();
    reader_.drop_command();
    return respond(tag, Cond::no, "PRIVACYREQUIRED", "Login only over TLS; use STARTTLS first");
  }
  send("+ Ready for literal data\r\n");
}

void Session::on_command(std::string_view text) {
  auto parsed = parse_command(text, ParseContext{utf8_});
  if (auto* e = std::get_if<ParseError>(&parsed)) return refuse(e->tag, e->text);
  Tagged t = std::move(std::get<Tagged>(parsed));
  if (auto why = not_allowed(t.command)) return refuse(t.tag, *why);
  if (auto refusal = not_supported(t.command)) {
    errors_ = 0;
    return respond(t.tag, Cond::no, refusal->first, refusal->second);
  }
  errors_ = 0;
  execute(std::move(t));
}

void Session::on_line(std::string_view line) {
  if (mode_ == Mode::idle) return on_done(line);
  on_sasl_line(line);
}

void Session::send(std::string text) {
  if (!text.empty()) events_.push_back(event::Send{std::move(text)});
}

void Session::respond(std::string_view tag, Cond cond, std::string_view code,
                      std::string_view text) {
  send(status_response(tag, cond, code, text));
}

void Session::refuse(std::string_view tag, std::string_view text, std::string_view code) {
  respond(tag, Cond::bad, code, text);
  if (++errors_ >= config_.max_errors) close("Too many invalid commands");
}

void Session::close(std::string_view why) {
  if (closed_) return;
  respond("", Cond::bye, "", why);
  events_.emplace_back(std::in_place_type<event::Close>);
  closed_ = true;
  state_ = State::logout;
  pending_ = Pending::none;
  queue_.clear();
  reader_.clear();
}

}  // namespace appliance::imap
