// NAME
//   keyd_request - ask keyd for one operation, or many, from the command line.
//
// SYNOPSIS
//   keyd_request SOCKET sign KEY HEXDIGEST          ECDSA over a digest
//   keyd_request SOCKET hmac KEY DATA
//   keyd_request SOCKET seal KEY PLAINTEXT AAD      prints "KEYNAME HEXSEALED"
//   keyd_request SOCKET unseal KEY HEXSEALED AAD
//
// DESCRIPTION
//   One request, for tests; exit 1 with keyd's error on stderr. For load,
//   see keyd_load.
#include <iostream>
#include <string>
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
  } else {
    return fail("bad arguments");
  }
  return 0;
}
