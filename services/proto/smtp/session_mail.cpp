// NAME
//   session_mail.cpp - the mail transaction: MAIL, RCPT, DATA, BDAT.
#include <fmt/format.h>

#include "proto/smtp/session.h"

namespace appliance::smtp {

namespace {

Reply or_default(const Reply& given, int code, std::string_view status, std::string_view text) {
  return given.empty() ? make_reply(code, status, text) : given;
}

Reply too_big() {
  return make_reply(552, "5.3.4", "Message size exceeds fixed maximum message size");
}

}  // namespace

void Session::handle(const Mail& c) {
  if (auto r = need_helo(false)) return refuse(*r);
  if (config_.mode == Mode::submission && !account_)
    return refuse(make_reply(530, "5.7.0", "Authentication required"));
  if (mail_) return refuse(make_reply(503, "5.5.1", "Nested MAIL command"));
  if (!helo_->extended && c.params.count > 0)
    return refuse(make_reply(555, "5.5.4", "MAIL parameters need EHLO"));
  if (c.params.size && *c.params.size > config_.max_message_size) return refuse(too_big());
  proposed_mail_ = c;
  events_.push_back(event::CheckSender{c.sender, c.params, account_.value_or("")});
  pending_ = Pending::sender;
}

void Session::answer_sender(const Verdict& v) {
  if (!v.accepted) {
    proposed_mail_.reset();
    return refuse(or_default(v.refusal, 550, "5.7.1", "Sender address rejected"));
  }
  mail_ = std::move(proposed_mail_);
  send(make_reply(250, "2.1.0", "Ok"));
}

void Session::handle(const Rcpt& c) {
  if (!mail_) return refuse(make_reply(503, "5.5.1", "Need MAIL before RCPT"));
  if (message_open_) return refuse(make_reply(503, "5.5.1", "RCPT not allowed after BDAT"));
  if (!helo_->extended && c.params.count > 0)
    return refuse(make_reply(555, "5.5.4", "RCPT parameters need EHLO"));
  // Not an error: the client sends the rest in another transaction (RFC 5321 4.5.3.1.10).
  if (recipients_ >= config_.max_recipients)
    return send(make_reply(452, "4.5.3", "Too many recipients"));
  events_.push_back(event::CheckRecipient{c.recipient, c.params});
  pending_ = Pending::recipient;
}

void Session::answer_recipient(const Verdict& v) {
  if (!v.accepted) return refuse(or_default(v.refusal, 550, "5.1.1", "Recipient address rejected"));
  ++recipients_;
  send(make_reply(250, "2.1.5", "Ok"));
}

std::optional<Reply> Session::body_refusal() const {
  if (!mail_) return make_reply(503, "5.5.1", "Need MAIL command");
  if (recipients_ == 0) return make_reply(554, "5.5.1", "No valid recipients");
  return std::nullopt;
}

void Session::handle(const Data&) {
  if (auto r = body_refusal()) return refuse(*r);
  if (bdat_used_) return refuse(make_reply(503, "5.5.1", "DATA not allowed after BDAT"));
  if (mail_->params.body == Body::binary_mime)
    return refuse(make_reply(503, "5.5.1", "BINARYMIME requires BDAT"));
  send(make_reply(354, "", "End data with <CR><LF>.<CR><LF>"));
  begin_message();
  data_.emplace(
      BodyLimits{config_.max_message_size, config_.max_body_line, false},
      [this](std::string_view b) { events_.push_back(event::MessageData{std::string(b)}); });
  input_ = Input::data;
}

void Session::handle(const Bdat& c) {
  // A refused chunk is still read, so the next command is found where the client put it.
  // CHUNKING is offered only to EHLO.
  if (auto r = need_helo(true) ? need_helo(true) : body_refusal()) {
    if (c.size == 0) return refuse(*r);
    skip_left_ = c.size;
    skip_reply_ = *r;
    input_ = Input::skip_chunk;
    return;
  }
  if (!message_open_) {
    begin_message();
    bdat_used_ = true;
    bool binary = mail_->params.body == Body::binary_mime;
    chunk_.emplace(
        BodyLimits{config_.max_message_size, config_.max_body_line, binary},
        [this](std::string_view b) { events_.push_back(event::MessageData{std::string(b)}); });
  }
  chunk_->begin_chunk(c.size, c.last);
  input_ = Input::chunk;
  if (c.size == 0) finish_chunk();
}

void Session::begin_message() {
  message_open_ = true;
  events_.push_back(event::MessageBegin{});
}

void Session::feed_body() {
  std::string_view rest = std::string_view(in_).substr(pos_);
  if (input_ == Input::skip_chunk) {
    auto n = static_cast<std::size_t>(std::min<std::uint64_t>(rest.size(), skip_left_));
    pos_ += n;
    skip_left_ -= n;
    if (skip_left_ > 0) return;
    input_ = Input::command;
    return refuse(skip_reply_);
  }
  if (input_ == Input::data) {
    pos_ += data_->feed(rest);
    if (!data_->done()) return;
    input_ = Input::command;
    return finish_message(data_->refusal(), data_->size());
  }
  pos_ += chunk_->feed(rest);
  if (chunk_->chunk_done()) finish_chunk();
}

void Session::finish_chunk() {
  input_ = Input::command;
  if (chunk_->last() || chunk_->refusal()) return finish_message(chunk_->refusal(), chunk_->size());
  send(make_reply(250, "2.0.0", fmt::format("{} octets received", chunk_->chunk_size())));
}

void Session::finish_message(std::optional<Reply> refusal, std::uint64_t size) {
  if (refusal) {
    reset_transaction(refusal->summary());
    return refuse(*refusal);
  }
  message_open_ = false;
  events_.push_back(event::MessageEnd{size});
  pending_ = Pending::message;
}

void Session::answer_message(const Verdict& v) {
  reset_transaction();
  if (!v.accepted)
    return refuse(or_default(v.refusal, 451, "4.3.0", "Message not stored, try again later"));
  send(make_reply(250, "2.0.0", fmt::format("Ok: queued as {}", v.detail)));
}

void Session::reset_transaction(std::string_view why) {
  if (message_open_) events_.push_back(event::MessageAbort{std::string(why)});
  message_open_ = false;
  mail_.reset();
  proposed_mail_.reset();
  recipients_ = 0;
  bdat_used_ = false;
  data_.reset();
  chunk_.reset();
}

}  // namespace appliance::smtp
