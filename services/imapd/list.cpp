// NAME
//   list.cpp - LIST (with LIST-EXTENDED, SPECIAL-USE, LIST-STATUS) and LSUB.
#include <algorithm>
#include <set>

#include "imapd/commands.h"
#include "proto/imap/response.h"

namespace appliance::imapd {

namespace {

// '*' matches anything, '%' anything but the delimiter (RFC 9051 6.3.9).
bool matches(std::string_view pattern, std::string_view name) {
  if (pattern.empty()) return name.empty();
  if (pattern[0] == '*' || pattern[0] == '%') {
    for (std::size_t i = 0; i <= name.size(); ++i) {
      if (matches(pattern.substr(1), name.substr(i))) return true;
      if (i < name.size() && pattern[0] == '%' && name[i] == kDelimiter) return false;
    }
    return false;
  }
  return !name.empty() && pattern[0] == name[0] && matches(pattern.substr(1), name.substr(1));
}

bool matches_any(const std::vector<std::string>& patterns, std::string_view reference,
                 std::string_view name) {
  for (const auto& p : patterns) {
    std::string full = std::string(reference) + p;
    // INBOX is case-insensitive: match it against the pattern as the client wrote it.
    if (matches(full, name) || (name == "INBOX" && imap::iequals(full, "INBOX"))) return true;
  }
  return false;
}

bool has(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

imap::Answer list(Context& c, const imap::List& cmd) {
  auto boxes = c.tenant->mailboxes(c.account);
  if (!boxes) return store_failed(boxes.error());
  auto subs = c.tenant->subscriptions(c.account);
  if (!subs) return store_failed(subs.error());
  std::set<std::string> subscribed(subs->begin(), subs->end()), names;
  for (const auto& b : *boxes) names.insert(b.name);
  if (!cmd.lsub && cmd.patterns.size() == 1 && cmd.patterns[0].empty())
    return imap::Answer::ok("* LIST (\\Noselect) \"/\" \"\"\r\n");

  bool only_subscribed = has(cmd.selection, "SUBSCRIBED") || cmd.lsub;
  bool only_special = has(cmd.selection, "SPECIAL-USE");
  bool show_subscribed = only_subscribed || has(cmd.returns, "SUBSCRIBED");
  std::set<std::string> candidates = only_subscribed ? subscribed : names;
  // "%" also returns the levels above a mailbox that are no mailbox themselves (RFC 9051 6.3.9).
  bool levels = std::any_of(cmd.patterns.begin(), cmd.patterns.end(),
                            [](const std::string& p) { return p.ends_with('%'); });
  if (levels && !only_subscribed)
    for (const auto& n : names)
      for (auto at = n.find(kDelimiter); at != std::string::npos; at = n.find(kDelimiter, at + 1))
        candidates.insert(n.substr(0, at));
  std::string out;
  for (const auto& name : candidates) {
    if (!matches_any(cmd.patterns, cmd.reference, name)) continue;
    std::string_view use = special_use(name);
    if (only_special && use.empty()) continue;
    std::vector<std::string> attrs;
    if (!names.count(name)) attrs.push_back(only_subscribed ? "\\NonExistent" : "\\Noselect");
    if (!cmd.lsub) {
      std::string prefix = name + kDelimiter;
      bool children = std::any_of(names.begin(), names.end(),
                                  [&](const std::string& n) { return n.starts_with(prefix); });
      attrs.push_back(children ? "\\HasChildren" : "\\HasNoChildren");
    }
    if (show_subscribed && subscribed.count(name) && !cmd.lsub) attrs.push_back("\\Subscribed");
    if (!use.empty() &&
        (!cmd.extended || only_special || has(cmd.returns, "SPECIAL-USE") || cmd.returns.empty()))
      attrs.emplace_back(use);
    out += imap::list_response(attrs, kDelimiter, name, c.utf8, cmd.lsub);
    if (!cmd.status_items.empty() && names.count(name)) {
      imap::Answer s = status(c, {name, cmd.status_items});
      if (s.cond == imap::Cond::ok) out += s.untagged;
    }
  }
  return imap::Answer::ok(std::move(out));
}

}  // namespace appliance::imapd
