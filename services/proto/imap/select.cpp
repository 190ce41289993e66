// NAME
//   select.cpp - SELECT and EXAMINE with CONDSTORE and QRESYNC parameters.
#include "proto/imap/command.h"

namespace appliance::imap {

namespace {

// A set in the QRESYNC parameters. "$" is refused: SELECT empties the saved
// result (RFC 5182 2.1), so it could only name the previous mailbox's messages.
Result<SequenceSet> explicit_set(Reader& r) {
  auto set = r.sequence_set();
  if (set && set->saved) return make_error("\"$\" is not allowed in QRESYNC parameters");
  return set;
}

// (known-sequence-set known-uid-set) inside QRESYNC (RFC 7162 3.2.5).
Result<void> seq_match(Reader& r, Qresync& q) {
  if (!r.eat('(')) return make_error("Expected '(' before the sequence match data");
  auto seqs = explicit_set(r);
  if (!seqs) return seqs.error();
  if (auto s = r.space(); !s) return s.error();
  auto uids = explicit_set(r);
  if (!uids) return uids.error();
  if (!r.eat(')')) return make_error("Expected ')' after the sequence match data");
  q.seq_match = std::make_pair(std::move(*seqs), std::move(*uids));
  return {};
}

// QRESYNC (uidvalidity modseq [known-uids] [seq-match-data]).
Result<Qresync> qresync(Reader& r) {
  Qresync q;
  if (auto s = r.space(); !s || !r.eat('(')) return make_error("Expected '(' after QRESYNC");
  auto v = r.number(true);
  if (!v) return v.error();
  q.uidvalidity = *v;
  if (auto s = r.space(); !s) return s.error();
  auto m = r.number64();
  if (!m) return m.error();
  q.modseq = *m;
  if (r.eat(' ') && !r.peek('(')) {
    auto uids = explicit_set(r);
    if (!uids) return uids.error();
    q.known_uids = std::move(*uids);
    r.eat(' ');
  }
  if (r.peek('(')) {
    if (auto sm = seq_match(r, q); !sm) return sm.error();
  }
  if (!r.eat(')')) return make_error("Expected ')' after the QRESYNC parameters");
  return q;
}

Result<void> parameters(Reader& r, Select& s) {
  if (!r.eat('(')) return make_error("Expected '(' before select parameters");
  do {
    if (r.eat_word("CONDSTORE")) {
      s.condstore = true;
    } else if (r.eat_word("QRESYNC")) {
      auto q = qresync(r);
      if (!q) return q.error();
      s.qresync = std::move(*q);
    } else {
      return make_error("Unknown select parameter");
    }
  } while (r.eat(' '));
  if (!r.eat(')')) return make_error("Expected ')' after select parameters");
  return {};
}

}  // namespace

Result<Command> parse_select(Reader& r, const ParseContext& c, bool read_only) {
  Select s;
  s.read_only = read_only;
  auto box = read_mailbox(r, c);
  if (!box) return box.error();
  s.mailbox = std::move(*box);
  if (r.eat(' ')) {
    if (auto p = parameters(r, s); !p) return p.error();
  }
  if (auto e = r.end(); !e) return e.error();
  return Command{std::move(s)};
}

}  // namespace appliance::imap
