// NAME
//   header.h - a message's header section for DKIM: its fields, the fields a
//   signature names, and the header hash input.
//
// DESCRIPTION
//   HeaderCollector is fed a message as it streams in: it keeps the header
//   section (up to a limit) and hands every byte after the empty line that
//   ends it to a body sink. split_fields() cuts a header section into fields,
//   each with its continuation lines and CRLF. header_hash_input() builds
//   what a signature's b= signs (RFC 6376 3.7): each field named by h=, taken
//   from the bottom up, a name with no field left contributing nothing, then
//   the DKIM-Signature field itself with the value of b= removed and without
//   its final CRLF. Pure.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/dkim/canon.h"

namespace appliance::dkim {

class HeaderCollector {
 public:
  using BodySink = std::function<void(std::string_view)>;
  HeaderCollector(std::size_t limit, BodySink body);

  void write(std::string_view bytes);
  // The header section, each field ending in CRLF, without the empty line.
  const std::string& header() const { return header_; }
  bool in_body() const { return state_ == State::body; }
  // The header section was longer than the limit: nothing after it was kept.
  bool overflowed() const { return state_ == State::overflow; }

 private:
  enum class State { header, body, overflow };
  std::size_t limit_;
  BodySink body_;
  std::string header_;
  State state_ = State::header;
};

std::vector<std::string_view> split_fields(std::string_view header);
// The name of a field, as written (without white space before the colon).
std::string_view field_name(std::string_view field);
bool same_name(std::string_view a, std::string_view b);  // ASCII case-insensitive

// The field with the value of its b= tag emptied (white space around it too).
std::string without_b_value(std::string_view field);

std::string header_hash_input(Canon canon, const std::vector<std::string_view>& fields,
                              const std::vector<std::string>& names,
                              std::string_view signature_field);

}  // namespace appliance::dkim
