// NAME
//   test_token.cpp - make and remove the per-binary SoftHSM token.
//
// DESCRIPTION
//   See test_token.h.
#include "test_token.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdlib>
#include <iostream>

#include "hsm/softhsm.h"

namespace appliance::hsm::testing {

namespace {

std::unique_ptr<TestToken>& instance() {
  static std::unique_ptr<TestToken> token;
  return token;
}

[[noreturn]] void die(const std::string& message) {
  std::cerr << "test token: " << message << "\n";
  std::abort();
}

std::filesystem::path make_temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "hsm-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) die("mkdtemp failed");
  return pattern;
}

class TokenEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { TestToken::shut_down(); }
};

[[maybe_unused]] ::testing::Environment* const environment =
    ::testing::AddGlobalTestEnvironment(new TokenEnvironment);

}  // namespace

TestToken& TestToken::get() {
  auto& token = instance();
  if (token) return *token;
  const char* module_path = std::getenv("SOFTHSM2_MODULE");
  if (!module_path || !*module_path) die("SOFTHSM2_MODULE is not set");

  token.reset(new TestToken);
  token->dir_ = make_temp_dir();
  auto conf = create_softhsm_config(token->dir_ / "softhsm");
  if (!conf) die(conf.message());
  if (auto ok = use_softhsm_config(*conf); !ok) die(ok.message());
  auto module = Module::load(module_path);
  if (!module) die(module.message());
  token->module_ = std::move(*module);

  auto made = init_token(*token->module_, kTokenLabel);
  if (!made) die(made.message());
  token->slot_ = made->slot;
  token->user_pin_ = std::move(made->user_pin);
  token->so_pin_ = std::move(made->so_pin);

  auto anchor = Session::open(*token->module_, token->slot_);
  if (!anchor) die(anchor.message());
  if (auto in = anchor->login(token->user_pin_); !in) die(in.message());
  token->anchor_.emplace(std::move(*anchor));
  return *token;
}

void TestToken::shut_down() {
  instance().reset();
}

TestToken::~TestToken() {
  anchor_.reset();
  module_.reset();  // C_Finalize before the files go
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

Result<Session> TestToken::session() const {
  return Session::open(*module_, slot_);
}

std::string sha256(std::string_view data) {
  std::string digest(32, '\0');
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(digest.data()), &size,
             EVP_sha256(), nullptr);
  return digest;
}

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n));
  return out;
}

}  // namespace appliance::hsm::testing
