// NAME
//   rights_test.cpp - an API key carries a subset of its creator's rights.
#include "auth/rights.h"

#include <gtest/gtest.h>

namespace appliance::auth {
namespace {

Rights rights(std::initializer_list<const char*> names) {
  Rights r;
  for (auto n : names) r.push_back(*parse_grant(n));
  return r;
}

TEST(Rights, ParseAndPrint) {
  EXPECT_EQ(to_string(*parse_grant("tenant-admin:acme")), "tenant-admin:acme");
  EXPECT_FALSE(parse_grant("tenant-admin:"));
  EXPECT_EQ(parse_grant("root").message(),
            "unknown role \"root\" (appliance-admin, tenant-admin:<tenant>, user, auditor)");
}

TEST(Rights, SubsetRule) {
  auto admin = rights({"appliance-admin"});
  auto acme = rights({"tenant-admin:acme", "user"});
  auto user = rights({"user"});
  auto auditor = rights({"auditor"});
  EXPECT_TRUE(check_subset(rights({"tenant-admin:acme", "auditor", "user"}), admin));
  EXPECT_TRUE(check_subset(rights({"tenant-admin:acme"}), acme));
  EXPECT_TRUE(check_subset(rights({"user"}), acme));
  EXPECT_TRUE(check_subset({}, user));
  EXPECT_EQ(check_subset(rights({"tenant-admin:globex"}), acme).message(),
            "an API key cannot carry tenant-admin:globex: its creator does not hold it");
  EXPECT_FALSE(check_subset(rights({"appliance-admin"}), acme));
  EXPECT_FALSE(check_subset(rights({"auditor"}), acme));
  EXPECT_FALSE(check_subset(rights({"tenant-admin:acme"}), user));
  EXPECT_FALSE(check_subset(rights({"user"}), auditor));
  EXPECT_TRUE(check_subset(rights({"auditor"}), auditor));
}

}  // namespace
}  // namespace appliance::auth
