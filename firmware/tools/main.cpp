// NAME
//   releasectl - create and maintain the signed update repository.
//
// SYNOPSIS
//   releasectl --repo DIR --key root=F --key targets=F --key stable=F
//              --key beta=F --key lts=F --keyd SOCKET init
//   releasectl --repo DIR --key stable=F --keyd SOCKET add IMAGE
//              --channel stable --version V --security-version N
//   releasectl --repo DIR --keyd SOCKET timestamp
//   releasectl --repo DIR --key root=OLD rotate root --new-key NEW
//   releasectl genkey FILE [--type ed25519|ecdsa-p256]
//
// SECURITY
//   Runs on a release machine or, for the online roles, as root on the
//   appliance. Trusts its own repository directory and the key files it is
//   given; the snapshot and timestamp keys never leave the token: keyd signs
//   with them for root (the admin caller) only. Every file it writes is
//   first read back with the update client's own parsers and threshold check.
#include <iostream>

#include "tools/releasectl.h"

int main(int argc, char** argv) {
  return appliance::release::run(argc, argv, std::cout, std::cerr);
}
