// NAME
//   module.cpp - dlopen a PKCS#11 module, initialise it, find slots.
//
// DESCRIPTION
//   The module is opened with RTLD_NODELETE: SoftHSM links OpenSSL and
//   registers state with it, and unmapping it while the process goes on using
//   OpenSSL is not something either library promises to survive. Finalising
//   is what releases the token; the mapping itself is left for the process.
#include "module.h"

#include <dlfcn.h>
#include <openssl/err.h>

#include <algorithm>

namespace appliance::hsm {

namespace {

std::string dl_error() {
  const char* message = dlerror();
  return message ? message : "unknown error";
}

}  // namespace

Result<std::unique_ptr<Module>> Module::load(const std::string& path) {
  void* library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (!library) return Error{"PKCS#11 module " + path + ": " + dl_error()};

  auto get_list = reinterpret_cast<CK_C_GetFunctionList>(dlsym(library, "C_GetFunctionList"));
  if (!get_list) {
    dlclose(library);
    return Error{"PKCS#11 module " + path + ": no C_GetFunctionList"};
  }
  CK_FUNCTION_LIST* fn = nullptr;
  if (CK_RV rv = get_list(&fn); rv != CKR_OK || !fn) {
    dlclose(library);
    return p11_error("C_GetFunctionList", rv == CKR_OK ? CKR_GENERAL_ERROR : rv);
  }

  CK_C_INITIALIZE_ARGS args{};
  args.flags = CKF_OS_LOCKING_OK;
  // SoftHSM's initialisation leaves a failed engine load on OpenSSL's error
  // queue; a stale entry there makes a later SSL_get_error() report failure.
  ERR_set_mark();
  const CK_RV init_rv = fn->C_Initialize(&args);
  ERR_pop_to_mark();
  if (CK_RV rv = init_rv; rv != CKR_OK) {
    dlclose(library);
    return p11_error("C_Initialize", rv);
  }
  return std::unique_ptr<Module>(new Module(library, fn, path));
}

Module::Module(void* library, CK_FUNCTION_LIST* fn, std::string path)
    : library_(library), fn_(fn), path_(std::move(path)) {}

Module::~Module() {
  fn_->C_Finalize(nullptr);
  dlclose(library_);
}

Result<std::vector<CK_SLOT_ID>> Module::slots_with_token() const {
  CK_ULONG count = 0;
  if (CK_RV rv = fn_->C_GetSlotList(CK_TRUE, nullptr, &count); rv != CKR_OK)
    return p11_error("C_GetSlotList", rv);
  std::vector<CK_SLOT_ID> slots(count);
  if (CK_RV rv = fn_->C_GetSlotList(CK_TRUE, slots.data(), &count); rv != CKR_OK)
    return p11_error("C_GetSlotList", rv);
  slots.resize(count);
  return slots;
}

Result<CK_TOKEN_INFO> Module::token_info(CK_SLOT_ID slot) const {
  CK_TOKEN_INFO info{};
  if (CK_RV rv = fn_->C_GetTokenInfo(slot, &info); rv != CKR_OK)
    return p11_error("C_GetTokenInfo", rv);
  return info;
}

Result<CK_SLOT_ID> Module::find_slot(std::string_view label) const {
  auto slots = slots_with_token();
  if (!slots) return slots.error();
  for (CK_SLOT_ID slot : *slots) {
    auto info = token_info(slot);
    if (!info) return info.error();
    if ((info->flags & CKF_TOKEN_INITIALIZED) && token_label(*info) == label) return slot;
  }
  return Error{"no token labelled \"" + std::string(label) + "\" in " + path_};
}

Result<CK_SLOT_ID> Module::find_free_slot() const {
  auto slots = slots_with_token();
  if (!slots) return slots.error();
  for (CK_SLOT_ID slot : *slots) {
    auto info = token_info(slot);
    if (!info) return info.error();
    if (!(info->flags & CKF_TOKEN_INITIALIZED)) return slot;
  }
  return Error{"no uninitialised token in " + path_};
}

Result<std::vector<CK_MECHANISM_TYPE>> Module::mechanisms(CK_SLOT_ID slot) const {
  CK_ULONG count = 0;
  if (CK_RV rv = fn_->C_GetMechanismList(slot, nullptr, &count); rv != CKR_OK)
    return p11_error("C_GetMechanismList", rv);
  std::vector<CK_MECHANISM_TYPE> list(count);
  if (CK_RV rv = fn_->C_GetMechanismList(slot, list.data(), &count); rv != CKR_OK)
    return p11_error("C_GetMechanismList", rv);
  list.resize(count);
  return list;
}

Result<bool> Module::has_mechanism(CK_SLOT_ID slot, CK_MECHANISM_TYPE mechanism) const {
  std::lock_guard lock(cache_mutex_);
  auto cached = mechanism_cache_.find(slot);
  if (cached == mechanism_cache_.end()) {
    auto list = mechanisms(slot);
    if (!list) return list.error();
    cached = mechanism_cache_.emplace(slot, std::move(*list)).first;
  }
  const auto& list = cached->second;
  return std::find(list.begin(), list.end(), mechanism) != list.end();
}

std::string token_label(const CK_TOKEN_INFO& info) {
  std::string label(reinterpret_cast<const char*>(info.label), sizeof info.label);
  while (!label.empty() && (label.back() == ' ' || label.back() == '\0')) label.pop_back();
  return label;
}

}  // namespace appliance::hsm
