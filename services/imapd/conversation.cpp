// NAME
//   conversation.cpp - session events to logins, commands and the wire.
#include "imapd/conversation.h"

#include <type_traits>

#include "auth/cidr.h"
#include "common/log.h"
#include "proto/common/overload.h"
#include "proto/imap/response.h"

namespace appliance::imapd {

namespace {

std::string client_name(const imap::Id& id) {
  for (const auto& [k, v] : id.fields)
    if (imap::iequals(k, "name") && v) return *v;
  return {};
}

// Commands imap::Session answers itself; it never forwards them here. Naming
// them, rather than a catch-all, makes a new command without an action a
// compile error.
template <class T>
concept AnsweredBySession = std::is_same_v<T, imap::Capability> ||
    std::is_same_v<T, imap::Logout> || std::is_same_v<T, imap::Starttls> ||
    std::is_same_v<T, imap::Authenticate> || std::is_same_v<T, imap::Login> ||
    std::is_same_v<T, imap::Enable> || std::is_same_v<T, imap::Id> ||
    std::is_same_v<T, imap::Namespace> || std::is_same_v<T, imap::Idle>;

}  // namespace

Conversation::Conversation(const Services& services, imap::SessionConfig config,
                           std::string peer_address, Io io)
    : services_(services),
      session_(std::move(config)),
      append_limit_(session_.append_limit()),
      peer_(std::move(peer_address)),
      io_(std::move(io)) {}

Conversation::~Conversation() {
  idle_stop();
}

void Conversation::start() {
  session_.greet();
  flush();
}

void Conversation::received(std::string_view bytes) {
  if (gone_) return;
  session_.receive(bytes);
  flush();
}

void Conversation::closed() {
  gone_ = true;
  idle_stop();
}

void Conversation::goodbye(std::string_view why) {
  if (gone_) return;
  session_.shut_down(why);
  flush();
}

void Conversation::flush() {
  for (auto events = session_.take_events(); !events.empty(); events = session_.take_events())
    for (auto& e : events) {
      if (gone_) return;
      std::visit(Overload{
                     [&](imap::event::Send& s) { io_.send(std::move(s.text)); },
                     [&](imap::event::StartTls&) { start_tls(); },
                     [&](imap::event::Close&) {
                       gone_ = true;
                       idle_stop();
                       io_.close();
                     },
                     [&](imap::event::Login& l) { handle(std::move(l)); },
                     [&](imap::event::Request& r) { handle(std::move(r)); },
                     [&](imap::event::IdleStart&) { idle_start(); },
                     [&](imap::event::IdleDone&) { idle_stop(); },
                 },
                 e);
    }
}

void Conversation::start_tls() {
  io_.start_tls([self = shared_from_this()](bool ok) {
    if (self->gone_) return;
    self->session_.answer(ok ? imap::Answer::ok() : imap::Answer::no("TLS failed"));
    self->flush();
  });
}

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

void Conversation::handle(imap::event::Login login) {
  // SASL PLAIN may name someone else to act as; no account may act for another.
  if (!login.authzid.empty() && login.authzid != login.user)
    return session_.answer(imap::Answer::no("Authentication failed", "AUTHENTICATIONFAILED"));
  auto source = auth::parse_ip(peer_);
  auth::LoginAttempt attempt{login.user, std::move(login.password), auth::Protocol::imap,
                             source ? *source : auth::IpAddress{},
                             client_name(session_.client_id())};
  in_background([attempt = std::move(attempt)](Conversation& self) {
    auto outcome = self.services_.logins->login(attempt);
    imap::Answer a = outcome ? self.logged_in(*outcome) : store_failed(outcome.error());
    self.on_strand([a = std::move(a)](Conversation& c) { c.session_.answer(a); });
  });
}

// On a worker: the account's context, its default folders made if missing.
imap::Answer Conversation::logged_in(const auth::LoginOutcome& outcome) {
  if (!outcome.ok && outcome.retry_after.count() > 0)
    return imap::Answer::no("Too many attempts; try again later", "UNAVAILABLE");
  if (!outcome.ok) return imap::Answer::no("Authentication failed", "AUTHENTICATIONFAILED");
  auto tenant = services_.store->tenant(outcome.tenant);
  if (!tenant) return store_failed(tenant.error());
  if (auto r = ensure_default_folders(**tenant, outcome.account); !r)
    return store_failed(r.error());
  auto context = std::make_shared<Context>();
  context->tenant = std::move(*tenant);
  context->account = outcome.account;
  context->address = outcome.address;
  context->append_limit = append_limit_;
  context_ = context;
  log::info("logged in", {{"account", outcome.address}, {"protocol", "imap"}});
  imap::Answer a = imap::Answer::ok();
  a.account = outcome.address;
  return a;
}

void Conversation::handle(imap::event::Request request) {
  context_->utf8 = session_.utf8();
  context_->condstore_new = session_.condstore() && !context_->condstore;
  context_->condstore = session_.condstore();
  context_->qresync = session_.qresync();
  in_background([request = std::move(request)](Conversation& self) {
    std::lock_guard lock(self.context_->busy);
    imap::Answer a = self.act(request.tag, request.command);
    if (a.text.empty() && a.cond == imap::Cond::ok)
      a.text = imap::command_name(request.command) + " completed";
    self.on_strand([a = std::move(a)](Conversation& c) mutable {
      a.untagged = std::exchange(c.missed_, {}) + a.untagged;
      c.session_.answer(a);
    });
  });
}

// On a worker, with the context held.
imap::Answer Conversation::act(const std::string& tag, const imap::Command& command) {
  Context& c = *context_;
  // The session is in the selected state, but the mailbox may have been deleted meanwhile.
  bool needs_view = std::holds_alternative<imap::Fetch>(command) ||
                    std::holds_alternative<imap::Store>(command) ||
                    std::holds_alternative<imap::Search>(command) ||
                    std::holds_alternative<imap::Copy>(command) ||
                    std::holds_alternative<imap::Expunge>(command);
  if (needs_view && !c.selected) return imap::Answer::no("The mailbox is gone", "NONEXISTENT");
  std::string first;
  if (c.selected) {
    c.selected->set_modes(c.condstore, c.qresync);
    // RFC 7162 3.1: CONDSTORE enabled with a mailbox selected tells its HIGHESTMODSEQ.
    if (c.condstore_new && !std::holds_alternative<imap::Select>(command))
      first = imap::status_response(
          "", imap::Cond::ok, imap::code::highestmodseq(c.selected->mailbox().modseq), "Highest");
  }
  imap::Answer a = dispatch(c, tag, command);
  a.untagged = first + a.untagged;
  return a;
}

// On a worker: the command's own function.
imap::Answer Conversation::dispatch(Context& c, const std::string& tag,
                                    const imap::Command& command) {
  return std::visit(Overload{
                        [&](const imap::Select& s) { return select(c, s); },
                        [&](const imap::Close&) { return close(c, true); },
                        [&](const imap::Unselect&) { return close(c, false); },
                        [&](const imap::Noop&) { return imap::Answer::ok(updates(c, true)); },
                        [&](const imap::List& s) { return list(c, s); },
                        [&](const imap::Status& s) { return status(c, s); },
                        [&](const imap::Create& s) { return create(c, s); },
                        [&](const imap::Delete& s) { return remove(c, s); },
                        [&](const imap::Rename& s) { return rename(c, s); },
                        [&](const imap::Subscribe& s) { return subscribe(c, s); },
                        [&](const imap::Append& s) { return append(c, s); },
                        [&](const imap::Fetch& s) { return fetch(c, s); },
                        [&](const imap::Store& s) { return store(c, s); },
                        [&](const imap::Copy& s) { return copy(c, s); },
                        [&](const imap::Expunge& s) { return expunge(c, s); },
                        [&](const imap::Search& s) { return search(c, tag, s); },
                        [&](const imap::Quota& s) { return quota(c, s); },
                        [&]<AnsweredBySession T>(const T&) {
                          return imap::Answer{imap::Cond::bad, {}, "Command out of place", {}, {}};
                        },
                    },
                    command);
}

void Conversation::idle_start() {
  if (!services_.idle || !context_) return;
  std::weak_ptr<Conversation> weak = weak_from_this();
  idle_id_ = services_.idle->add([weak] {
    if (auto self = weak.lock()) self->io_.post([self] { self->poll(); });
  });
  poll();
}

void Conversation::idle_stop() {
  if (idle_id_ && services_.idle) services_.idle->remove(idle_id_);
  idle_id_ = 0;
}

// On the strand: one poll at a time; what changed is pushed if still idling.
void Conversation::poll() {
  if (gone_ || !session_.idling() || polling_) return;
  polling_ = true;
  in_background([](Conversation& self) {
    std::string u;
    {
      std::lock_guard lock(self.context_->busy);
      u = updates(*self.context_, true);
    }
    self.on_strand([u = std::move(u)](Conversation& c) {
      c.polling_ = false;
      if (u.empty()) return;
      if (c.session_.idling())
        c.session_.push(u);
      else
        c.missed_ += u;
    });
  });
}

}  // namespace appliance::imapd
