// NAME
//   tags.h - the tag=value lists of DKIM signatures and key records.
//
// DESCRIPTION
//   parse_tags() reads a tag-list (RFC 6376 3.2): tag-spec *(";" tag-spec)
//   [";"], where a tag-spec is [FWS] name [FWS] "=" [FWS] value [FWS]. Names
//   are ALPHA *(ALPHA / DIGIT / "_"); values are printable ASCII other than
//   ";", with folding white space only between runs of it. Strict: an empty
//   tag-spec, a missing "=", a bad name, a control byte or a duplicate name
//   refuses the whole list, with a message naming the tag. Values keep their
//   inner white space (a signature's b= is folded); the surrounding FWS is
//   dropped. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace appliance::dkim {

struct Tag {
  std::string name;
  std::string value;
};

class TagList {
 public:
  explicit TagList(std::vector<Tag> tags) : tags_(std::move(tags)) {}
  // The value of `name`, if present (names are case-sensitive).
  std::optional<std::string_view> get(std::string_view name) const;
  const std::vector<Tag>& tags() const { return tags_; }

 private:
  std::vector<Tag> tags_;
};

Result<TagList> parse_tags(std::string_view text);

// FWS (space, tab, CR, LF) removed: for base64 values such as b=, bh= and p=.
std::string strip_fws(std::string_view value);

// Splits a colon-separated value (h=, q=, s=, t=) into its items, each with
// its surrounding FWS removed.
std::vector<std::string> split_colons(std::string_view value);

}  // namespace appliance::dkim
