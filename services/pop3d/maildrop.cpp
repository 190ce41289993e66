// NAME
//   maildrop.cpp - the INBOX snapshot, its listings, and RETR, TOP and UPDATE.
#include "pop3d/maildrop.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/log.h"
#include "proto/pop3/response.h"

namespace appliance::pop3d {
Result<Maildrop> Maildrop::open(std::shared_ptr<store::TenantStore> store, store::Id account) {
  auto boxes = store->mailboxes(account);
  if (!boxes) return boxes.error();
  auto inbox = std::find_if(boxes->begin(), boxes->end(),
                            [](const store::Mailbox& m) { return m.name == "INBOX"; });
  if (inbox == boxes->end()) return make_error(fmt::format("account {} has no INBOX", account));
  auto messages = store->messages(account, inbox->id);
  if (!messages) return messages.error();
  std::vector<Entry> entries;
  entries.reserve(messages->size());
  for (const store::Message& m : *messages) entries.push_back({m.id, m.uid, m.size, false});
  return Maildrop(std::move(store), account, *inbox, std::move(entries));
}

std::string Maildrop::unique_id(const Entry& e) const {
  return fmt::format("{:08X}{:08X}", e.uid, inbox_.uidvalidity);
}

Result<const Maildrop::Entry*> Maildrop::find(std::uint32_t n) const {
  if (n == 0 || n > entries_.size())
    return make_error(fmt::format("No message {}; the maildrop has {}", n, entries_.size()));
  const Entry& e = entries_[n - 1];
  if (e.deleted) return make_error(fmt::format("Message {} is deleted", n));
  return &e;
}

Result<Maildrop::Entry*> Maildrop::find(std::uint32_t n) {
  auto e = std::as_const(*this).find(n);
  if (!e) return e.error();
  return const_cast<Entry*>(*e);
}

std::pair<std::uint64_t, std::uint64_t> Maildrop::totals() const {
  std::uint64_t count = 0, octets = 0;
  for (const Entry& e : entries_)
    if (!e.deleted) ++count, octets += e.size;
  return {count, octets};
}

std::string Maildrop::summary() const {
  auto [count, octets] = totals();
  return fmt::format("{} messages ({} octets)", count, octets);
}

pop3::Answer Maildrop::stat() const {
  auto [count, octets] = totals();
  return pop3::Answer::accept(fmt::format("{} {}", count, octets));
}

pop3::Answer Maildrop::list(std::optional<std::uint32_t> n) const {
  if (n) {
    auto e = find(*n);
    if (!e) return pop3::Answer::refuse(e.message());
    return pop3::Answer::accept(fmt::format("{} {}", *n, (*e)->size));
  }
  std::string data;
  for (std::size_t i = 0; i < entries_.size(); ++i)
    if (!entries_[i].deleted) data += fmt::format("{} {}\r\n", i + 1, entries_[i].size);
  return pop3::Answer::accept(summary(), std::move(data));
}

pop3::Answer Maildrop::uidl(std::optional<std::uint32_t> n) const {
  if (n) {
    auto e = find(*n);
    if (!e) return pop3::Answer::refuse(e.message());
    return pop3::Answer::accept(fmt::format("{} {}", *n, unique_id(**e)));
  }
  std::string data;
  for (std::size_t i = 0; i < entries_.size(); ++i)
    if (!entries_[i].deleted) data += fmt::format("{} {}\r\n", i + 1, unique_id(entries_[i]));
  return pop3::Answer::accept("Unique-ID listing follows", std::move(data));
}

pop3::Answer Maildrop::dele(std::uint32_t n) {
  auto e = find(n);
  if (!e) return pop3::Answer::refuse(e.message());
  (*e)->deleted = true;
  return pop3::Answer::accept(fmt::format("Message {} deleted", n));
}

pop3::Answer Maildrop::rset() {
  for (Entry& e : entries_) e.deleted = false;
  return pop3::Answer::accept("Maildrop has " + summary());
}

std::optional<pop3::Answer> Maildrop::retrieve(std::uint32_t n,
                                               std::optional<std::uint32_t> lines,
                                               Stream& out) {
  auto found = find(n);
  if (!found) return pop3::Answer::refuse(found.message());
  const Entry& e = **found;
  std::optional<pop3::TopCut> cut;
  if (lines) cut.emplace(*lines);
  bool begun = false, enough = false, stopped = false;
  auto read = store_->read(account_, e.id, [&](std::string_view plain) -> Result<void> {
    if (!begun) out.begin(lines ? "Top of message follows" : fmt::format("{} octets", e.size));
    begun = true;
    std::string_view keep = cut ? cut->take(plain) : plain;
    // An error stops the store's read: the client is gone, or TOP has its lines.
    stopped = !keep.empty() && !out.piece(std::string(keep));
    enough = cut && cut->done();
    if (stopped || enough) return make_error("stopped");
    return {};
  });
  if (stopped) return std::nullopt;
  if (!read && !enough) {
    if (!begun) return gone_or_fault(e, n, read.message());
    log::error("message read failed midway", {{"account", account_}, {"error", read.message()}});
    out.abort(read.message());
    return std::nullopt;
  }
  if (!begun) out.begin(lines ? "Top of message follows" : "0 octets");
  out.end();
  return std::nullopt;
}

// A read failed before any data: another client may have removed the message.
pop3::Answer Maildrop::gone_or_fault(const Entry& e, std::uint32_t n, const std::string& fault) {
  auto now = store_->messages(account_, inbox_.id);
  if (now && std::none_of(now->begin(), now->end(),
                          [&](const store::Message& m) { return m.id == e.id; }))
    return pop3::Answer::refuse(fmt::format("Message {} was removed by another client", n));
  log::error("message read failed", {{"account", account_}, {"error", fault}});
  return pop3::Answer::refuse("Cannot read the message now; try again later", "SYS/TEMP");
}

pop3::Answer Maildrop::update() {
  std::vector<std::uint32_t> uids;
  for (const Entry& e : entries_)
    if (e.deleted) uids.push_back(e.uid);
  if (uids.empty()) return pop3::Answer::accept("Bye");
  auto removed = store_->remove(account_, inbox_.id, uids);
  if (!removed) {
    log::error("deleted messages not removed", {{"account", account_}, {"error", removed.message()}});
    return pop3::Answer::refuse("Deleted messages were not removed; try again later",
                                "SYS/TEMP");
  }
  return pop3::Answer::accept(fmt::format("Bye; {} messages deleted", uids.size()));
}

}  // namespace appliance::pop3d
