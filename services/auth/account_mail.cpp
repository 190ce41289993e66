// NAME
//   account_mail.cpp - a message appended to the INBOX or queued.
#include "auth/account_mail.h"

#include <fmt/format.h>

#include "auth/encoding.h"
#include "store/inbox.h"

namespace appliance::auth {

std::string message_id(std::string_view kind, const Located& where, std::int64_t now) {
  return fmt::format("{}.{}.{}.{}@{}", kind, now, where.account->id, base32_lower(random_bytes(10)),
                     where.domain.name);
}

Result<void> to_inbox(const Located& where, std::string_view message, std::int64_t now) {
  auto stored = store::append_to_inbox(*where.tenant, where.account->id, message, now);
  if (!stored) return stored.error();
  return {};
}

Result<void> to_outside(const Located& where, const std::string& recipient,
                        std::string_view message, std::int64_t now, dkim::KeydSigner* signer) {
  std::string signed_message;
  if (signer) {
    auto s =
        dkim::sign_message(*signer, where.domain.name, message, static_cast<std::uint64_t>(now));
    if (!s) return s.error();
    signed_message = std::move(*s);
    message = signed_message;
  }
  auto blob = where.tenant->new_blob(where.account->id);
  if (!blob) return blob.error();
  if (auto w = (*blob)->write(message); !w) return w;
  store::NewQueueEntry entry{where.account->id, where.account->address, {recipient}, now, false};
  auto queued = where.tenant->queue().enqueue(std::move(*blob), entry);
  if (!queued) return queued.error();
  return {};
}

}  // namespace appliance::auth
