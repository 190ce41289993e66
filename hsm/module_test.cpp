// NAME
//   module_test.cpp - module loading, slots by label, token init, login.
//
// DESCRIPTION
//   Runs against a fresh SoftHSM token (test_token.h); a second token is
//   initialised in the same module to check PIN handling without disturbing
//   the first one's login.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "hsm/softhsm.h"
#include "hsm/test_token.h"

namespace appliance::hsm {
namespace {

using ::testing::HasSubstr;
using testing::TestToken;

TEST(Module, ReportsAMissingLibrary) {
  auto module = Module::load("/nonexistent/libnothing.so");
  ASSERT_FALSE(module.ok());
  EXPECT_THAT(module.message(), HasSubstr("PKCS#11 module /nonexistent/libnothing.so: "));
}

TEST(Module, ReportsALibraryThatIsNotAModule) {
  auto module = Module::load("libz.so.1");
  ASSERT_FALSE(module.ok());
  EXPECT_THAT(module.message(), HasSubstr("no C_GetFunctionList"));
}

TEST(Module, FindsTheTokenByLabel) {
  const auto& token = TestToken::get();
  EXPECT_EQ(ERR_peek_error(), 0u);  // C_Initialize's engine noise was not left behind
  auto slot = token.module().find_slot(testing::kTokenLabel);
  ASSERT_OK(slot);
  EXPECT_EQ(*slot, token.slot());
  auto missing = token.module().find_slot("no-such-token");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.message(), HasSubstr("no token labelled \"no-such-token\""));
}

TEST(Module, ListsMechanisms) {
  const auto& token = TestToken::get();
  auto list = token.module().mechanisms(token.slot());
  ASSERT_OK(list);
  EXPECT_THAT(*list, ::testing::IsSupersetOf({CKM_ECDSA, CKM_RSA_PKCS, CKM_AES_GCM}));
  EXPECT_TRUE(*token.module().has_mechanism(token.slot(), CKM_SHA256_HMAC));
  EXPECT_FALSE(*token.module().has_mechanism(token.slot(), CKM_ECDSA_SHA256));
}

TEST(Module, SecondLoadOfTheSameModuleIsRefused) {
  auto again = Module::load(TestToken::get().module().path());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.message(), "C_Initialize: CKR_CRYPTOKI_ALREADY_INITIALIZED");
}

TEST(Token, InitialisesWithRandomPinsAndRejectsAWrongOne) {
  const auto& token = TestToken::get();
  EXPECT_GE(token.user_pin().size(), 32u);
  EXPECT_GE(token.so_pin().size(), 32u);
  EXPECT_FALSE(token.user_pin().equals(token.so_pin().reveal()));

  auto second = init_token(token.module(), "second");
  ASSERT_OK(second);
  EXPECT_NE(second->slot, token.slot());
  auto session = Session::open(token.module(), second->slot);
  ASSERT_OK(session);
  auto wrong = session->login(Secret(std::string(48, 'x')));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.message(), "C_Login: CKR_PIN_INCORRECT");
  EXPECT_OK(session->login(second->user_pin));
  EXPECT_OK(session->login(second->user_pin));                      // already logged in is fine
  EXPECT_OK(session->login(Secret("not checked once logged in")));  // see token.h
  EXPECT_OK(session->logout());
  EXPECT_EQ(session->login(Secret("wrong again")).message(), "C_Login: CKR_PIN_INCORRECT");
}

TEST(Token, RefusesADuplicateOrBadLabel) {
  const auto& token = TestToken::get();
  auto again = init_token(token.module(), testing::kTokenLabel);
  ASSERT_FALSE(again.ok());
  EXPECT_THAT(again.message(), HasSubstr("exists"));
  EXPECT_FALSE(init_token(token.module(), "").ok());
  EXPECT_FALSE(init_token(token.module(), std::string(33, 'a')).ok());
}

TEST(Session, MovesAndCloses) {
  const auto& token = TestToken::get();
  auto a = token.session();
  ASSERT_OK(a);
  const CK_SESSION_HANDLE handle = a->handle();
  Session b = std::move(*a);
  EXPECT_EQ(b.handle(), handle);
  EXPECT_EQ(a->handle(), CK_INVALID_HANDLE);
  CK_SESSION_INFO info{};
  EXPECT_EQ(b.fn()->C_GetSessionInfo(b.handle(), &info), CKR_OK);
  EXPECT_EQ(info.state, CKS_RW_USER_FUNCTIONS);  // the anchor session's login applies
}

TEST(SoftHsmConfig, IsPrivate) {
  const auto dir = TestToken::get().dir() / "conf-check";
  auto conf = create_softhsm_config(dir);
  ASSERT_OK(conf);
  struct stat st {};
  ASSERT_EQ(::stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat((dir / "tokens").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat(conf->c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream in(*conf);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_THAT(text.str(), HasSubstr("directories.tokendir = " + (dir / "tokens").string() + "\n"));
  EXPECT_THAT(text.str(), HasSubstr("objectstore.backend = file\n"));
}

}  // namespace
}  // namespace appliance::hsm
