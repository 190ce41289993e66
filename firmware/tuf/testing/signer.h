// NAME
//   signer.h - the signers tests use: freshly generated in-memory keys.
//
// DESCRIPTION
//   The Signer interface and sign_metadata() live in the library
//   (tuf/signer.h), shared with the release tool; tests name them here.
#pragma once

#include "tuf/signer.h"

namespace appliance::tuf::testing {

using tuf::KeyKind;
using tuf::sign_metadata;
using tuf::Signer;
using InMemorySigner = tuf::PrivateKeySigner;

}  // namespace appliance::tuf::testing
