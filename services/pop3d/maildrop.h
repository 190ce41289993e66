// NAME
//   maildrop.h - one POP3 session's view of an account's INBOX.
//
// DESCRIPTION
//   open() takes a snapshot of the INBOX at login (RFC 1939 5): messages are
//   numbered 1..n in UID order, with the sizes the store holds (IMAP's
//   RFC822.SIZE: messages are stored with CRLF line ends). Messages that
//   arrive later are not seen until the next login.
//
//   STAT, LIST, UIDL, DELE, RSET and NOOP work on the snapshot alone and
//   answer at once. RETR and TOP stream the message from the store to a
//   Stream, piece by piece; TOP stops reading once it has its lines. QUIT
//   (the UPDATE state) removes the messages marked deleted, in one durable
//   transaction, and nothing else: an IMAP client's \Deleted flags are left
//   alone. A session that ends without QUIT deletes nothing.
//
//   UIDLs are the INBOX's UID and UIDVALIDITY as 16 hexadecimal digits
//   (Dovecot's default form, "%08Xu%08Xv"), so POP3 and IMAP agree on a
//   message's identity and a UIDVALIDITY change shows as new UIDLs.
//
//   Another client (IMAP, or a second POP3 session) may remove a message
//   meanwhile: RETR and TOP of it answer "-ERR ... was removed", and QUIT
//   skips it. There is no exclusive maildrop lock (RFC 1939 8 lets servers
//   choose), as with IMAP sharing the INBOX a lock would not protect much.
//
// THREADS
//   open(), retrieve() and update() call the store and block: run them on a
//   worker. One call at a time (the session asks one question at a time).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "proto/pop3/session.h"
#include "store/store.h"

namespace appliance::pop3d {

// Where RETR and TOP send a streamed answer.
class Stream {
 public:
  virtual ~Stream() = default;
  virtual void begin(std::string text) = 0;  // "+OK text"
  // Not yet dot-stuffed. false: the client is gone, stop reading.
  virtual bool piece(std::string data) = 0;
  virtual void end() = 0;
  // The store failed after begin(): the answer cannot be completed.
  virtual void abort(std::string why) = 0;
};

class Maildrop {
 public:
  struct Entry {
    store::Id id = 0;
    std::uint32_t uid = 0;
    std::uint64_t size = 0;
    bool deleted = false;
  };

  static Result<Maildrop> open(std::shared_ptr<store::TenantStore> store, store::Id account);

  pop3::Answer stat() const;
  pop3::Answer list(std::optional<std::uint32_t> n) const;
  pop3::Answer uidl(std::optional<std::uint32_t> n) const;
  pop3::Answer dele(std::uint32_t n);
  pop3::Answer rset();

  // RETR (no `lines`) or TOP: an answer when refused, nothing when it went to `out`.
  std::optional<pop3::Answer> retrieve(std::uint32_t n, std::optional<std::uint32_t> lines,
                                       Stream& out);
  pop3::Answer update();

  std::size_t size() const { return entries_.size(); }
  std::string unique_id(const Entry& e) const;

 private:
  Maildrop(std::shared_ptr<store::TenantStore> store, store::Id account, store::Mailbox inbox,
           std::vector<Entry> entries)
      : store_(std::move(store)), account_(account), inbox_(inbox), entries_(std::move(entries)) {}
  // The entry numbered n, unless there is none or it is marked deleted.
  Result<Entry*> find(std::uint32_t n);
  Result<const Entry*> find(std::uint32_t n) const;
  std::pair<std::uint64_t, std::uint64_t> totals() const;  // messages not deleted, octets
  std::string summary() const;                              // "n messages (m octets)"
  pop3::Answer gone_or_fault(const Entry& e, std::uint32_t n, const std::string& fault);

  std::shared_ptr<store::TenantStore> store_;
  store::Id account_ = 0;
  store::Mailbox inbox_;
  std::vector<Entry> entries_;
};

}  // namespace appliance::pop3d
