// NAME
//   config_section.h - a daemon's section of appliance.conf read from a
//   string, for the tests of its read_settings().
#pragma once

#include <gtest/gtest.h>

#include <string_view>
#include <utility>

#include "common/config.h"

namespace appliance::config::testing {

// What `read` made of section `name` of `text` (a whole file, as written at
// appliance.conf), and the reader's verdict on the section.
template <typename ReadSettings>
auto read_section(std::string_view text, std::string_view name, ReadSettings read) {
  auto doc = parse(text, "appliance.conf");
  EXPECT_TRUE(doc.ok()) << (doc.ok() ? "" : doc.message());
  Reader r(*doc, name);
  auto settings = read(r);
  Result<void> finished = r.finish();
  return std::pair{std::move(settings), std::move(finished)};
}

}  // namespace appliance::config::testing
