// NAME
//   module.h - load a PKCS#11 module and find its token by label.
//
// DESCRIPTION
//   Module::load() opens any PKCS#11 module by path (SoftHSM in development, a
//   real HSM's module on hardware), fetches its function list and initialises
//   it for use from several threads (CKF_OS_LOCKING_OK). The destructor
//   finalises it. One Module per module path per process: a second load of the
//   same path reports CKR_CRYPTOKI_ALREADY_INITIALIZED rather than sharing
//   state that the first owner would finalise.
//
//   A slot is always found by token label, never as "the first token": a box
//   may carry several tokens, and SoftHSM renumbers slots when a token is made.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "p11.h"

namespace appliance::hsm {

class Module {
 public:
  static Result<std::unique_ptr<Module>> load(const std::string& path);
  ~Module();
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  CK_FUNCTION_LIST* fn() const { return fn_; }
  const std::string& path() const { return path_; }

  // Slots that have a token in them, initialised or not.
  Result<std::vector<CK_SLOT_ID>> slots_with_token() const;
  Result<CK_TOKEN_INFO> token_info(CK_SLOT_ID slot) const;
  // The slot whose token carries this label (labels compare without padding).
  Result<CK_SLOT_ID> find_slot(std::string_view token_label) const;
  // A slot with a token that has not been initialised yet (SoftHSM keeps one free).
  Result<CK_SLOT_ID> find_free_slot() const;

  Result<std::vector<CK_MECHANISM_TYPE>> mechanisms(CK_SLOT_ID slot) const;
  // Answered from a per-slot cache after the first call.
  Result<bool> has_mechanism(CK_SLOT_ID slot, CK_MECHANISM_TYPE mechanism) const;

 private:
  Module(void* library, CK_FUNCTION_LIST* fn, std::string path);

  void* library_;
  CK_FUNCTION_LIST* fn_;
  std::string path_;
  mutable std::mutex cache_mutex_;
  mutable std::map<CK_SLOT_ID, std::vector<CK_MECHANISM_TYPE>> mechanism_cache_;
};

// The label of a token without its blank padding.
std::string token_label(const CK_TOKEN_INFO& info);

}  // namespace appliance::hsm
