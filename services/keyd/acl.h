// NAME
//   acl.h - who may use which key for what.
//
// DESCRIPTION
//   keyd identifies each caller by the uid the kernel reports for its socket
//   (SO_PEERCRED) and maps it to a daemon by the users in appliance.conf. Each
//   daemon may use keys of some purposes for some operations, and nothing
//   else:
//
//     daemon      tls          dkim         secret       seal          wrap
//     smtpd       sign,public  sign,public  hmac         -             data keys
//     deliverd    sign,public  -            -            -             data keys
//     imapd       sign,public  -            hmac         -             data keys
//     pop3d       sign,public  -            hmac         -             data keys
//     webd        sign,public, public,      hmac         seal,unseal   data keys
//                 manage       manage
//     monitord    -            -            -            -             data keys
//
//   The mail daemons check logins themselves (services/auth/login_service.h):
//   HMACs under the password and API peppers, never a seal or an unseal.
//
//   "manage" is the web UI's narrow share of key administration: list the
//   keys of that purpose (a list shows webd its tls and dkim keys only),
//   generate or rotate a version, make a CSR, install a certificate chain,
//   retire a version. Never import a private key, never delete, never any
//   other purpose: a webd taken over can make new keys and swap certificates
//   (what an appliance admin may do anyway), and cannot take a private key
//   out, bring one in, or destroy one.
//
//   root (and, in development without root, keyd's own uid) may do
//   everything, administration included (import, delete). Anyone else:
//   nothing.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>

#include "common/ipc.h"
#include "common/result.h"

namespace appliance::keyd {

// manage: list, generate, rotate, CSR, certificate, retire; admin: import and
// delete, root only.
enum class Use { sign, hmac, seal, unseal, data_key, public_key, manage, admin };

class Acl {
 public:
  // daemon name -> uid, from the users in the configuration.
  Acl(std::map<std::string, uid_t> daemon_uids, uid_t admin_uid);

  // Which daemon (or "root") a uid is; "" for a stranger.
  std::string caller_name(uid_t uid) const;
  // Allowed, or an error naming caller, key and use.
  // A list (key_name "") is allowed to whoever may manage any purpose.
  Result<void> check(uid_t uid, const std::string& key_name, Use use) const;
  // Whether a list shown to `uid` includes this key: root sees every key, a
  // daemon those it may manage.
  bool lists(uid_t uid, const std::string& key_name) const;

 private:
  std::map<std::string, uid_t> daemon_uids_;
  uid_t admin_uid_;
};

Use use_of(ipc::Type request);
std::string_view use_name(Use use);

}  // namespace appliance::keyd
