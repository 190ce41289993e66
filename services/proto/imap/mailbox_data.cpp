// NAME
//   mailbox_data.cpp - untagged mailbox data: LIST, STATUS, EXISTS, EXPUNGE,
//   VANISHED, QUOTAROOT, QUOTA.
#include <fmt/format.h>

#include "proto/imap/response.h"

namespace appliance::imap {

std::string list_response(const std::vector<std::string>& attributes, char delimiter,
                          std::string_view name, bool utf8, bool lsub) {
  std::string delim = delimiter ? quote(std::string(1, delimiter)) : "NIL";
  return fmt::format("* {} {} {} {}\r\n", lsub ? "LSUB" : "LIST", flag_list(attributes), delim,
                     mailbox(name, utf8));
}

std::string status_data(std::string_view name, bool utf8,
                        const std::vector<std::pair<std::string, std::uint64_t>>& items) {
  std::string list;
  for (const auto& [item, value] : items)
    list += fmt::format("{}{} {}", list.empty() ? "" : " ", item, value);
  return fmt::format("* STATUS {} ({})\r\n", mailbox(name, utf8), list);
}

std::string exists(std::uint32_t n) {
  return fmt::format("* {} EXISTS\r\n", n);
}

std::string expunge(std::uint32_t seq) {
  return fmt::format("* {} EXPUNGE\r\n", seq);
}

std::string vanished(const std::vector<std::uint32_t>& uids, bool earlier) {
  return fmt::format("* VANISHED {}{}\r\n", earlier ? "(EARLIER) " : "", compress(uids));
}

std::string quotaroot_response(std::string_view mailbox_name, bool utf8,
                               const std::vector<std::string>& roots) {
  std::string out = "* QUOTAROOT " + mailbox(mailbox_name, utf8);
  for (const auto& r : roots) out += " " + astring(r, utf8);
  return out + "\r\n";
}

std::string quota_response(std::string_view root, const std::vector<QuotaResource>& resources) {
  std::string list;
  for (const auto& r : resources)
    list += fmt::format("{}{} {} {}", list.empty() ? "" : " ", r.name, r.usage, r.limit);
  return fmt::format("* QUOTA {} ({})\r\n", astring(root), list);
}

}  // namespace appliance::imap
