// NAME
//   golden_test.cpp - every golden/*.in dialogue must print its golden/*.ref.
//
// DESCRIPTION
//   After a deliberate change of behaviour, POP3_GOLDEN_UPDATE=1 rewrites the
//   .ref files; review the diff before committing it.
#include <gtest/gtest.h>

#include <cstdlib>

#include "proto/common/testing/script.h"
#include "proto/pop3/testing/golden.h"

namespace appliance::pop3::testing {
namespace {

TEST(Golden, DialoguesMatchTheirTranscripts) {
  auto dialogues = script::run_dialogues(POP3_GOLDEN_DIR, run_script,
                                         std::getenv("POP3_GOLDEN_UPDATE") != nullptr);
  for (const auto& d : dialogues) EXPECT_EQ(d.got, d.expected) << "dialogue " << d.name;
  EXPECT_GE(dialogues.size(), 8u);
}

}  // namespace
}  // namespace appliance::pop3::testing
