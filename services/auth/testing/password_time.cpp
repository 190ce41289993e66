// NAME
//   password_time.cpp - how long one password hash takes with given Argon2 parameters.
//
// DESCRIPTION
//   auth_password_time [memory_kib iterations parallelism [rounds]]
//   Prints wall-clock and CPU milliseconds per hash (Argon2id plus the
//   pepper HMAC with an in-memory key), to choose the default cost on a box.
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include <chrono>

#include "auth/password.h"

int main(int argc, char** argv) {
  using namespace appliance::auth;
  Argon2Params p;
  int rounds = 20;
  if (argc >= 4)
    p = {std::uint32_t(std::atoi(argv[1])), std::uint32_t(std::atoi(argv[2])),
         std::uint32_t(std::atoi(argv[3]))};
  if (argc >= 5) rounds = std::atoi(argv[4]);
  auto keys = LocalSecretKeys::with_defaults();
  PasswordHasher hasher(keys, p);
  appliance::Secret password("correct horse battery staple");
  auto wall0 = std::chrono::steady_clock::now();
  std::clock_t cpu0 = std::clock();
  for (int i = 0; i < rounds; ++i)
    if (!hasher.hash(password)) return 1;
  double cpu = double(std::clock() - cpu0) * 1000 / CLOCKS_PER_SEC / rounds;
  double wall =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall0).count() /
      rounds;
  std::printf("argon2id m=%u KiB t=%u p=%u: %.1f ms wall, %.1f ms CPU per hash (%d rounds)\n",
              p.memory_kib, p.iterations, p.parallelism, wall, cpu, rounds);
  return 0;
}
