// NAME
//   key_template.h - the attributes every key of ours is made with.
//
// DESCRIPTION
//   Shared by generation (keys.cpp) and import (import.cpp) so that both make
//   keys alike: CKA_TOKEN, CKA_LABEL = name, a random CKA_ID shared by the
//   private and public halves (libp11 and pkcs11-tool pair keys by it), and
//   CKA_START_DATE = today (UTC), which the inventory shows as "created".
//
//   Protection: CKA_PRIVATE, CKA_SENSITIVE true and CKA_EXTRACTABLE false. A
//   non-private secret is stored by SoftHSM in plain text on disk, so
//   CKA_PRIVATE is never left to the module's default.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "p11.h"

namespace appliance::hsm {

// DER OBJECT IDENTIFIERs, as CKA_EC_PARAMS carries a named curve.
inline constexpr std::string_view kOidP256{"\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07", 10};
inline constexpr std::string_view kOidEd25519{"\x06\x03\x2b\x65\x70", 5};
// PKCS#11 3.0 also allows the curve by name; SoftHSM writes this form on the
// private half of a pair it generates.
inline constexpr std::string_view kNamedEd25519{
    "\x13\x0c"
    "edwards25519",
    14};

CK_DATE today_utc();
std::string format_date(const CK_DATE& date);  // "YYYY-MM-DD", "" if unset

Result<std::string> new_key_id();  // 16 random bytes

// CKA_TOKEN, CKA_LABEL, CKA_ID, CKA_START_DATE.
void add_identity(Template& t, std::string_view name, std::string_view id, const CK_DATE& date);
// CKA_PRIVATE, CKA_SENSITIVE true; CKA_EXTRACTABLE false.
void add_protection(Template& t);

}  // namespace appliance::hsm
