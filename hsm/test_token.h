// NAME
//   test_token.h - a real SoftHSM token for the tests, made fresh per binary.
//
// DESCRIPTION
//   The first call to TestToken::get() makes a temporary directory, writes a
//   SoftHSM configuration there (create_softhsm_config), points SOFTHSM2_CONF
//   at it, loads the module named by the SOFTHSM2_MODULE environment variable
//   (set by ctest), initialises a token labelled "appliance-test" with random
//   PINs and logs in. A global test environment finalises the module and
//   removes the directory when the binary ends. No existing token is touched.
//
//   An anchor session stays open for the whole run: login state belongs to the
//   token and ends when its last session closes, as in keyd.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <optional>

#include "hsm/module.h"
#include "hsm/token.h"

// ASSERT/EXPECT that a Result is ok, printing its message otherwise.
#define ASSERT_OK(result) ASSERT_TRUE((result).ok()) << (result).message()
#define EXPECT_OK(result) EXPECT_TRUE((result).ok()) << (result).message()

namespace appliance::hsm::testing {

inline constexpr const char* kTokenLabel = "appliance-test";

class TestToken {
 public:
  // Creates the token on first use; aborts the binary if that fails.
  static TestToken& get();
  static void shut_down();

  const Module& module() const { return *module_; }
  CK_SLOT_ID slot() const { return slot_; }
  const Secret& user_pin() const { return user_pin_; }
  const Secret& so_pin() const { return so_pin_; }
  const std::filesystem::path& dir() const { return dir_; }

  // A new session on the (already logged-in) token.
  Result<Session> session() const;

  ~TestToken();

 private:
  TestToken() = default;

  std::filesystem::path dir_;
  std::unique_ptr<Module> module_;
  CK_SLOT_ID slot_ = 0;
  Secret user_pin_, so_pin_;
  std::optional<Session> anchor_;
};

// A fixture with a session of its own.
class TokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = TestToken::get().session();
    ASSERT_OK(opened);
    session_.emplace(std::move(*opened));
  }
  Session& session() { return *session_; }

 private:
  std::optional<Session> session_;
};

// Bytes as a string, for digests and messages.
std::string sha256(std::string_view data);
std::string random_bytes(std::size_t n);

}  // namespace appliance::hsm::testing
