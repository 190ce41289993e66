// NAME
//   mbox.h - messages written as an mbox file (mboxrd) or maildir files.
//
// DESCRIPTION
//   MailFileWriter turns stored messages (CRLF line ends) into what mail
//   programs import, with LF line ends. As mbox (the mboxrd form): each
//   message opens with a "From " line (the sender is not known after
//   delivery: MAILER-DAEMON, and the message's date in asctime form), a line
//   that reads ">*From " gets one more '>' so it cannot be taken for a
//   message boundary, and a blank line follows each message. As a maildir
//   file: the message alone. Messages arrive in chunks of any size; a line
//   cut between chunks is handled.
//
//   maildir_name() names a message's file in a maildir's cur/ folder, with
//   the flags in the ":2," info suffix (D, F, R, S, T in order).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace appliance::mime {

enum class MailFile { mbox, maildir };

class MailFileWriter {
 public:
  explicit MailFileWriter(MailFile kind) : kind_(kind) {}
  // What opens a message received at `unix_time` (mbox: its "From " line).
  std::string begin(std::int64_t unix_time);
  // Part of the message, as stored; returns what to write.
  std::string add(std::string_view chunk);
  // The end of the message: any unfinished line (mbox: and the blank line).
  std::string end();

 private:
  std::string line(std::string_view text);
  MailFile kind_;
  std::string pending_;
};

// Flag bits as in store::Flag: 1 seen, 2 answered, 4 flagged, 8 deleted, 16 draft.
std::string maildir_name(std::int64_t unix_time, std::uint32_t uid, std::uint32_t flags);

}  // namespace appliance::mime
