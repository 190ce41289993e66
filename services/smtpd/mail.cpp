// NAME
//   mail.cpp - MAIL FROM: whether the envelope sender may be used.
#include <fmt/format.h>

#include "common/log.h"
#include "smtpd/answers.h"

namespace appliance::smtpd {

smtp::Verdict check_sender(auth::Directory& directory, smtp::Mode mode,
                           const smtp::event::CheckSender& question) {
  if (mode == smtp::Mode::mx) return smtp::Verdict::accept();
  // A user's own mail always names a sender: bounces come from the server.
  if (question.sender.null())
    return smtp::Verdict::refuse(
        smtp::make_reply(553, "5.7.1", "A null sender is not allowed on submission"));
  std::string sender = question.sender.text();
  auto owned = directory.may_send_as(question.account, sender);
  if (!owned) {
    log::warning("sender check failed",
                 {{"account", question.account}, {"error", owned.message()}});
    return smtp::Verdict::refuse(
        smtp::make_reply(451, "4.3.0", "Sender cannot be checked now, try again later"));
  }
  if (!*owned)
    return smtp::Verdict::refuse(smtp::make_reply(
        553, "5.7.1",
        fmt::format("Sender address <{}> does not belong to {}", sender, question.account)));
  return smtp::Verdict::accept();
}

}  // namespace appliance::smtpd
