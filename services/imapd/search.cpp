// NAME
//   search.cpp - SEARCH and UID SEARCH over rows, summaries and, for BODY,
//   TEXT and HEADER, the messages themselves (loaded only then); RETURN
//   (SAVE) keeps the result for "$" (RFC 5182).
#include <algorithm>
#include <ctime>
#include <map>

#include "imapd/dates.h"
#include "imapd/message_data.h"
#include "proto/imap/response.h"
#include "store/mailbox_sql.h"

namespace appliance::imapd {

namespace {

using Kind = imap::SearchKey::Kind;

// Case-insensitive for ASCII, which is what clients expect of SEARCH.
bool contains(std::string_view hay, std::string_view needle) {
  return imap::to_upper(hay).find(imap::to_upper(needle)) != std::string::npos;
}

bool has_keyword(const store::Message& m, std::string_view keyword) {
  for (const auto& k : store::sql::split_keywords(m.keywords))
    if (imap::iequals(k, keyword)) return true;
  return false;
}

struct Candidate {
  std::uint32_t seq = 0;
  MessageData* data = nullptr;
};

class Matcher {
 public:
  Matcher(const MailboxView& view) : view_(view), now_(std::time(nullptr)) {}

  Result<bool> match(const imap::SearchKey& k, Candidate& c) {
    const store::Message& m = c.data->row();
    auto flag = [&](std::uint32_t f) { return (m.flags & f) != 0; };
    std::int64_t day = m.internal_date - ((m.internal_date % 86400) + 86400) % 86400;
    switch (k.kind) {
      case Kind::all:
        return true;
      case Kind::and_:
        for (const auto& child : k.children) {
          auto r = match(child, c);
          if (!r || !*r) return r;
        }
        return true;
      case Kind::or_: {
        auto a = match(k.children[0], c);
        if (!a || *a) return a;
        return match(k.children[1], c);
      }
      case Kind::not_: {
        auto a = match(k.children[0], c);
        if (!a) return a;
        return !*a;
      }
      case Kind::answered:
        return flag(store::kAnswered);
      case Kind::deleted:
        return flag(store::kDeleted);
      case Kind::draft:
        return flag(store::kDraft);
      case Kind::flagged:
        return flag(store::kFlagged);
      case Kind::seen:
        return flag(store::kSeen);
      case Kind::unanswered:
        return !flag(store::kAnswered);
      case Kind::undeleted:
        return !flag(store::kDeleted);
      case Kind::undraft:
        return !flag(store::kDraft);
      case Kind::unflagged:
        return !flag(store::kFlagged);
      case Kind::unseen:
        return !flag(store::kSeen);
      case Kind::recent:
      case Kind::new_:
        return false;
      case Kind::old:
        return true;
      case Kind::keyword:
        return has_keyword(m, k.field);
      case Kind::unkeyword:
        return !has_keyword(m, k.field);
      case Kind::before:
        return day < unix_day(k.date);
      case Kind::on:
        return day == unix_day(k.date);
      case Kind::since:
        return day >= unix_day(k.date);
      case Kind::larger:
        return m.size > k.number;
      case Kind::smaller:
        return m.size < k.number;
      case Kind::sequence:
        return view_.names(k.set, false, c.seq);
      case Kind::uid:
        return view_.names(k.set, true, c.seq);
      case Kind::modseq:
        return m.modseq >= k.number;
      case Kind::older:
        return m.internal_date <= now_ - static_cast<std::int64_t>(k.number);
      case Kind::younger:
        return m.internal_date >= now_ - static_cast<std::int64_t>(k.number);
      default:
        return text(k, c);
    }
  }

