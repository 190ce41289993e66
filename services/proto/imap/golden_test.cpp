// NAME
//   golden_test.cpp - every golden/*.in dialogue must print its golden/*.ref.
//
// DESCRIPTION
//   After a deliberate change of behaviour, IMAP_GOLDEN_UPDATE=1 rewrites the
//   .ref files; review the diff before committing it.
#include <gtest/gtest.h>

#include <cstdlib>

#include "proto/common/testing/script.h"
#include "proto/imap/testing/golden.h"

namespace appliance::imap::testing {
namespace {

TEST(Golden, DialoguesMatchTheirTranscripts) {
  auto dialogues = script::run_dialogues(IMAP_GOLDEN_DIR, run_script,
                                         std::getenv("IMAP_GOLDEN_UPDATE") != nullptr);
  for (const auto& d : dialogues) EXPECT_EQ(d.got, d.expected) << "dialogue " << d.name;
  EXPECT_GE(dialogues.size(), 15u);
}

}  // namespace
}  // namespace appliance::imap::testing
