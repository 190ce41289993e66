// NAME
//   inbox_dump - print every message in an account's INBOX, for the
//   end-to-end tests.
//
// SYNOPSIS
//   inbox_dump HOME ADDRESS
//
// DESCRIPTION
//   Opens the store of the state directory HOME with keyd's data keys (keyd
//   must be running; as root, like appliancectl) and prints, for each message
//   of ADDRESS's INBOX in UID order, a line "message UID SIZE" and then
//   exactly SIZE bytes of the message.
#include <iostream>

#include "common/paths.h"
#include "keyd/client.h"
#include "store/data_key.h"
#include "store/sqlite/sqlite_store.h"

using namespace appliance;

namespace {

int fail(const std::string& message) {
  std::cerr << "inbox_dump: " << message << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return fail("usage: inbox_dump HOME ADDRESS");
  Paths paths{argv[1]};
  std::string address = argv[2];
  keyd::KeydClient client(paths.keyd_socket().string());
  store::KeydDataKeySource keys(client);
  auto s = store::sqlite::open_store({paths.store_dir(), &keys});
  if (!s) return fail(s.message());
  auto domain = (*s)->find_domain(address.substr(address.find('@') + 1));
  if (!domain) return fail(domain.message());
  auto tenant = (*s)->tenant(domain->tenant);
  if (!tenant) return fail(tenant.message());
  auto account = (*tenant)->find_account(address);
  if (!account) return fail(account.message());
  auto boxes = (*tenant)->mailboxes(account->id);
  if (!boxes) return fail(boxes.message());
  for (const store::Mailbox& box : *boxes) {
    if (box.name != "INBOX") continue;
    auto messages = (*tenant)->messages(account->id, box.id);
    if (!messages) return fail(messages.message());
    for (const store::Message& m : *messages) {
      std::string body;
      auto r = (*tenant)->read(account->id, m.id, [&](std::string_view p) -> Result<void> {
        body += p;
        return {};
      });
      if (!r) return fail(r.message());
      std::cout << "message " << m.uid << " " << body.size() << "\n" << body;
    }
  }
  return 0;
}