 private:
  Result<bool> text(const imap::SearchKey& k, Candidate& c) {
    if (k.kind == Kind::body || k.kind == Kind::text) {
      auto b = c.data->bytes();
      if (!b) return b.error();
      std::string_view all = **b;
      if (k.kind == Kind::text) return contains(all, k.text);
      auto h = c.data->header();
      if (!h) return h.error();
      return contains(all.substr(h->size()), k.text);
    }
    if (k.kind == Kind::header) {
      auto h = c.data->header();
      if (!h) return h.error();
      std::string lines = header_fields(*h, {imap::to_upper(k.field)}, false);
      auto colon = lines.find(':');
      return lines.size() > 2 && (k.text.empty() || contains(lines.substr(colon + 1), k.text));
    }
    auto s = c.data->summary();
    if (!s) return s.error();
    const mime::Summary& sum = **s;
    std::int64_t sent = sum.date - ((sum.date % 86400) + 86400) % 86400;
    switch (k.kind) {
      case Kind::from:
        return contains(sum.from, k.text);
      case Kind::to:
        return contains(sum.to, k.text);
      case Kind::cc:
        return contains(sum.cc, k.text);
      case Kind::bcc:
        return contains(sum.bcc, k.text);
      case Kind::subject:
        return contains(sum.subject, k.text);
      case Kind::sentbefore:
        return sent < unix_day(k.date);
      case Kind::senton:
        return sent == unix_day(k.date);
      case Kind::sentsince:
        return sent >= unix_day(k.date);
      default:
        return false;
    }
  }

  const MailboxView& view_;
  std::int64_t now_;
};

// RFC 5182 2.1: SAVE with MIN and/or MAX alone keeps just those messages;
// with ALL or COUNT, or alone, every message found.
std::vector<std::uint32_t> to_save(const imap::Search& cmd,
                                   const std::vector<std::uint32_t>& uids) {
  auto wants = [&](std::string_view o) {
    return std::find(cmd.returns.begin(), cmd.returns.end(), o) != cmd.returns.end();
  };
  bool min = wants("MIN"), max = wants("MAX");
  if (uids.empty() || (!min && !max) || wants("ALL") || wants("COUNT")) return uids;
  std::vector<std::uint32_t> out;
  if (min) out.push_back(uids.front());
  if (max) out.push_back(uids.back());
  return out;
}

bool saves(const imap::Search& cmd) {
  return std::find(cmd.returns.begin(), cmd.returns.end(), "SAVE") != cmd.returns.end();
}

}  // namespace

imap::Answer search(Context& c, const std::string& tag, const imap::Search& cmd) {
  MailboxView& view = *c.selected;
  // RFC 9051 6.4.4.1: a SEARCH with SAVE that fails leaves "$" empty.
  auto failed = [&](imap::Answer a) {
    if (saves(cmd)) view.save({});
    return a;
  };
  if (!imap::searchable_charset(cmd.charset))
    return failed(imap::Answer::no("Unsupported charset", std::string(imap::kBadCharset)));
  auto key = imap::search_in_utf8(cmd.key, cmd.charset);  // messages are matched in UTF-8
  if (!key) return failed(imap::Answer::no(key.message()));
  auto rows = c.tenant->messages(c.account, view.mailbox().id);
  if (!rows) return failed(store_failed(rows.error()));
  std::map<std::uint32_t, const store::Message*> by_uid;
  for (const auto& m : *rows) by_uid[m.uid] = &m;
  Matcher matcher(view);
  std::vector<std::uint32_t> found, uids;
  std::uint64_t highest = 0;  // RFC 7162 3.1.5: the highest MODSEQ of what was found
  for (std::uint32_t seq = 1; seq <= view.exists(); ++seq) {
    auto it = by_uid.find(view.uid(seq));
    if (it == by_uid.end()) continue;
    MessageData data(c, *it->second);
    Candidate candidate{seq, &data};
    auto r = matcher.match(*key, candidate);
    if (!r) return failed(store_failed(r.error()));
    if (!*r) continue;
    found.push_back(cmd.uid ? it->first : seq);
    uids.push_back(it->first);
    highest = std::max(highest, it->second->modseq);
  }
  // Only now: the criteria may have named "$" themselves.
  if (saves(cmd)) view.save(to_save(cmd, uids));
  std::optional<std::uint64_t> modseq;
  if (imap::uses_modseq(cmd.key)) modseq = highest;
  std::string out = cmd.extended ? imap::esearch_response(tag, cmd, found, modseq)
                                 : imap::search_response(found, modseq);
  out += updates(c, cmd.uid);
  return imap::Answer::ok(std::move(out));
}

}  // namespace appliance::imapd
