// NAME
//   dkim_sign_test.cpp - a held submission comes back unchanged, whether it
//   stayed in memory in clear, was sealed, or spilled to the spool.
#include "smtpd/dkim_sign.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace appliance::smtpd {
namespace {

TEST(HeldBytes, SmallAndSpilledMessagesComeBackUnchanged) {
  for (std::size_t size : {std::size_t{100}, kPlainHold, kPlainHold + 1, std::size_t{3} << 20}) {
    auto hold = std::make_unique<HeldBytes>(std::filesystem::temp_directory_path());
    std::string message = "From: a@example.test\r\n\r\n";
    for (std::size_t i = 0; message.size() < size; ++i)
      message += "line " + std::to_string(i * 7919 % 10007) + "\r\n";
    message.resize(size);
    for (std::size_t i = 0; i < message.size(); i += 65000)
      ASSERT_TRUE(hold->write(std::string_view(message).substr(i, 65000)));
    EXPECT_EQ(hold->sealed(), size > kPlainHold) << size;
    std::string out;
    auto r = hold->replay([&](std::string_view s) {
      out += s;
      return Result<void>();
    });
    ASSERT_TRUE(r) << r.message();
    EXPECT_EQ(out, message);
  }
}

}  // namespace
}  // namespace appliance::smtpd
