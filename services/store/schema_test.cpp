// NAME
//   schema_test.cpp - the schema steps of both backends: numbered 1, 2, 3, ...
//   without a gap, and as many on one backend as on the other.
//
// DESCRIPTION
//   A database records the last step it applied and later takes only the
//   steps after it, so a step slipped in below the highest number would
//   never reach a database already past it.
#include <gtest/gtest.h>

#include "store/postgres/migrate.h"
#include "store/sqlite/migrate.h"

namespace appliance::store {
namespace {

template <typename Steps>
void expect_numbered(const Steps& steps, const char* what) {
  int expected = 1;
  for (const auto& step : steps) EXPECT_EQ(step.version, expected++) << what;
}

TEST(Schema, StepsAreNumberedWithoutGapsAndAlike) {
  expect_numbered(sqlite::system_schema(), "sqlite system");
  expect_numbered(sqlite::tenant_schema(), "sqlite tenant");
  expect_numbered(sqlite::blob_schema(), "sqlite blobs");
  expect_numbered(postgres::system_schema(), "postgres system");
  expect_numbered(postgres::tenant_schema(), "postgres tenant");
  EXPECT_EQ(sqlite::system_schema().size(), postgres::system_schema().size());
  EXPECT_EQ(sqlite::tenant_schema().size(), postgres::tenant_schema().size());
}

}  // namespace
}  // namespace appliance::store
