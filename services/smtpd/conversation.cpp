// NAME
//   conversation.cpp - the SMTP session driven against accounts and store.
#include "smtpd/conversation.h"

#include <fmt/format.h>

#include <atomic>
#include <ctime>

#include "common/counters_report.h"
#include "common/log.h"
#include "smtpd/answers.h"
#include "smtpd/outbound.h"
#include "smtpd/received.h"
#include "store/crypto.h"

namespace appliance::smtpd {

namespace {

// Eight bytes of the CSPRNG, drawn for 32 ids at a time: a call to it cost some
// microseconds, about 1% of smtpd's CPU per message. The bytes are no secret:
// each id goes out in the Received field.
std::string new_queue_id() {
  constexpr std::size_t kId = 8, kDrawn = 32 * kId;
  static std::atomic<std::uint64_t> counter{0};
  thread_local std::string drawn;
  thread_local std::size_t used = 0;
  if (used == drawn.size()) {
    auto bytes = store::crypto::random_bytes(kDrawn);
    // Without the CSPRNG only uniqueness matters here.
    if (!bytes) return fmt::format("{:x}{:08x}", std::time(nullptr), ++counter);
    drawn = std::move(*bytes), used = 0;
  }
  used += kId;
  return store::crypto::hex(std::string_view(drawn).substr(used - kId, kId));
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
  held_parts_.reset();
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
  success_.clear();
  sender_domain_ = e.sender.domain;
  sender_ = e.sender.null() ? std::string() : e.sender.text();
  mail_params_ = e.params;
  auto* directory = backends_.directory;
  // On MX every sender is taken (SPF comes at the end): no store read, no worker.
  if (mode_ == smtp::Mode::mx) return answer(check_sender(*directory, mode_, e));
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
  bool remote = false;  // for the queue
};

}  // namespace

void SmtpConversation::on(smtp::event::CheckRecipient& e) {
  auto* directory = backends_.directory;
  auto* store = backends_.store;
  smtp::Mode mode = mode_;
  std::string address = recipient_address(e.recipient, backends_.domain);
  // The queued copy's blob is opened with the first remote recipient (outbound.h).
  bool queued = has_outbound(prepared_);
  std::string account = session_.account().value_or(""), sender = sender_;
  SendingLimits limits = backends_.sending;
  ask<Prepared>(
      [directory, store, mode, address, queued, account, sender, limits] {
        auto a = within_quota(*store, check_recipient(*directory, mode, address));
        if (!a.verdict.accepted) return Prepared{std::move(a.verdict), {}, false};
        // The store reads and keyd requests of opening blobs happen here, not on the strand.
        auto parts = !a.remote ? Delivery::prepare(*store, a.accounts)
                     : queued  ? Result<Delivery::Parts>(Delivery::Parts{})
                               : prepare_outbound(*store, *directory, account, sender, limits,
                                                  std::time(nullptr));
        if (parts) return Prepared{std::move(a.verdict), std::move(*parts), a.remote};
        log::warning("recipient's store not ready",
                     {{"recipient", address}, {"error", parts.message()}});
        return Prepared{recipient_unavailable(), {}, false};
      },
      [this, address, params = e.params](Prepared p) {
        if (p.verdict.accepted && p.remote)
          if (auto refusal = sending_refusal(prepared_, p.parts, backends_.sending))
            p = Prepared{smtp::Verdict::refuse(std::move(*refusal)), {}, false};
        if (p.verdict.accepted) {
          recipients_.push_back(address);
          if (mode_ == smtp::Mode::mx && !p.remote && !p.parts.empty() &&
              (params.notify & smtp::notify_success))
            success_.push_back({address,
                                params.orcpt.empty() ? "" : params.orcpt_type + ";" + params.orcpt,
                                p.parts.front().tenant, p.parts.front().account});
          Delivery::merge(prepared_, std::move(p.parts));
          if (p.remote) add_outbound_recipient(prepared_, address, mail_params_, params);
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

// Submissions to sign, and mail on the MX port to check, are held to their
// end (hold.h): the fields that go above them need the whole message.
Result<std::shared_ptr<MessageHold>> SmtpConversation::make_hold() {
  std::shared_ptr<MessageHold> none;
  if (mode_ == smtp::Mode::submission) {
    if (!backends_.dkim || sender_domain_.empty()) return none;
    auto may_send_as = [directory = backends_.directory,
                        account = session_.account().value_or("")](const std::string& address) {
      auto r = directory->may_send_as(account, address);
      return r && *r;
    };
    auto h = DkimHold::start(backends_.spool, *backends_.dkim, sender_domain_, may_send_as);
    if (!h) return h.error();
    return std::shared_ptr<MessageHold>(std::move(*h));
  }
  if (!backends_.resolver) return none;
  const auto& hello = session_.client_hello();
  Envelope envelope{peer_.address, hello ? hello->domain : std::string(), sender_, recipients_,
                    queue_id_};
  auto h = InboundHold::start(backends_.spool, *backends_.resolver, envelope, hostname_,
                              backends_.filter, backends_.dmarc);
  if (!h) return h.error();
  return std::shared_ptr<MessageHold>(std::move(*h));
}

void SmtpConversation::on(smtp::event::MessageBegin&) {
  queue_id_ = new_queue_id();
  delivery_error_.clear();
  auto hold = make_hold();
  if (!hold) {
    delivery_error_ = hold.message();
    prepared_.clear();
    return;
  }
  if (*hold) {  // the delivery begins at the end, with the fields above the message
    hold_ = std::move(*hold);
    held_parts_ = std::make_shared<Delivery::Parts>(std::exchange(prepared_, {}));
    held_trace_ = trace_header();
    return;
  }
  auto d = Delivery::begin(std::exchange(prepared_, {}), trace_header());
  if (!d) {
    delivery_error_ = d.message();
    delivery_.reset();
    return;
  }
  delivery_ = std::move(*d);
}

void SmtpConversation::on(smtp::event::MessageData& e) {
  if (hold_) {
    if (auto w = hold_->write(e.bytes); !w) {
      delivery_error_ = w.message();
      hold_.reset();  // stop holding; the refusal comes at the end
      held_parts_.reset();
    }
    return;
  }
  if (!delivery_) return;
  if (auto w = delivery_->write(e.bytes); !w) {
    delivery_error_ = w.message();
    delivery_.reset();  // stop storing; the refusal comes at the end
  }
}

void SmtpConversation::on(smtp::event::MessageEnd& e) {
  std::shared_ptr<Delivery> delivery = std::exchange(delivery_, nullptr);
  if (!delivery && !hold_) {
    log::warning("message not stored", {{"id", queue_id_}, {"error", delivery_error_}});
    return answer(smtp::Verdict::refuse());  // 451 4.3.0
  }
  std::string id = queue_id_;
  std::int64_t now = std::time(nullptr);
  std::uint64_t size = e.size;
  commit(delivery, now, on_strand<Stored>([this, id, size](Stored s) {
           if (!s.filtered.empty())
             log::info("message filtered", {{"id", id}, {"client", peer_.address},
                                            {"filter", s.filtered}});
           if (!s.refusal.empty()) {
             log::info("message refused", {{"id", id}, {"reply", s.refusal.summary()}});
             return answer(smtp::Verdict::refuse(std::move(s.refusal)));
           }
           if (!s.result) {
             log::warning("message not stored", {{"id", id}, {"error", s.result.message()}});
             return answer(smtp::Verdict::refuse());
           }
           log::info("message accepted", {{"id", id}, {"size", size}, {"client", peer_.address}});
           process_counters().message_in(std::time(nullptr));
           answer(smtp::Verdict::accept(id));
         }));
}

// On one worker: for a held message the fields above it (keyd, DNS, the
// content filter), then the delivery begins with them and the trace header,
// and the message follows, unless the filter refused it; then the appends,
// and, once the 250 is on its way, the reports NOTIFY=SUCCESS asked for.
void SmtpConversation::commit(std::shared_ptr<Delivery> delivery, std::int64_t now,
                              std::function<void(Stored)> committed) {
  std::shared_ptr<MessageHold> hold = std::exchange(hold_, nullptr);
  auto stored = [committed](Result<void> r, std::string filtered = {}) {
    committed(Stored{std::move(r), {}, std::move(filtered)});
  };
  if (!hold)
    return backends_.run_blocking([delivery, run = backends_.run_blocking, now, stored] {
      Delivery::commit(delivery, run, now, stored);
    });
  DeliveredMessage delivered;  // only for the rare message that asked for reports
  if (!success_.empty())
    delivered = {.hostname = hostname_,
                 .sender = sender_,
                 .queue_id = queue_id_,
                 .envid = mail_params_.envid.value_or(""),
                 .arrival = now};
  backends_.run_blocking([hold, parts = std::exchange(held_parts_, nullptr), trace = held_trace_,
                          now, committed, stored, run = backends_.run_blocking,
                          success = std::exchange(success_, {}), delivered,
                          signer = backends_.dkim]() mutable {
    auto above = hold->above(static_cast<std::uint64_t>(now));
    if (!above) return stored(make_error("held message: " + above.message()));
    Filtering f = hold->filtering();
    if (f.outcome == Filtering::Outcome::refuse)
      return committed(Stored{{}, std::move(f.refusal), std::move(f.summary)});
    auto d = Delivery::begin(std::move(*parts), *above + trace);
    if (!d) return stored(d.error(), f.summary);
    std::shared_ptr<Delivery> delivery = std::move(*d);
    if (f.outcome == Filtering::Outcome::junk) delivery->file_into(std::string(kJunk));
    auto r = hold->replay([&](std::string_view bytes) { return delivery->write(bytes); });
    if (!r) return stored(r, f.summary);
    // Only to a sender SPF vouched for, and not for junk (notices.h).
    if (!hold->sender_verified() || f.outcome == Filtering::Outcome::junk) success.clear();
    if (!success.empty()) delivered.header = hold->header();
    Delivery::commit(delivery, run, now,
                     [stored, summary = f.summary, success = std::move(success),
                      delivered = std::move(delivered), signer](Result<void> r) {
                       bool ok = r.ok();
                       stored(std::move(r), summary);
                       if (ok && !success.empty())
                         queue_delivered_notices(success, delivered, signer);
                     });
  });
}

void SmtpConversation::on(smtp::event::MessageAbort&) {
  delivery_.reset();
  hold_.reset();
  held_parts_.reset();
}

}  // namespace appliance::smtpd
