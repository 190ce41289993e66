// NAME
//   p11.h - the PKCS#11 C boundary: the header, return-code names, templates.
//
// DESCRIPTION
//   Every CK_RV that comes back from a module becomes an appliance::Error
//   reading "<C function>: <CKR_ name>", e.g. "C_Login: CKR_PIN_INCORRECT".
//   No exception is thrown from this library, and none may cross into or out of
//   a module.
//
//   Template owns the bytes its CK_ATTRIBUTEs point at and wipes them when it
//   goes away, because on import a template carries private key material.
#pragma once

#include <p11-kit/pkcs11.h>

#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace appliance::hsm {

// "CKR_PIN_INCORRECT"; unknown codes as "CKR_0x<hex>".
std::string rv_name(CK_RV rv);

// "C_Login: CKR_PIN_INCORRECT". Clears this thread's OpenSSL error queue.
Error p11_error(std::string_view function, CK_RV rv);

inline Result<void> p11_check(std::string_view function, CK_RV rv) {
  if (rv == CKR_OK) return {};
  return p11_error(function, rv);
}

// "generate tls/x/v1: C_GenerateKeyPair: CKR_..." — prefixes what we were doing.
Error with_context(std::string_view context, const Error& error);

// An attribute template whose values live as long as the template.
class Template {
 public:
  Template() = default;
  Template(const Template&) = delete;
  Template& operator=(const Template&) = delete;
  ~Template();

  Template& flag(CK_ATTRIBUTE_TYPE type, bool value);
  Template& ulong(CK_ATTRIBUTE_TYPE type, CK_ULONG value);
  Template& bytes(CK_ATTRIBUTE_TYPE type, std::string_view value);

  CK_ATTRIBUTE* data() { return attributes_.data(); }
  CK_ULONG size() const { return static_cast<CK_ULONG>(attributes_.size()); }

 private:
  CK_ATTRIBUTE& store(CK_ATTRIBUTE_TYPE type, std::string value);

  std::deque<std::string> values_;  // a deque: growing it never moves an element
  std::vector<CK_ATTRIBUTE> attributes_;
};

// A PKCS#11 byte pointer for data the module only reads; never null, because
// some modules reject a null pointer even with a zero length.
inline CK_BYTE_PTR in_bytes(std::string_view s) {
  static CK_BYTE empty = 0;
  return s.data() ? reinterpret_cast<CK_BYTE_PTR>(const_cast<char*>(s.data())) : &empty;
}
inline CK_BYTE_PTR out_bytes(std::string& s) {
  return reinterpret_cast<CK_BYTE_PTR>(s.data());
}

}  // namespace appliance::hsm
