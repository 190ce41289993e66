// NAME
//   dkim_sign.cpp - a message held, signed through keyd, and passed on.
#include "smtpd/dkim_sign.h"

namespace appliance::smtpd {

Result<std::unique_ptr<DkimHold>> DkimHold::start(const std::filesystem::path& spool,
                                                  DkimSigner& signer, std::string domain) {
  return std::unique_ptr<DkimHold>(new DkimHold(signer, std::move(domain), HeldBytes(spool)));
}

Result<void> DkimHold::write(std::string_view bytes) {
  hasher_.write(bytes);
  return held_.write(bytes);
}

Result<std::string> DkimHold::above(std::uint64_t now) {
  return dkim::signature_fields(signer_, domain_, hasher_, now);
}

}  // namespace appliance::smtpd
