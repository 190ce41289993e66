// NAME
//   conversation.h - one IMAP connection: the session, the login and the
//   commands that act on the store, without sockets.
//
// DESCRIPTION
//   The connection layer (services/net) calls start(), received(), closed()
//   and goodbye() on the connection's strand; the conversation answers
//   through Io. Every store call and the login (Argon2) run on a worker
//   (Io::work) and come back through Io::post onto the strand, where the
//   session is answered. Only the strand touches the session; the Context
//   (account, selected mailbox) is touched by one worker job at a time.
//
//   While the client idles, the IdleHub has the conversation poll its
//   mailbox and push what changed (EXISTS, EXPUNGE, FETCH FLAGS).
//
//   Tests drive a whole dialogue with strings: Io's functions then queue
//   the work and run it when the test says.
//
// SECURITY
//   The client's bytes go only to imap::Session. The password reaches
//   LoginService as a Secret and nothing logs it; a refused login gets
//   "[AUTHENTICATIONFAILED]" whatever the reason (directory.h). After login
//   every store call names the account that logged in.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "auth/directory.h"
#include "imapd/commands.h"
#include "imapd/idle_hub.h"
#include "proto/imap/session.h"
#include "store/store.h"

namespace appliance::imapd {

struct Io {
  std::function<void(std::string bytes)> send;
  std::function<void(std::function<void(bool ok)> done)> start_tls;
  std::function<void()> close;                      // after what was sent
  std::function<void(std::function<void()>)> work;  // on a worker thread
  std::function<void(std::function<void()>)> post;  // back on the strand
};

// What every connection of the daemon shares; outlives them all.
struct Services {
  auth::LoginService* logins = nullptr;
  store::Store* store = nullptr;
  IdleHub* idle = nullptr;
};

class Conversation : public std::enable_shared_from_this<Conversation> {
 public:
  Conversation(const Services& services, imap::SessionConfig config, std::string peer_address,
               Io io);
  ~Conversation();

  void start();
  void received(std::string_view bytes);
  void closed();
  // Idle, or the daemon is stopping: "* BYE why", then close.
  void goodbye(std::string_view why);

 private:
  void flush();
  void handle(imap::event::Login login);
  void handle(imap::event::Request request);
  void idle_start();
  void idle_stop();
  void poll();
  void start_tls();
  void in_background(std::function<void(Conversation&)> work);
  void on_strand(std::function<void(Conversation&)> fn);
  imap::Answer logged_in(const auth::LoginOutcome& outcome);
  imap::Answer act(const std::string& tag, const imap::Command& command);
  static imap::Answer dispatch(Context& c, const std::string& tag, const imap::Command& command);

  const Services& services_;
  imap::Session session_;
  const std::uint64_t append_limit_;  // the session's, for workers to read
  std::string peer_;
  Io io_;
  std::shared_ptr<Context> context_;  // after login
  std::uint64_t idle_id_ = 0;         // registered with the IdleHub while idling
  bool polling_ = false;
  std::string missed_;  // a poll's updates that came after IDLE ended: sent with the next answer
  bool gone_ = false;
};

}  // namespace appliance::imapd
