// NAME
//   message_data.h - one message's bytes and summary, loaded when first needed.
//
// DESCRIPTION
//   FETCH and SEARCH ask for what they need: flags and sizes come with the
//   row; ENVELOPE and BODYSTRUCTURE from the sealed summary; sections and
//   body text from the blob. A message stored without a summary (or with one
//   that does not parse) is summarised from its bytes instead.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "imapd/commands.h"
#include "proto/mime/summary.h"

namespace appliance::imapd {

class MessageData {
 public:
  MessageData(Context& c, const store::Message& m) : c_(c), m_(m) {}
  const store::Message& row() const { return m_; }
  Result<const std::string*> bytes();
  Result<const mime::Summary*> summary();
  // BODY[section] before any partial; nullopt: the section does not exist.
  Result<std::optional<std::string>> section(const imap::Section& s);
  // The header block of the message (with its blank line).
  Result<std::string_view> header();

 private:
  Context& c_;
  const store::Message& m_;
  std::optional<std::string> bytes_;
  std::optional<mime::Summary> summary_;
};

// The lines of `header` whose field name is (or, with `exclude`, is not) in `fields`.
std::string header_fields(std::string_view header, const std::vector<std::string>& fields,
                          bool exclude);

}  // namespace appliance::imapd
