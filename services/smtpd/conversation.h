// NAME
//   conversation.h - one SMTP connection: the proto session driven against
//   the account service and the store.
//
// DESCRIPTION
//   The network layer (net/link.h) calls start(), received(), goodbye() and
//   closed() on the connection's strand. The conversation feeds the bytes to a
//   smtp::Session and acts on its events: replies and TLS go to the Link;
//   questions (sender, recipient, credentials) are answered by a blocking
//   call on a worker (answers.h) whose verdict is posted back to the strand;
//   a message body streams into a Delivery (data.h), which is committed on a
//   worker, and only then does the session send "250 ... queued as <id>".
//   Mail on the MX port may first be scanned by a content filter (filter.h),
//   which can refuse it or have it filed as Junk.
//
//   While a question is open the session reads no further command: pipelined
//   input waits in its buffer (docs/smtp.md).
//
// SECURITY
//   Everything the client sends is untrusted and checked by the session
//   first. Nothing here logs a password: the credentials go straight to the
//   login service. Answers posted after the connection has gone are dropped.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "auth/directory.h"
#include "net/link.h"
#include "proto/smtp/session.h"
#include "smtpd/data.h"
#include "smtpd/dkim_sign.h"
#include "smtpd/inbound.h"
#include "smtpd/notices.h"
#include "store/store.h"

namespace appliance::smtpd {

// Runs a blocking call (a store commit, an Argon2 login) on a worker thread.
using RunBlocking = std::function<void(std::function<void()>)>;

// Shared by every connection of the daemon; outlives them all.
struct Backends {
  store::Store* store = nullptr;
  auth::Directory* directory = nullptr;
  auth::LoginService* logins = nullptr;
  RunBlocking run_blocking;
  std::string domain;                 // completes "<postmaster>"
  DkimSigner* dkim = nullptr;         // signs submissions (dkim_sign.h); none: unsigned
  dns::Resolver* resolver = nullptr;  // checks MX mail (inbound.h); none: unchecked
  ContentFilter* filter = nullptr;    // scans MX mail (filter.h); none: unscanned
  DmarcPolicy dmarc = DmarcPolicy::enforce;  // what a DMARC failure does (inbound.h)
  std::filesystem::path spool;        // where a large held message spills, sealed
  SendingLimits sending;              // submissions to other domains (sending.h)
};

class SmtpConversation final : public net::Conversation,
                               public std::enable_shared_from_this<SmtpConversation> {
 public:
  SmtpConversation(const Backends& backends, smtp::SessionConfig config);

  void start(std::shared_ptr<net::Link> link) override;
  void received(std::string_view bytes) override;
  void goodbye(std::string_view why) override;
  void closed() override;

 private:
  void pump();
  void on(smtp::event::Send& e);
  void on(smtp::event::StartTls&);
  void on(smtp::event::Close&);
  void on(smtp::event::CheckSender& e);
  void on(smtp::event::CheckRecipient& e);
  void on(smtp::event::Authenticate& e);
  void on(smtp::event::MessageBegin&);
  void on(smtp::event::MessageData& e);
  void on(smtp::event::MessageEnd& e);
  void on(smtp::event::MessageAbort&);
  // Runs `blocking` on a worker, then `then` with its result on the strand.
  template <class T>
  void ask(std::function<T()> blocking, std::function<void(T)> then);
  // A callable for any thread that runs `then` on the strand, unless the connection went.
  template <class T>
  std::function<void(T)> on_strand(std::function<void(T)> then);
  void answer(smtp::Verdict verdict);
  Result<std::shared_ptr<MessageHold>> make_hold();
  // How a message ended: stored or not, unless the content filter refused it.
  struct Stored {
    Result<void> result;
    smtp::Reply refusal;  // not empty: refused by the filter, nothing stored
    std::string filtered;  // the filter's summary, for the log
  };
  void commit(std::shared_ptr<Delivery> delivery, std::int64_t now,
              std::function<void(Stored)> committed);
  std::string trace_header() const;

  const Backends& backends_;
  smtp::Session session_;
  smtp::Mode mode_;
  std::string hostname_;
  std::weak_ptr<net::Link> link_;  // the link owns this conversation
  net::Peer peer_;
  bool gone_ = false;

  // The transaction: accepted recipients and where their mail goes.
  std::vector<std::string> recipients_;
  Delivery::Parts prepared_;  // one blob per recipient account, opened at RCPT
  std::vector<SuccessRequest> success_;  // MX recipients that asked for NOTIFY=SUCCESS
  std::string queue_id_;
  std::shared_ptr<Delivery> delivery_;
  std::string delivery_error_;  // the first store fault while receiving
  std::string sender_domain_, sender_;
  smtp::MailParams mail_params_;       // RET and ENVID go to the queued copy
  std::shared_ptr<MessageHold> hold_;  // held until the fields above it are known
  std::shared_ptr<Delivery::Parts> held_parts_;
  std::string held_trace_;
};

}  // namespace appliance::smtpd
