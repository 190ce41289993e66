// NAME
//   transaction.cpp - greeting, EHLO, STARTTLS; MAIL, RCPT, DATA; RSET, QUIT.
#include "deliverd/transaction.h"

#include <fmt/format.h>

#include "proto/common/dot_stuffing.h"
#include "proto/dsn/dsn.h"
#include "proto/smtp/syntax.h"

namespace appliance::deliverd {
namespace {

using smtp::ServerReply;

Outcome outcome_of(const ServerReply& r) {
  if (r.positive()) return Outcome::delivered;
  return r.permanent() ? Outcome::bounce : Outcome::retry;
}

void set_all(TransactionResult& out, Outcome o, const std::string& reply,
             const std::string& status) {
  for (auto& r : out.recipients)
    if (r.outcome == Outcome::retry && r.reply.empty()) r = {r.address, o, reply, status};
}

void set_from(TransactionResult& out, const ServerReply& reply) {
  set_all(out, outcome_of(reply), reply.summary(), dsn::status_of(reply.enhanced, reply.code));
}

// STARTTLS as the policy says; the EHLO reply valid for MAIL.
Result<ServerReply> secure(SmtpClient& c, const Transaction& t, ServerReply ehlo) {
  const HostTls& tls = t.tls;
  auto refuse = [&](std::string_view why) {
    (void)c.command("QUIT");
    return make_error(fmt::format("{}{}: {}", kRefusedPrefix, tls.policy, why));
  };
  if (!smtp::offers(ehlo, "STARTTLS")) {
    if (tls.tls_required) return refuse("STARTTLS not offered");
    return ehlo;
  }
  auto go = c.command("STARTTLS");
  if (!go) return go.error();
  if (go->code != 220) {
    if (tls.tls_required) return refuse("STARTTLS refused: " + go->summary());
    return ehlo;  // offered, then refused: stay in plain text
  }
  if (auto started = c.start_tls(t.server_name, tls.check); !started)
    return tls.tls_required
               ? make_error(fmt::format("{}{}: {}", kRefusedPrefix, tls.policy, started.message()))
               : started.error();
  // Nothing is sent over a connection whose certificate the policy refuses.
  if (!c.peer_error().empty() && tls.check_required)
    return make_error(fmt::format("{}{}: {}", kRefusedPrefix, tls.policy, c.peer_error()));
  auto again = c.command("EHLO " + t.helo);
  if (!again) return again.error();
  if (!again->positive()) return make_error("EHLO after STARTTLS: " + again->summary());
  return std::move(*again);
}

// Greeting, EHLO, STARTTLS by the host's TLS policy; the EHLO reply valid for MAIL.
Result<ServerReply> hello(SmtpClient& c, const Transaction& t) {
  auto greeting = c.read_reply();
  if (!greeting) return greeting.error();
  if (greeting->code != 220) return make_error("greeting: " + greeting->summary());
  auto ehlo = c.command("EHLO " + t.helo);
  if (!ehlo) return ehlo.error();
  if (!ehlo->positive()) {
    auto helo = c.command("HELO " + t.helo);
    if (!helo) return helo.error();
    if (!helo->positive()) return make_error("HELO: " + helo->summary());
    if (t.tls.tls_required)
      return make_error(
          fmt::format("{}{}: EHLO refused, no STARTTLS", kRefusedPrefix, t.tls.policy));
    return std::move(*helo);
  }
  return secure(c, t, std::move(*ehlo));
}

// MAIL FROM with BODY and SIZE when offered, and RET and ENVID to a server with DSN.
std::string mail_command(const Transaction& t, const ServerReply& ehlo, bool dsn) {
  std::string mail = fmt::format("MAIL FROM:<{}>", t.sender);
  if (smtp::offers(ehlo, "8BITMIME")) mail += " BODY=8BITMIME";
  if (smtp::offers(ehlo, "SIZE") && t.size) mail += fmt::format(" SIZE={}", t.size);
  if (dsn && !t.dsn.ret.empty()) mail += " RET=" + t.dsn.ret;
  if (dsn && !t.dsn.envid.empty()) mail += " ENVID=" + smtp::encode_xtext(t.dsn.envid);
  return mail;
}

// RCPT TO with NOTIFY and ORCPT to a server with DSN.
std::string rcpt_command(const Transaction& t, const std::string& address, bool dsn) {
  std::string rcpt = fmt::format("RCPT TO:<{}>", address);
  auto options = t.dsn.recipients.find(address);
  if (!dsn || options == t.dsn.recipients.end()) return rcpt;
  const store::RecipientDsn& o = options->second;
  if (!o.notify.empty()) rcpt += " NOTIFY=" + o.notify;
  if (auto semi = o.orcpt.find(';'); semi != std::string::npos)
    rcpt +=
        " ORCPT=" + o.orcpt.substr(0, semi) + ";" + smtp::encode_xtext(o.orcpt.substr(semi + 1));
  return rcpt;
}

// A recipient's RCPT reply; true when it was accepted (its outcome then
// comes with the end of data).
bool rcpt_reply(RecipientOutcome& r, const ServerReply& reply) {
  if (reply.positive()) return true;
  r.outcome = outcome_of(reply);
  r.reply = reply.summary();
  r.status = dsn::status_of(reply.enhanced, reply.code);
  return false;
}

// RCPT for each recipient; true when at least one was accepted.
Result<bool> recipients(SmtpClient& c, const Transaction& t, TransactionResult& out) {
  bool any = false;
  for (auto& r : out.recipients) {
    auto reply = c.command(rcpt_command(t, r.address, out.dsn));
    if (!reply) return reply.error();
    any = rcpt_reply(r, *reply) || any;
  }
  return any;
}

// After a 354: the body, dot-stuffed, and the reply to its end.
Result<ServerReply> body(SmtpClient& c, const Transaction& t) {
  DotStuffer stuffer;
  auto sent = t.body([&](std::string_view piece) { return c.send(stuffer.put(piece)); });
  if (!sent) return sent.error();
  if (auto end = c.send(stuffer.finish()); !end) return end.error();
  return c.read_reply();
}

Result<ServerReply> data(SmtpClient& c, const Transaction& t) {
  auto go = c.command("DATA");
  if (!go) return go.error();
  if (go->code != 354) return std::move(*go);
  return body(c, t);
}

// PIPELINING (RFC 2920 3.1): MAIL, every RCPT and DATA in one write, their
// replies read in order, then the body after a 354 if MAIL and a recipient
// were accepted. A 354 without them gets the end of data at once, an empty
// message the server refuses. Every reply is read, so the session stays in
// step for the next message.
Result<void> pipelined(SmtpClient& c, const Transaction& t, const ServerReply& ehlo,
                       TransactionResult& out) {
  std::string batch = mail_command(t, ehlo, out.dsn) + "\r\n";
  for (const auto& r : out.recipients) batch += rcpt_command(t, r.address, out.dsn) + "\r\n";
  if (auto sent = c.send(batch + "DATA\r\n"); !sent) return sent.error();
  auto from = c.read_reply();
  if (!from) return from.error();
  bool any = false;
  for (auto& r : out.recipients) {
    auto reply = c.read_reply();
    if (!reply) return reply.error();
    if (from->positive()) any = rcpt_reply(r, *reply) || any;
  }
  auto go = c.read_reply();
  if (!go) return go.error();
  if (!from->positive()) set_from(out, *from);
  if (go->code != 354) {
    if (any) set_from(out, *go);
    return {};
  }
  if (!any || !from->positive()) {
    if (auto end = c.send(".\r\n"); !end) return end.error();
    auto refused = c.read_reply();
    if (!refused) return refused.error();
    return {};
  }
  auto end = body(c, t);
  if (!end) return end.error();
  set_from(out, *end);
  return {};
}

}  // namespace

Result<Session> open_session(std::unique_ptr<SmtpClient> client, const Transaction& t) {
  auto ehlo = hello(*client, t);
  if (!ehlo) return ehlo.error();
  return Session{std::move(client), std::move(*ehlo), 0};
}

TransactionResult send_message(Session& session, const Transaction& t) {
  SmtpClient& c = *session.client;
  ++session.messages;
  TransactionResult out;
  out.tls_version = c.tls_version();
  out.tls_cipher = c.tls_cipher();
  out.tls_failure = c.peer_error();
  for (const auto& a : t.recipients) out.recipients.push_back({a, Outcome::retry, "", ""});
  auto broken = [&](const Error& e) {
    set_all(out, Outcome::retry, "connection failed: " + e.message, "4.4.2");
    out.usable = false;
    return out;
  };
  out.dsn = smtp::offers(session.ehlo, "DSN");
  if (smtp::offers(session.ehlo, "PIPELINING")) {
    if (auto done = pipelined(c, t, session.ehlo, out); !done) return broken(done.error());
    out.usable = true;
    return out;
  }
  auto from = c.command(mail_command(t, session.ehlo, out.dsn));
  if (!from) return broken(from.error());
  out.usable = true;
  if (!from->positive()) {
    set_from(out, *from);
    return out;
  }
  auto any = recipients(c, t, out);
  if (!any) return broken(any.error());
  if (!*any) return out;
  auto end = data(c, t);
  if (!end) return broken(end.error());
  set_from(out, *end);
  return out;
}

bool reset(Session& session) {
  auto r = session.client->command("RSET");
  return r && r->code == 250;
}

void quit(Session& session) {
  (void)session.client->command("QUIT");
}

}  // namespace appliance::deliverd
