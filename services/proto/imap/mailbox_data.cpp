// NAME
//   mailbox_data.cpp - untagged mailbox data: LIST, STATUS, EXISTS, EXPUNGE, VANISHED.
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

}  // namespace appliance::imap
