// NAME
//   ossl.cpp - OpenSSL error text and memory BIOs.
//
// DESCRIPTION
//   See ossl.h.
#include "ossl.h"

#include <openssl/err.h>

namespace appliance::hsm {

Error openssl_error(std::string_view what) {
  const char* data = nullptr;
  int flags = 0;
  const unsigned long code = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags);
  std::string message(what);
  if (code != 0) {
    message += ": ";
    // The text attached to an error says more than its reason code (it is where
    // a signer key's callback message travels).
    const char* reason = ERR_reason_error_string(code);
    if (data && *data && (flags & ERR_TXT_STRING)) {
      message += data;
    } else if (reason) {
      message += reason;
    } else {
      char text[256];
      ERR_error_string_n(code, text, sizeof text);
      message += text;
    }
  }
  ERR_clear_error();
  return Error{std::move(message)};
}

BioPtr memory_bio(std::string_view data) {
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

std::string bio_contents(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

}  // namespace appliance::hsm
