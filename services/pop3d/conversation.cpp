// NAME
//   conversation.cpp - session events to logins, the maildrop and the wire.
#include "pop3d/conversation.h"

#include "common/log.h"
#include "proto/common/overload.h"

namespace appliance::pop3d {

bool Window::acquire() {
  std::unique_lock lock(mutex_);
  auto stopping = [&] { return stopping_ && stopping_->load(); };
  // In slices: the daemon's stop cannot reach every window to wake it.
  for (auto waited = std::chrono::seconds(0); waited < kStall; waited += std::chrono::seconds(1))
    if (wake_.wait_for(lock, std::chrono::seconds(1),
                       [&] { return cancelled_ || stopping() || in_flight_ < kPieces; }))
      break;
  if (cancelled_ || stopping() || in_flight_ >= kPieces) return false;
  ++in_flight_;
  return true;
}

void Window::release() {
  std::lock_guard lock(mutex_);
  --in_flight_;
  wake_.notify_all();
}

void Window::cancel() {
  std::lock_guard lock(mutex_);
  cancelled_ = true;
  wake_.notify_all();
}

// RETR and TOP, streamed from a worker onto the strand piece by piece.
class Conversation::Retrieval final : public Stream {
 public:
  Retrieval(Conversation& c, std::shared_ptr<Window> window) : c_(c), window_(std::move(window)) {}
  void begin(std::string text) override {
    c_.on_strand([text = std::move(text)](Conversation& c) { c.session_.stream_begin(text); });
  }
  bool piece(std::string data) override {
    if (!window_->acquire()) return false;
    c_.on_strand([data = std::move(data), w = window_](Conversation& c) {
      c.session_.stream(data);
      c.flush();
      if (!c.io_.when_written) return w->release();
      c.io_.when_written([w] { w->release(); });
    });
    return true;
  }
  void end() override {
    c_.on_strand([](Conversation& c) { c.session_.stream_end(); });
  }
  void abort(std::string) override {
    c_.on_strand([](Conversation& c) {
      c.gone();
      c.io_.close();
    });
  }

