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

namespace {

// Whether the account has used all of its quota (0: no limit).
Result<bool> at_quota(store::Store& store, const auth::Recipient& r) {
  auto tenant = store.tenant(r.tenant);
  if (!tenant) return tenant.error();
  auto usage = (*tenant)->usage(r.account);
  if (!usage) return usage.error();
  return !usage->room_for(1);  // not a byte more
}

}  // namespace

RecipientAnswer within_quota(store::Store& store, RecipientAnswer answer) {
  if (!answer.verdict.accepted || answer.remote) return answer;
  std::vector<auth::Recipient> kept;
  for (auto& r : answer.accounts) {
    auto full = at_quota(store, r);
    if (!full) {
      log::warning("quota lookup failed", {{"recipient", r.address}, {"error", full.message()}});
      return {recipient_unavailable(), {}};
    }
    if (!*full) kept.push_back(std::move(r));
  }
  if (kept.empty())
    return {smtp::Verdict::refuse(smtp::make_reply(552, "5.2.2", "Mailbox full")), {}};
  answer.accounts = std::move(kept);
  return answer;
}

}  // namespace appliance::smtpd
