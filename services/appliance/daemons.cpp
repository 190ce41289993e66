// NAME
//   daemons.cpp - the list of supervised daemons.
#include "appliance/daemons.h"

namespace appliance {

const std::vector<DaemonSpec>& supervised_daemons() {
  // keyd first: every other daemon needs its keys.
  static const std::vector<DaemonSpec> list = {
      {"keyd", "appliance-keyd", {}},
      {"smtpd",
       "appliance-smtpd",
       {{"smtp", "127.0.0.1:2525"},
        {"submission", "127.0.0.1:2587"},
        {"submissions", "127.0.0.1:2465"}}},
      {"deliverd", "appliance-deliverd", {}},
      {"pop3d", "appliance-pop3d", {{"pop3", "127.0.0.1:2110"}, {"pop3s", "127.0.0.1:2995"}}},
      {"imapd", "appliance-imapd", {{"imap", "127.0.0.1:2143"}, {"imaps", "127.0.0.1:2993"}}},
      {"webd", "appliance-webd", {{"web", "127.0.0.1:8443"}, {"http", "127.0.0.1:8080"}}},
      // Last: its health gate asks after every other daemon. No listener.
      {"updated", "appliance-updated", {}},
  };
  return list;
}

}  // namespace appliance
