// NAME
//   describe.cpp - one-line descriptions of parsed commands, for transcripts.
#include <fmt/format.h>

#include "proto/common/overload.h"
#include "proto/imap/response.h"
#include "proto/imap/testing/golden.h"

namespace appliance::imap::testing {

namespace {

std::string join(const std::vector<std::string>& v, std::string_view sep = " ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

std::string date(const Date& d) {
  return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);
}

std::string key(const SearchKey& k);

std::string children(const SearchKey& k) {
  std::vector<std::string> parts;
  for (const auto& c : k.children) parts.push_back(key(c));
  return join(parts);
}

std::string key(const SearchKey& k) {
  using K = SearchKey::Kind;
  static constexpr const char* kNames[] = {
      "ALL",     "AND",       "OR",         "NOT",     "ANSWERED",  "DELETED",    "DRAFT",
      "FLAGGED", "SEEN",      "RECENT",     "NEW",     "OLD",       "UNANSWERED", "UNDELETED",
      "UNDRAFT", "UNFLAGGED", "UNSEEN",     "KEYWORD", "UNKEYWORD", "BCC",        "BODY",
      "CC",      "FROM",      "SUBJECT",    "TEXT",    "TO",        "HEADER",     "BEFORE",
      "ON",      "SINCE",     "SENTBEFORE", "SENTON",  "SENTSINCE", "LARGER",     "SMALLER",
      "SEQ",     "UID",       "MODSEQ",     "OLDER",   "YOUNGER"};
  std::string out = kNames[static_cast<int>(k.kind)];
  if (!k.children.empty()) return "(" + out + " " + children(k) + ")";
  if (!k.field.empty()) out += " " + k.field;
  if (k.kind >= K::bcc && k.kind <= K::header) out += " \"" + k.text + "\"";
  if (k.kind >= K::before && k.kind <= K::sentsince) out += " " + date(k.date);
  if (k.kind >= K::larger && k.kind <= K::younger && k.kind != K::sequence && k.kind != K::uid)
    out += " " + std::to_string(k.number);
  if (k.kind == K::sequence || k.kind == K::uid) out += " " + sequence_set(k.set);
  return out;
}

std::string items(const std::vector<FetchItem>& list) {
  std::vector<std::string> names;
  for (const auto& i : list) {
    std::string n = fetch_item_name(i);
    if (i.peek) n += "(peek)";
    if (i.partial) n += fmt::format("(len {})", i.partial->second);
    names.push_back(n);
  }
  return join(names);
}

std::string qresync(const Select& s) {
  if (!s.qresync) return "";
  const auto& q = *s.qresync;
  std::string out = fmt::format(" qresync={}/{}", q.uidvalidity, q.modseq);
  if (q.known_uids) out += " known=" + sequence_set(*q.known_uids);
  if (q.seq_match)
    out += " match=" + sequence_set(q.seq_match->first) + "/" + sequence_set(q.seq_match->second);
  return out;
}

std::string append(const Append& a) {
  std::string out = "\"" + a.mailbox + "\"";
  for (const auto& m : a.messages) {
    out += fmt::format(" [flags=({}){} {} octets{}]", join(m.flags),
                       m.date ? " date=" + date_time(*m.date) : "", m.data.size(),
                       m.binary ? " binary" : "");
  }
  return out;
}

std::string list(const List& l) {
  std::string out =
      fmt::format("ref=\"{}\" patterns=\"{}\"", l.reference, join(l.patterns, "\",\""));
  if (!l.selection.empty()) out += " select=(" + join(l.selection) + ")";
  if (!l.returns.empty()) out += " return=(" + join(l.returns) + ")";
  if (!l.status_items.empty()) out += " status=(" + join(l.status_items) + ")";
  return out;
}

std::string search(const Search& s) {
  std::string out;
  if (s.charset) out += "charset=" + *s.charset + " ";
  if (s.extended) out += "return=(" + join(s.returns) + ") ";
  return out + key(s.key);
}

std::string store(const Store& s) {
  static constexpr const char* kModes[] = {"replace", "add", "remove"};
  std::string out =
      fmt::format("{} {}{} ({})", sequence_set(s.set), kModes[static_cast<int>(s.mode)],
                  s.silent ? " silent" : "", join(s.flags));
  if (s.unchangedsince) out += fmt::format(" unchangedsince={}", *s.unchangedsince);
  return out;
}

}  // namespace

std::string describe(const Command& c) {
  std::string args = std::visit(
      Overload{
          [](const Authenticate& a) { return a.mechanism + (a.initial ? " +initial" : ""); },
          [](const Login& l) {
            return fmt::format("user=\"{}\" password=({} octets)", l.user, l.password.size());
          },
          [](const Enable& e) { return join(e.capabilities); },
          [](const Select& s) {
            return "\"" + s.mailbox + "\"" + (s.condstore ? " condstore" : "") + qresync(s);
          },
          [](const Create& c) {
            return "\"" + c.mailbox + "\"" + (c.use.empty() ? "" : " use=(" + join(c.use) + ")");
          },
          [](const Delete& d) { return "\"" + d.mailbox + "\""; },
          [](const Rename& r) { return "\"" + r.from + "\" \"" + r.to + "\""; },
          [](const Subscribe& s) { return "\"" + s.mailbox + "\""; },
          [](const List& l) { return list(l); },
          [](const Status& s) { return "\"" + s.mailbox + "\" (" + join(s.items) + ")"; },
          [](const Append& a) { return append(a); },
          [](const Expunge& e) { return e.uids ? sequence_set(*e.uids) : std::string(); },
          [](const Search& s) { return search(s); },
          [](const Fetch& f) {
            std::string out = sequence_set(f.set) + " (" + items(f.items) + ")";
            if (f.changedsince) out += fmt::format(" changedsince={}", *f.changedsince);
            return out + (f.vanished ? " vanished" : "");
          },
          [](const Store& s) { return store(s); },
          [](const Copy& c) { return sequence_set(c.set) + " \"" + c.mailbox + "\""; },
          [](const Quota& q) {
            std::string out = "\"" + q.name + "\"";
            for (const auto& [resource, limit] : q.limits)
              out += fmt::format(" {}={}", resource, limit);
            return out;
          },
          [](const auto&) { return std::string(); },
      },
      c);
  std::string name = command_name(c);
  return args.empty() ? name : name + " " + args;
}

}  // namespace appliance::imap::testing
