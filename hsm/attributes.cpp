// NAME
//   attributes.cpp - C_GetAttributeValue and C_FindObjects, checked.
//
// DESCRIPTION
//   Variable-length values are read in two calls (length, then value).
#include "attributes.h"

namespace appliance::hsm {

namespace {

Result<void> get_fixed(Session& session, CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type,
                       void* value, CK_ULONG size) {
  CK_ATTRIBUTE attribute{type, value, size};
  const CK_RV rv = session.fn()->C_GetAttributeValue(session.handle(), object, &attribute, 1);
  if (rv != CKR_OK) return p11_error("C_GetAttributeValue", rv);
  if (attribute.ulValueLen != size) return Error{"C_GetAttributeValue: unexpected value size"};
  return {};
}

}  // namespace

Result<std::string> get_bytes(Session& session, CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type) {
  CK_ATTRIBUTE attribute{type, nullptr, 0};
  CK_RV rv = session.fn()->C_GetAttributeValue(session.handle(), object, &attribute, 1);
  if (rv != CKR_OK) return p11_error("C_GetAttributeValue", rv);
  std::string value(attribute.ulValueLen, '\0');
  attribute.pValue = value.data();
  rv = session.fn()->C_GetAttributeValue(session.handle(), object, &attribute, 1);
  if (rv != CKR_OK) return p11_error("C_GetAttributeValue", rv);
  value.resize(attribute.ulValueLen);
  return value;
}

Result<bool> get_bool(Session& session, CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type) {
  CK_BBOOL value = CK_FALSE;
  if (auto ok = get_fixed(session, object, type, &value, sizeof value); !ok) return ok.error();
  return value == CK_TRUE;
}

Result<CK_ULONG> get_ulong(Session& session, CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type) {
  CK_ULONG value = 0;
  if (auto ok = get_fixed(session, object, type, &value, sizeof value); !ok) return ok.error();
  return value;
}

Result<std::vector<CK_OBJECT_HANDLE>> find_objects(Session& session, Template& match) {
  CK_FUNCTION_LIST* fn = session.fn();
  CK_RV rv = fn->C_FindObjectsInit(session.handle(), match.data(), match.size());
  if (rv != CKR_OK) return p11_error("C_FindObjectsInit", rv);
  std::vector<CK_OBJECT_HANDLE> found;
  for (;;) {
    CK_OBJECT_HANDLE batch[64];
    CK_ULONG count = 0;
    rv = fn->C_FindObjects(session.handle(), batch, 64, &count);
    if (rv != CKR_OK || count == 0) break;
    found.insert(found.end(), batch, batch + count);
  }
  const CK_RV final_rv = fn->C_FindObjectsFinal(session.handle());
  if (rv != CKR_OK) return p11_error("C_FindObjects", rv);
  if (final_rv != CKR_OK) return p11_error("C_FindObjectsFinal", final_rv);
  return found;
}

Result<KeyFlags> read_key_flags(Session& session, CK_OBJECT_HANDLE key) {
  KeyFlags flags;
  const std::pair<CK_ATTRIBUTE_TYPE, bool*> wanted[] = {
      {CKA_TOKEN, &flags.token},
      {CKA_PRIVATE, &flags.is_private},
      {CKA_SENSITIVE, &flags.sensitive},
      {CKA_EXTRACTABLE, &flags.extractable},
      {CKA_ALWAYS_SENSITIVE, &flags.always_sensitive},
      {CKA_NEVER_EXTRACTABLE, &flags.never_extractable},
      {CKA_WRAP_WITH_TRUSTED, &flags.wrap_with_trusted},
  };
  for (const auto& [type, target] : wanted) {
    auto value = get_bool(session, key, type);
    if (!value) return value.error();
    *target = *value;
  }
  // CKA_TRUSTED is defined for secret and public keys only.
  if (auto trusted = get_bool(session, key, CKA_TRUSTED)) flags.trusted = *trusted;
  return flags;
}

}  // namespace appliance::hsm
