// NAME
//   attributes.h - read object attributes and search for objects.
//
// DESCRIPTION
//   Thin, checked wrappers over C_GetAttributeValue and C_FindObjects*. Reading
//   a sensitive value fails as "C_GetAttributeValue: CKR_ATTRIBUTE_SENSITIVE",
//   which is what the tests assert for every private and secret key.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "p11.h"
#include "token.h"

namespace appliance::hsm {

Result<std::string> get_bytes(Session& session, CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type);
Result<bool> get_bool(Session& session, CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type);
Result<CK_ULONG> get_ulong(Session& session, CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type);

// Every object matching the template (visible to this session's login state).
Result<std::vector<CK_OBJECT_HANDLE>> find_objects(Session& session, Template& match);

// The protection flags of a private or secret key, as the token reports them.
struct KeyFlags {
  bool token = false;
  bool is_private = false;
  bool sensitive = false;
  bool extractable = true;
  bool always_sensitive = false;
  bool never_extractable = false;
  bool wrap_with_trusted = false;
  bool trusted = false;
};

Result<KeyFlags> read_key_flags(Session& session, CK_OBJECT_HANDLE key);

}  // namespace appliance::hsm
