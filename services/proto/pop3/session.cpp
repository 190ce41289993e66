// NAME
//   session.cpp - lines, replies, errors, and the maildrop commands.
#include "proto/pop3/session.h"

#include "proto/common/overload.h"
#include "proto/pop3/response.h"

namespace appliance::pop3 {

Session::Session(SessionConfig config) : config_(std::move(config)) {
  tls_ = config_.implicit_tls;
}

void Session::greet() {
  if (greeted_ || closed_) return;
  greeted_ = true;
  send(ok(config_.hostname + " POP3 server ready"));
  run();
}

void Session::receive(std::string_view bytes) {
  if (closed_ || pending_ == Pending::tls) return;
  in_.append(bytes);
  if (greeted_) run();
  if (in_.size() > config_.max_buffered) close(err("Too much pipelined input"));
}

void Session::shut_down(std::string_view why) {
  close(err(why, "SYS/TEMP"));
}

void Session::answer(Answer a) {
  if (closed_) return;
  if (streaming_) return;  // stream_end() completes it
  Pending p = std::exchange(pending_, Pending::none);
  if (p == Pending::tls) answer_tls(a);
  if (p == Pending::login) answer_login(a);
  if (p == Pending::request) answer_request(a);
  run();
}

void Session::stream_begin(std::string_view text) {
  if (closed_ || pending_ != Pending::request || streaming_) return;
  send(ok(text));
  streaming_.emplace();
}

void Session::stream(std::string_view piece) {
  if (!closed_ && streaming_) send(streaming_->put(piece));
}

void Session::stream_end() {
  if (closed_ || !streaming_) return;
  send(streaming_->finish());
  streaming_.reset();
  request_.reset();
  pending_ = Pending::none;
  run();
}

void Session::run() {
  while (!closed_ && pending_ == Pending::none) {
    auto line = next_line();
    if (!line) break;
    on_line(*line);
  }
}

// The next line without its CRLF (a bare LF is accepted); long lines are refused.
std::optional<std::string> Session::next_line() {
  while (!in_.empty()) {
    std::size_t limit = sasl_ || in_.starts_with("AUTH ") || in_.starts_with("auth ")
                            ? kMaxAuthLine
                            : kMaxCommandLine;
    std::size_t lf = in_.find('\n');
    if (skipping_ || (lf == std::string::npos ? in_.size() >= limit : lf + 1 > limit)) {
      if (!skipping_) refuse("Line too long");
      skipping_ = lf == std::string::npos;
      in_.erase(0, skipping_ ? in_.size() : lf + 1);
      continue;
    }
    if (lf == std::string::npos) return std::nullopt;
    std::string line = in_.substr(0, lf > 0 && in_[lf - 1] == '\r' ? lf - 1 : lf);
    in_.erase(0, lf + 1);
    return line;
  }
  return std::nullopt;
}

void Session::on_line(std::string_view line) {
  if (sasl_) {
    sasl_ = false;
    if (line == "*") return refuse("Authentication cancelled");  // RFC 5034 4
    return sasl_plain(line);
  }
  auto parsed = parse_command(line);
  if (!parsed) return refuse(parsed.message());
  if (!allowed(*parsed)) return refuse(command_name(*parsed) + " is not valid in this state");
  errors_ = 0;
  execute(std::move(*parsed));
}

// RFC 1939 4-6, RFC 2449 5, RFC 2595 4, RFC 5034 4.
bool Session::allowed(const Command& c) const {
  bool anywhere = std::holds_alternative<Capa>(c) || std::holds_alternative<Quit>(c);
  bool login = std::holds_alternative<User>(c) || std::holds_alternative<Pass>(c) ||
               std::holds_alternative<Apop>(c) || std::holds_alternative<Auth>(c) ||
               std::holds_alternative<Stls>(c);
  if (anywhere) return true;
  return state_ == State::authorization ? login : !login;
}

void Session::execute(Command c) {
  std::visit(Overload{
                 [&](const Capa&) { capa(); },
                 [&](const Stls&) { stls(); },
                 [&](const User& u) { user(u); },
                 [&](const Pass& p) { pass(p); },
                 [&](const Apop&) { refuse("APOP is not supported; use USER/PASS or AUTH"); },
                 [&](const Auth& a) { auth(a); },
                 [&](const auto&) {
                   if (std::holds_alternative<Quit>(c) && state_ == State::authorization)
                     return close(ok("Bye"));
                   if (std::holds_alternative<Quit>(c)) state_ = State::update;
                   pending_ = Pending::request;
                   request_ = c;
                   events_.push_back(event::Request{c});
                 },
             },
             c);
}

void Session::answer_request(const Answer& a) {
  bool quit = request_ && std::holds_alternative<Quit>(*request_);
  request_.reset();
  if (!a.ok) {
    send(err(a.text, a.code));
  } else {
    send(ok(a.text));
    if (a.data) send(multiline(*a.data));
  }
  if (quit) close("");
}

void Session::capa() {
  std::string list = "TOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\n";
  if (state_ == State::authorization) {
    if (!tls_ && config_.tls_available) list += "STLS\r\n";
    if (tls_ || !config_.login_needs_tls) list += "USER\r\nSASL PLAIN\r\n";
  }
  list += "IMPLEMENTATION appliance\r\n";
  send(ok("Capability list follows"));
  send(list + ".\r\n");
}

void Session::send(std::string text) {
  if (!text.empty()) events_.push_back(event::Send{std::move(text)});
}

void Session::refuse(std::string_view text, std::string_view code) {
  send(err(text, code));
  if (++errors_ >= config_.max_errors) close(err("Too many errors"));
}

void Session::close(std::string_view reply) {
  if (closed_) return;
  send(std::string(reply));
  events_.emplace_back(std::in_place_type<event::Close>);
  closed_ = true;
  pending_ = Pending::none;
  streaming_.reset();
  in_.clear();
}

}  // namespace appliance::pop3