 private:
  Conversation& c_;
  std::shared_ptr<Window> window_;
};

Conversation::Conversation(const Services& services, pop3::SessionConfig config,
                           std::string peer_address, Io io)
    : services_(services),
      session_(std::move(config)),
      peer_(std::move(peer_address)),
      io_(std::move(io)) {}

void Conversation::start() {
  session_.greet();
  flush();
}

void Conversation::received(std::string_view bytes) {
  if (gone_) return;
  session_.receive(bytes);
  flush();
}

void Conversation::closed() { gone(); }

void Conversation::gone() {
  gone_ = true;
  if (window_) window_->cancel();
}

void Conversation::goodbye(std::string_view why) {
  if (window_) window_->cancel();  // the worker must not wait for a client we leave
  if (gone_) return;
  session_.shut_down(why);
  flush();
}

void Conversation::flush() {
  for (auto events = session_.take_events(); !events.empty(); events = session_.take_events())
    for (auto& e : events) {
      if (gone_) return;
      std::visit(Overload{
                     [&](pop3::event::Send& s) { io_.send(std::move(s.text)); },
                     [&](pop3::event::StartTls&) { start_tls(); },
                     [&](pop3::event::Close&) {
                       gone();
                       io_.close();
                     },
                     [&](pop3::event::Login& l) { handle(std::move(l)); },
                     [&](pop3::event::Request& r) { handle(r); },
                 },
                 e);
    }
}

void Conversation::start_tls() {
  io_.start_tls([self = shared_from_this()](bool ok) {
    if (self->gone_) return;
    self->session_.answer(ok ? pop3::Answer::accept() : pop3::Answer::refuse("TLS failed"));
    self->flush();
  });
}

void Conversation::answer(pop3::Answer a) { session_.answer(std::move(a)); }

void Conversation::in_background(std::function<void(Conversation&)> work) {
  io_.work([self = shared_from_this(), work = std::move(work)] { work(*self); });
}

void Conversation::on_strand(std::function<void(Conversation&)> fn) {
  io_.post([self = shared_from_this(), fn = std::move(fn)] {
    if (self->gone_) return;
    fn(*self);
    self->flush();
  });
}

void Conversation::handle(pop3::event::Login login) {
  // SASL PLAIN may name someone else to act as; no account may act for another.
  if (!login.authzid.empty() && login.authzid != login.user)
    return answer(pop3::Answer::refuse("Authentication failed"));
  auto source = auth::parse_ip(peer_);
  auth::LoginAttempt attempt{login.user, std::move(login.password), auth::Protocol::pop3,
                             source ? *source : auth::IpAddress{}, ""};
  in_background([attempt = std::move(attempt)](Conversation& self) {
    auto outcome = self.services_.logins->login(attempt);
    if (!outcome) {
      log::error("login service failed", {{"error", outcome.message()}});
      return self.on_strand([](Conversation& c) {
        c.answer(pop3::Answer::refuse("Temporary failure; try again later", "SYS/TEMP"));
      });
    }
    auto [a, drop] = self.logged_in(*outcome);
    self.on_strand([a = std::move(a), drop = std::move(drop)](Conversation& c) {
      c.maildrop_ = drop;
      c.answer(a);
    });
  });
}

// On a worker: the maildrop of an account that logged in, or the refusal.
std::pair<pop3::Answer, std::shared_ptr<Maildrop>> Conversation::logged_in(
    const auth::LoginOutcome& outcome) {
  if (!outcome.ok && outcome.retry_after.count() > 0)
    return {pop3::Answer::refuse("Too many attempts; try again later", "SYS/TEMP"), nullptr};
  if (!outcome.ok) return {pop3::Answer::refuse("Authentication failed", "AUTH"), nullptr};
  auto tenant = services_.store->tenant(outcome.tenant);
  auto drop = tenant ? Maildrop::open(*tenant, outcome.account) : Result<Maildrop>(tenant.error());
  if (!drop) {
    log::error("maildrop not opened", {{"account", outcome.address}, {"error", drop.message()}});
    return {pop3::Answer::refuse("Maildrop not available; try again later", "SYS/TEMP"), nullptr};
  }
  log::info("logged in", {{"account", outcome.address}, {"messages", drop->size()}});
  pop3::Answer a = pop3::Answer::accept();
  a.account = outcome.address;
  return {std::move(a), std::make_shared<Maildrop>(std::move(*drop))};
}

void Conversation::handle(const pop3::event::Request& request) {
  Maildrop& m = *maildrop_;
  auto retrieve = [&](std::uint32_t n, std::optional<std::uint32_t> lines) {
    window_ = std::make_shared<Window>(services_.stopping);
    in_background([n, lines, window = window_](Conversation& self) {
      Retrieval out(self, window);
      if (auto refused = self.maildrop_->retrieve(n, lines, out))
        self.on_strand([a = std::move(*refused)](Conversation& c) { c.answer(a); });
    });
  };
  std::visit(Overload{
                 [&](const pop3::Stat&) { answer(m.stat()); },
                 [&](const pop3::List& c) { answer(m.list(c.message)); },
                 [&](const pop3::Uidl& c) { answer(m.uidl(c.message)); },
                 [&](const pop3::Dele& c) { answer(m.dele(c.message)); },
                 [&](const pop3::Rset&) { answer(m.rset()); },
                 [&](const pop3::Noop&) { answer(pop3::Answer::accept()); },
                 [&](const pop3::Retr& c) { retrieve(c.message, std::nullopt); },
                 [&](const pop3::Top& c) { retrieve(c.message, c.lines); },
                 [&](const pop3::Quit&) {
                   in_background([](Conversation& self) {
                     auto a = self.maildrop_->update();
                     self.on_strand([a = std::move(a)](Conversation& c) { c.answer(a); });
                   });
                 },
                 [&](const auto&) { answer(pop3::Answer::refuse("Not a maildrop command")); },
             },
             request.command);
}

}  // namespace appliance::pop3d
