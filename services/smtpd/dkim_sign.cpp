// NAME
//   dkim_sign.cpp - a message held, signed through keyd, and passed on.
#include "smtpd/dkim_sign.h"

#include "proto/common/ascii.h"
#include "proto/dmarc/record.h"

namespace appliance::smtpd {

Result<std::unique_ptr<DkimHold>> DkimHold::start(const std::filesystem::path& spool,
                                                  DkimSigner& signer, std::string domain,
                                                  MaySendAs may_send_as) {
  return std::unique_ptr<DkimHold>(
      new DkimHold(signer, std::move(domain), std::move(may_send_as), HeldBytes(spool)));
}

Result<void> DkimHold::write(std::string_view bytes) {
  hasher_.write(bytes);
  return held_.write(bytes);
}

// The From address's domain when it may sign this message, else the envelope
// sender's; the account is asked last, only when the domain has keys.
std::string DkimHold::signing_domain() {
  if (!may_send_as_) return domain_;
  auto address = dmarc::from_address(hasher_.header());
  auto from = address ? dmarc::domain_of_address(*address) : Result<std::string>(address.error());
  if (!from || ascii::iequals(*from, domain_)) return domain_;
  auto keys = signer_.keys.for_domain(*from);
  if (!keys || keys->empty()) return domain_;
  return may_send_as_(*address) ? *from : domain_;
}

Result<std::string> DkimHold::above(std::uint64_t now) {
  return dkim::signature_fields(signer_, signing_domain(), hasher_, now);
}

}  // namespace appliance::smtpd
