// NAME
//   data.h - a message being received: streamed into one sealed blob per
//   recipient account, then appended to each account's INBOX.
//
// DESCRIPTION
//   begin() opens one BlobWriter per distinct account (each account's blob is
//   sealed under its own data key) and writes the trace header first. The
//   body follows piece by piece as the session hands it over; a BlobWriter
//   keeps at most a megabyte in memory and spills sealed bytes beyond it, so
//   no message is ever held whole. commit() is blocking: it appends into
//   every INBOX, each append returning only when durable (group commit), so
//   the caller sends "250" only after commit() succeeded.
//
//   A multi-recipient message whose commit fails half-way is refused with a
//   4xx; the client's retry then duplicates it for the accounts that have it,
//   which is the safe side (RFC 5321 6.1: never lose a message).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "auth/directory.h"
#include "common/result.h"
#include "store/store.h"

namespace appliance::smtpd {

class Delivery {
 public:
  static Result<std::unique_ptr<Delivery>> begin(store::Store& store,
                                                 const std::vector<auth::Recipient>& accounts,
                                                 std::string_view header);
  Result<void> write(std::string_view bytes);
  // Blocking; call on a worker thread. `summary`: the MIME summary, or empty.
  Result<void> commit(std::int64_t internal_date, const std::string& summary);

  std::size_t accounts() const { return parts_.size(); }

 private:
  struct Part {
    std::shared_ptr<store::TenantStore> tenant;
    store::Id account = 0;
    std::unique_ptr<store::BlobWriter> blob;
  };
  std::vector<Part> parts_;
};

}  // namespace appliance::smtpd
