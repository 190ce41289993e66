// NAME
//   golden_test.cpp - every golden/*.in dialogue must print its golden/*.ref.
//
// DESCRIPTION
//   After a deliberate change of behaviour, SMTP_GOLDEN_UPDATE=1 rewrites the
//   .ref files; review the diff before committing it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "proto/smtp/testing/golden.h"

namespace appliance::smtp::testing {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Golden, DialoguesMatchTheirTranscripts) {
  fs::path dir = SMTP_GOLDEN_DIR;
  bool update = std::getenv("SMTP_GOLDEN_UPDATE") != nullptr;
  int scripts = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".in") continue;
    ++scripts;
    fs::path ref = fs::path(entry.path()).replace_extension(".ref");
    std::string got = run_script(slurp(entry.path()));
    if (update) std::ofstream(ref, std::ios::binary) << got;
    EXPECT_EQ(got, slurp(ref)) << "dialogue " << entry.path().filename();
  }
  EXPECT_GE(scripts, 10);
}

}  // namespace
}  // namespace appliance::smtp::testing
