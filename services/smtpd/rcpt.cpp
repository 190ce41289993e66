// NAME
//   rcpt.cpp - RCPT TO: where a recipient's mail goes, or why it is refused.
#include "common/log.h"
#include "smtpd/answers.h"

namespace appliance::smtpd {

std::string recipient_address(const smtp::Mailbox& recipient, const std::string& domain) {
  return recipient.domain.empty() ? recipient.local + "@" + domain : recipient.text();
}

smtp::Verdict recipient_unavailable() {
  return smtp::Verdict::refuse(
      smtp::make_reply(451, "4.3.0", "Recipient cannot be checked now, try again later"));
}

RecipientAnswer check_recipient(auth::Directory& directory, smtp::Mode mode,
                                const std::string& address) {
  auto found = directory.resolve(address);
  if (!found) {
    log::warning("recipient lookup failed", {{"recipient", address}, {"error", found.message()}});
    return {recipient_unavailable(), {}};
  }
  if (!found->local_domain) {
    if (mode == smtp::Mode::mx)
      return {smtp::Verdict::refuse(smtp::make_reply(554, "5.7.1", "Relay access denied")), {}};
    // Submission: the account is authenticated and may use its sender; deliverd takes it on.
    return {smtp::Verdict::accept(), {}, true};
  }
  if (found->recipients.empty())
    return {smtp::Verdict::refuse(smtp::make_reply(550, "5.1.1", "No such user here")), {}};
  return {smtp::Verdict::accept(), std::move(found->recipients)};
}

}  // namespace appliance::smtpd
