// NAME
//   conversation.cpp - the SMTP session driven against accounts and store.
#include "smtpd/conversation.h"

#include <fmt/format.h>

#include <atomic>
#include <ctime>

#include "common/log.h"
#include "smtpd/answers.h"
#include "smtpd/received.h"
#include "store/crypto.h"

namespace appliance::smtpd {

namespace {

std::string new_queue_id() {
  static std::atomic<std::uint64_t> counter{0};
  auto bytes = store::crypto::random_bytes(8);
  if (bytes) return store::crypto::hex(*bytes);
  // Without the CSPRNG only uniqueness matters here.
  return fmt::format("{:x}{:08x}", std::time(nullptr), ++counter);
}

}  // namespace

SmtpConversation::SmtpConversation(const Backends& backends, smtp::SessionConfig config)
    : backends_(backends), session_(config), mode_(config.mode), hostname_(config.hostname) {}

void SmtpConversation::start(std::shared_ptr<net::Link> link) {
  link_ = link;
  peer_ = link->peer();
  session_.greet();
  pump();
}

void SmtpConversation::received(std::string_view bytes) {
  if (gone_ || session_.closed()) return;
  session_.receive(bytes);
  pump();
}

void SmtpConversation::goodbye(std::string_view why) {
  if (gone_ || session_.closed()) return;
  session_.shut_down(why);
  pump();
}

void SmtpConversation::closed() {
  gone_ = true;
  // Workers may still hold this object a while: let go of the blobs (and their commit intents) now.
  prepared_.clear();
  delivery_.reset();
  hold_.reset();
}

void SmtpConversation::pump() {
  for (auto events = session_.take_events(); !events.empty(); events = session_.take_events())
    for (auto& e : events) std::visit([this](auto& ev) { on(ev); }, e);
}

void SmtpConversation::answer(smtp::Verdict verdict) {
  if (gone_) return;
  session_.answer(std::move(verdict));
  pump();
}

template <class T>
std::function<void(T)> SmtpConversation::on_strand(std::function<void(T)> then) {
  auto self = shared_from_this();
  return [self, then = std::move(then)](T value) {
    auto result = std::make_shared<T>(std::move(value));
    if (auto link = self->link_.lock())
      link->post([self, then, result] {
        if (!self->gone_) then(std::move(*result));
      });
  };
}

template <class T>
void SmtpConversation::ask(std::function<T()> blocking, std::function<void(T)> then) {
  backends_.run_blocking(
      [blocking = std::move(blocking), back = on_strand(std::move(then))] { back(blocking()); });
}

void SmtpConversation::on(smtp::event::Send& e) {
  if (auto link = link_.lock()) link->send(std::move(e.text));
}

void SmtpConversation::on(smtp::event::StartTls&) {
  auto link = link_.lock();
  if (!link) return;
  auto self = shared_from_this();
  std::weak_ptr<net::Link> weak = link;
  link->start_tls([self, weak](bool ok) {
    if (auto l = weak.lock()) self->peer_ = l->peer();  // now with TLS version and cipher
    self->answer(ok ? smtp::Verdict::accept() : smtp::Verdict::refuse());
  });
}

void SmtpConversation::on(smtp::event::Close&) {
  if (auto link = link_.lock()) link->close();
}

void SmtpConversation::on(smtp::event::CheckSender& e) {
  // A new MAIL starts a new envelope.
  recipients_.clear();
  prepared_.clear();
  sender_domain_ = e.sender.domain;
  auto* directory = backends_.directory;
  smtp::Mode mode = mode_;
  ask<smtp::Verdict>(
      [directory, mode, q = std::move(e)] { return check_sender(*directory, mode, q); },
      [this](smtp::Verdict v) { answer(std::move(v)); });
}

namespace {

// A recipient's answer and, when accepted, a blob opened for each of its accounts.
struct Prepared {
  smtp::Verdict verdict;
  Delivery::Parts parts;
};

}  // namespace

void SmtpConversation::on(smtp::event::CheckRecipient& e) {
  auto* directory = backends_.directory;
  auto* store = backends_.store;
  smtp::Mode mode = mode_;
  std::string address = recipient_address(e.recipient, backends_.domain);
  ask<Prepared>(
      [directory, store, mode, address] {
        auto a = check_recipient(*directory, mode, address);
        if (!a.verdict.accepted) return Prepared{std::move(a.verdict), {}};
        // The store reads and keyd requests of opening blobs happen here, not on the strand.
        auto parts = Delivery::prepare(*store, a.accounts);
        if (parts) return Prepared{std::move(a.verdict), std::move(*parts)};
        log::warning("recipient's store not ready",
                     {{"recipient", address}, {"error", parts.message()}});
        return Prepared{recipient_unavailable(), {}};
      },
      [this, address](Prepared p) {
        if (p.verdict.accepted) {
          recipients_.push_back(address);
          Delivery::merge(prepared_, std::move(p.parts));
        } else {
          log::info("recipient refused", {{"recipient", address},
                                          {"client", peer_.address},
                                          {"reply", p.verdict.refusal.summary()}});
        }
        answer(std::move(p.verdict));
      });
}

void SmtpConversation::on(smtp::event::Authenticate& e) {
  auto* logins = backends_.logins;
  const auto& hello = session_.client_hello();
  LoginContext context{peer_.address, hello ? hello->domain : std::string()};
  ask<smtp::Verdict>(
      [logins, context, credentials = std::move(e.credentials)] {
        return authenticate(*logins, credentials, context);
      },
      [this](smtp::Verdict v) { answer(std::move(v)); });
}

std::string SmtpConversation::trace_header() const {
  const net::Peer& peer = peer_;
  const auto& hello = session_.client_hello();
  Trace t;
  t.helo = hello ? hello->domain : "unknown";
  t.extended = hello ? hello->extended : true;
  t.address = peer.address;
  t.hostname = hostname_;
  t.tls = session_.tls();
  t.tls_version = peer.tls_version;
  t.tls_cipher = peer.tls_cipher;
  t.authenticated = session_.account().has_value();
  t.id = queue_id_;
  if (recipients_.size() == 1) t.recipient = recipients_.front();
  t.when = std::time(nullptr);
  return received_header(t);
}

void SmtpConversation::on(smtp::event::MessageBegin&) {
  queue_id_ = new_queue_id();
  delivery_error_.clear();
  auto d = Delivery::begin(std::exchange(prepared_, {}), trace_header());
  if (!d) {
    delivery_error_ = d.message();
    delivery_.reset();
    return;
  }
  delivery_ = std::move(*d);
  if (mode_ != smtp::Mode::submission || !backends_.dkim || sender_domain_.empty()) return;
  auto hold = DkimHold::start(backends_.dkim->spool);
  if (!hold) {
    delivery_error_ = hold.message();
    delivery_.reset();
    return;
  }
  hold_ = std::move(*hold);
}

void SmtpConversation::on(smtp::event::MessageData& e) {
  if (!delivery_) return;
  if (auto w = hold_ ? hold_->write(e.bytes) : delivery_->write(e.bytes); !w) {
    delivery_error_ = w.message();
    delivery_.reset();  // stop storing; the refusal comes at the end
    hold_.reset();
  }
}

void SmtpConversation::on(smtp::event::MessageEnd& e) {
  std::shared_ptr<Delivery> delivery = std::exchange(delivery_, nullptr);
  if (!delivery) {
    log::warning("message not stored", {{"id", queue_id_}, {"error", delivery_error_}});
    return answer(smtp::Verdict::refuse());  // 451 4.3.0
  }
  std::string id = queue_id_;
  std::int64_t now = std::time(nullptr);
  std::uint64_t size = e.size;
  commit(
      delivery, now,
      on_strand<Result<void>>([this, id, size](Result<void> r) {
        if (!r) {
          log::warning("message not stored", {{"id", id}, {"error", r.message()}});
          return answer(smtp::Verdict::refuse());
        }
        log::info("message accepted", {{"id", id}, {"size", size}, {"client", peer_.address}});
        answer(smtp::Verdict::accept(id));
      }));
}

// A held submission is signed on a worker (keyd), then replayed into the delivery.
void SmtpConversation::commit(std::shared_ptr<Delivery> delivery, std::int64_t now,
                              std::function<void(Result<void>)> committed) {
  std::shared_ptr<DkimHold> hold = std::exchange(hold_, nullptr);
  if (!hold) return Delivery::commit(delivery, backends_.run_blocking, now, committed);
  backends_.run_blocking([hold, delivery, now, committed, signer = backends_.dkim,
                          domain = sender_domain_, run = backends_.run_blocking] {
    auto r = hold->sign_into(*signer, domain, static_cast<std::uint64_t>(now),
                             [&](std::string_view bytes) { return delivery->write(bytes); });
    if (!r) return committed(make_error("dkim: " + r.message()));
    Delivery::commit(delivery, run, now, committed);
  });
}

void SmtpConversation::on(smtp::event::MessageAbort&) {
  delivery_.reset();
  hold_.reset();
}

}  // namespace appliance::smtpd
