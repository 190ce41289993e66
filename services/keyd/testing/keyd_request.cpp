// NAME
//   keyd_request - ask keyd for one operation, or many, from the command line.
//
// SYNOPSIS
//   keyd_request SOCKET sign KEY HEXDIGEST          ECDSA over a digest
//   keyd_request SOCKET hmac KEY DATA
//   keyd_request SOCKET seal KEY PLAINTEXT AAD      prints "KEYNAME HEXSEALED"
//   keyd_request SOCKET unseal KEY HEXSEALED AAD
//   keyd_request SOCKET load OP KEY THREADS COUNT   OP: sign|hmac|verify
//
// DESCRIPTION
//   For tests and benchmarks. `load` runs THREADS threads doing COUNT
//   operations each and prints "ok=N errors=M seconds=S"; the first few
//   errors are printed too. Exit 0 only when everything succeeded.
#include <openssl/sha.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "keyd/client.h"

using namespace appliance;

namespace {

std::string hex(std::string_view s) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) out += {digits[c >> 4], digits[c & 15]};
  return out;
}

std::string unhex(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i + 1 < s.size(); i += 2) out += static_cast<char>(std::stoi(std::string(s.substr(i, 2)), nullptr, 16));
  return out;
}

std::string sha256(std::string_view s) {
  std::string d(32, '\0');
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(),
         reinterpret_cast<unsigned char*>(d.data()));
  return d;
}

int load(keyd::KeydClient& client, const std::string& op, const std::string& key, int threads,
         int count) {
  std::atomic<long> ok{0}, errors{0};
  std::mutex print;
  std::string mac;
  if (op == "verify") {
    auto m = client.hmac(key, "payload");
    if (!m) return std::cerr << m.message() << "\n", 1;
    mac = *m;
  }
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (int i = 0; i < count; ++i) {
        Result<void> r;
        if (op == "sign") {
          auto s = client.sign(key, keyd::SignScheme::ecdsa, sha256(std::to_string(t * count + i)));
          if (!s) r = s.error();
        } else if (op == "hmac") {
          auto s = client.hmac(key, std::to_string(i));
          if (!s) r = s.error();
        } else {
          auto s = client.hmac_verify(key, "payload", mac);
          if (!s) r = s.error();
          else if (!*s) r = make_error("verify said no");
        }
        if (r) {
          ++ok;
        } else if (++errors <= 5) {
          std::lock_guard lock(print);
          std::cerr << "error: " << r.message() << "\n";
        }
      }
    });
  for (auto& th : pool) th.join();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("ok=%ld errors=%ld seconds=%.3f\n", ok.load(), errors.load(), secs);
  return errors.load() == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: keyd_request SOCKET OP KEY ...\n";
    return 2;
  }
  std::vector<std::string> a(argv + 1, argv + argc);
  keyd::KeydClient client(a[0]);
  const std::string& op = a[1];
  auto fail = [](const std::string& m) { std::cerr << "keyd_request: " << m << "\n"; return 1; };
  if (op == "sign" && a.size() == 4) {
    auto s = client.sign(a[2], keyd::SignScheme::ecdsa, unhex(a[3]));
    if (!s) return fail(s.message());
    std::cout << s->key << " " << hex(s->signature) << "\n";
  } else if (op == "hmac" && a.size() == 4) {
    auto s = client.hmac(a[2], a[3]);
    if (!s) return fail(s.message());
    std::cout << hex(*s) << "\n";
  } else if (op == "seal" && a.size() == 5) {
    auto s = client.seal(a[2], a[3], a[4]);
    if (!s) return fail(s.message());
    std::cout << s->key << " " << hex(s->sealed) << "\n";
  } else if (op == "unseal" && a.size() == 5) {
    auto s = client.unseal(a[2], unhex(a[3]), a[4]);
    if (!s) return fail(s.message());
    std::cout << s->reveal() << "\n";
  } else if (op == "load" && a.size() == 6) {
    return load(client, a[2], a[3], std::stoi(a[4]), std::stoi(a[5]));
  } else {
    return fail("bad arguments");
  }
  return 0;
}
