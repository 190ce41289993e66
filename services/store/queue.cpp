// NAME
//   queue.cpp - names of the queue's recipient states, as stored.
#include "store/queue.h"

#include <algorithm>

namespace appliance::store {

const char* to_string(RecipientState state) {
  switch (state) {
    case RecipientState::pending:
      return "pending";
    case RecipientState::delivered:
      return "delivered";
    case RecipientState::bounced:
      return "bounced";
  }
  return "pending";
}

std::optional<RecipientState> recipient_state(std::string_view text) {
  for (auto s : {RecipientState::pending, RecipientState::delivered, RecipientState::bounced})
    if (text == to_string(s)) return s;
  return std::nullopt;
}

bool QueueEntry::pending() const {
  return std::any_of(recipients.begin(), recipients.end(),
                     [](const QueuedRecipient& r) { return r.state == RecipientState::pending; });
}

}  // namespace appliance::store
