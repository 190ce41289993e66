// NAME
//   session.cpp - input framing, replies, errors, and the simple commands.
#include "proto/smtp/session.h"

#include "proto/smtp/syntax.h"

namespace appliance::smtp {

Session::Session(SessionConfig config) : config_(std::move(config)) {
  tls_ = config_.implicit_tls;
}

void Session::greet() {
  if (greeted_ || closed_) return;
  greeted_ = true;
  send(greeting_reply(config_.hostname));
}

void Session::receive(std::string_view bytes) {
  if (closed_) return;
  // A client that talks first is a spam engine, not an MTA (RFC 5321 3.1; Postfix postscreen).
  if (!greeted_) return close(make_reply(554, "5.5.0", "Protocol error: input before greeting"));
  // Plaintext sent after STARTTLS must never be read as if it came over TLS.
  if (pending_ == Pending::tls) return;
  in_.append(bytes);
  run();
  if (in_.size() > config_.max_buffered)
    close(make_reply(421, "4.7.0", "Too much pipelined input"));
}

void Session::answer(Verdict v) {
  if (closed_) return;
  Pending p = std::exchange(pending_, Pending::none);
  switch (p) {
    case Pending::none:
      return;
    case Pending::sender:
      answer_sender(v);
      break;
    case Pending::recipient:
      answer_recipient(v);
      break;
    case Pending::auth:
      answer_auth(v);
      break;
    case Pending::message:
      answer_message(v);
      break;
    case Pending::tls:
      answer_tls(v);
      break;
  }
  run();
}

void Session::shut_down(std::string_view why) {
  close(make_reply(421, "4.3.2", why));
}

void Session::run() {
  while (!closed_ && pending_ == Pending::none && pos_ < in_.size()) {
    if (input_ == Input::data || input_ == Input::chunk || input_ == Input::skip_chunk) {
      feed_body();
      continue;
    }
    auto line = next_line();
    if (!line) break;
    on_line(*line);
  }
  in_.erase(0, pos_);
  no_lf_before_ = no_lf_before_ > pos_ ? no_lf_before_ - pos_ : 0;
  pos_ = 0;
}

// The next CRLF-terminated line, without its CRLF; refuses long lines and bare LF.
std::optional<std::string_view> Session::next_line() {
  while (!closed_ && pos_ < in_.size()) {
    std::string_view rest = std::string_view(in_).substr(pos_);
    // A line that arrives a byte at a time is scanned once, not once per byte.
    std::size_t lf = rest.find('\n', std::max(no_lf_before_, pos_) - pos_);
    if (lf == std::string_view::npos) no_lf_before_ = in_.size();
    std::size_t limit = line_limit(rest);
    if (skipping_line_ || (lf == std::string_view::npos ? rest.size() >= limit : lf + 1 > limit)) {
      if (!skipping_line_) refuse(make_reply(500, "5.5.2", "Line too long"));
      skipping_line_ = lf == std::string_view::npos;
      pos_ = skipping_line_ ? in_.size() : pos_ + lf + 1;
      continue;
    }
    if (lf == std::string_view::npos) return std::nullopt;
    pos_ += lf + 1;
    if (lf == 0 || rest[lf - 1] != '\r') {
      refuse(make_reply(500, "5.5.2", "Line must end with CRLF"));
      continue;
    }
    return rest.substr(0, lf - 1);
  }
  return std::nullopt;
}

// 512 octets before EHLO, 1000 after it, 12288 for AUTH (RFC 4954 4).
std::size_t Session::line_limit(std::string_view start) const {
  if (input_ != Input::command || istarts_with(start, "AUTH ")) return kMaxAuthLine;
  return helo_ && helo_->extended ? kMaxExtendedLine : kMaxBasicLine;
}

void Session::on_line(std::string_view line) {
  // Input after this line was sent before the client could see its reply.
  bool ahead = pos_ < in_.size();
  if (input_ != Input::command) return ahead ? close(out_of_step()) : on_sasl_line(line);
  auto parsed = parse_command(line, {mail_ && mail_->params.smtputf8});
  if (!parsed) {
    // Without a valid size the end of the chunk is unknown: the stream is lost.
    if (command_verb(line) == "BDAT") return close(parsed.reply());
    return refuse(parsed.reply());
  }
  if (ahead && must_wait(*parsed)) return close(out_of_step());
  std::visit([this](const auto& c) { handle(c); }, *parsed);
}

// RFC 2920 3.1: EHLO, DATA, VRFY, NOOP and AUTH end a group; without
// PIPELINING every command does. QUIT closes anyway, STARTTLS drops what
// follows it, and a BDAT chunk follows its command by design.
bool Session::must_wait(const Command& c) const {
  if (std::holds_alternative<Quit>(c) || std::holds_alternative<Starttls>(c) ||
      std::holds_alternative<Bdat>(c))
    return false;
  bool pipelining = helo_ && helo_->extended;
  return !pipelining || std::holds_alternative<Ehlo>(c) || std::holds_alternative<Data>(c) ||
         std::holds_alternative<Vrfy>(c) || std::holds_alternative<Noop>(c) ||
         std::holds_alternative<Auth>(c);
}

// A client that does not wait for replies may be hiding a message or a
// command where a lenient server would see another (Postfix 3.9 closes too).
Reply Session::out_of_step() {
  return make_reply(554, "5.5.0", "Protocol error: improper command pipelining");
}

void Session::send(const Reply& reply) {
  events_.push_back(event::Send{reply.wire()});
}

void Session::refuse(const Reply& reply) {
  send(reply);
  if (++errors_ >= config_.max_errors)
    close(make_reply(421, "4.7.0", "Too many errors, closing connection"));
}

void Session::close(const Reply& reply) {
  if (closed_) return;
  reset_transaction("connection closed");
  if (!reply.empty()) send(reply);
  events_.push_back(event::Close{});
  closed_ = true;
  pending_ = Pending::none;
  pos_ = in_.size();
}

std::optional<Reply> Session::need_helo(bool extended) const {
  if (!helo_ || (extended && !helo_->extended)) return make_reply(503, "5.5.1", "Send EHLO first");
  return std::nullopt;
}

void Session::handle(const Ehlo& c) {
  reset_transaction();  // RFC 5321 4.1.4: EHLO implies RSET
  helo_ = c;
  if (!c.extended) return send(make_reply(250, "", config_.hostname));
  Capabilities caps{config_.max_message_size, !tls_ && config_.tls_available,
                    tls_ && config_.mode == Mode::submission};
  send(ehlo_reply(config_.hostname, c.domain, caps));
}

void Session::handle(const Rset&) {
  reset_transaction();
  send(make_reply(250, "2.0.0", "Ok"));
}

void Session::handle(const Noop&) {
  send(make_reply(250, "2.0.0", "Ok"));
}

void Session::handle(const Quit&) {
  close(make_reply(221, "2.0.0", "Bye"));
}

// RFC 5321 3.5.3: do not confirm addresses, do not deny them either.
void Session::handle(const Vrfy&) {
  send(make_reply(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery"));
}

void Session::handle(const Help&) {
  send(Reply{214,
             "2.0.0",
             {"Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY",
              "HELP STARTTLS AUTH; see RFC 5321"}});
}

}  // namespace appliance::smtp
