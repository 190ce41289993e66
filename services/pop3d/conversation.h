// NAME
//   conversation.h - one POP3 connection: the session, the login and the
//   maildrop, without sockets.
//
// DESCRIPTION
//   The connection layer (services/net) calls start(), received(), closed()
//   and goodbye() on the connection's strand; the conversation answers
//   through Io. Blocking work (a login, which runs Argon2; every store call)
//   goes to Io::work, a worker thread, and its result comes back through
//   Io::post onto the strand, where the session is answered. Only the
//   strand touches the session; the maildrop is touched by one side at a
//   time, since the session asks one question at a time.
//
//   Tests drive a whole dialogue with strings: Io's functions then queue
//   the work and run it when the test says.
//
// SECURITY
//   The client's bytes go only to pop3::Session. The password reaches
//   LoginService as a Secret and nothing logs it; a refused login gives the
//   client "[AUTH] Authentication failed" whatever the reason (directory.h).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "auth/directory.h"
#include "pop3d/maildrop.h"
#include "proto/pop3/session.h"
#include "store/store.h"

namespace appliance::pop3d {

struct Io {
  std::function<void(std::string bytes)> send;
  std::function<void(std::function<void(bool ok)> done)> start_tls;
  std::function<void()> close;                           // after what was sent
  std::function<void(std::function<void()>)> work;       // on a worker thread
  std::function<void(std::function<void()>)> post;       // back on the strand
  // On the strand, once what was sent is written; empty: at once.
  std::function<void(std::function<void()>)> when_written;
};

// RETR and TOP of a large message: the worker reading the store waits while
// kPieces of it are sent but not yet written, so a client that reads slowly
// holds a few pieces of server memory, not the whole message.
class Window {
 public:
  static constexpr int kPieces = 4;
  // `stopping`: the daemon's, set when it stops; a waiting worker then gives up.
  explicit Window(const std::atomic<bool>* stopping = nullptr) : stopping_(stopping) {}
  // Waits for room; false when cancelled (the client is gone), the daemon
  // stops, or the client has read nothing for kStall.
  bool acquire();
  void release();
  void cancel();

 private:
  static constexpr std::chrono::seconds kStall{300};
  const std::atomic<bool>* stopping_;
  std::mutex mutex_;
  std::condition_variable wake_;
  int in_flight_ = 0;
  bool cancelled_ = false;
};

// What every connection of the daemon shares; outlives them all.
struct Services {
  auth::LoginService* logins = nullptr;
  store::Store* store = nullptr;
  const std::atomic<bool>* stopping = nullptr;  // the daemon is stopping
};

class Conversation : public std::enable_shared_from_this<Conversation> {
 public:
  Conversation(const Services& services, pop3::SessionConfig config, std::string peer_address,
               Io io);

  void start();
  void received(std::string_view bytes);
  void closed();
  // Idle, or the daemon is stopping: -ERR [SYS/TEMP] why, then close.
  void goodbye(std::string_view why);

 private:
  class Retrieval;

  void flush();
  void handle(pop3::event::Login login);
  void handle(const pop3::event::Request& request);
  void start_tls();
  void in_background(std::function<void(Conversation&)> work);
  void on_strand(std::function<void(Conversation&)> fn);
  void answer(pop3::Answer a);
  void gone();  // nothing more is sent; a waiting retrieval stops
  std::pair<pop3::Answer, std::shared_ptr<Maildrop>> logged_in(const auth::LoginOutcome& outcome);

  const Services& services_;
  pop3::Session session_;
  std::string peer_;
  Io io_;
  std::shared_ptr<Maildrop> maildrop_;  // after login
  bool gone_ = false;  // the connection is closed: nothing more is sent
  std::shared_ptr<Window> window_;  // of the retrieval under way
};

}  // namespace appliance::pop3d
