// NAME
//   routes.cpp - every endpoint of /api/v1, in one table: what the router
//   serves and what the OpenAPI document describes.
#include "webd/api.h"
#include "webd/handlers.h"

namespace appliance::webd {

namespace h = handlers;

std::span<const Route> routes() {
  using enum Access;
  static constexpr Route kRoutes[] = {
      {"GET", "/api/v1/openapi.json", anyone, true, false, "This document", h::openapi},
      {"POST", "/api/v1/session", anyone, false, true,
       "Sign in with address and password", h::sign_in},
      {"GET", "/api/v1/session", anyone, false, false,
       "The session, if any: account, second factor due, sudo mode, CSRF token", h::session_info},
      {"DELETE", "/api/v1/session", any_session, false, false, "Sign out", h::sign_out},
      {"POST", "/api/v1/session/totp", partial, false, true,
       "The second factor: a TOTP or recovery code", h::second_factor},
      {"POST", "/api/v1/session/sudo", signed_in, false, true,
       "Sudo mode for 10 minutes: the password again, and a code with TOTP on", h::sudo},
      {"POST", "/api/v1/password-reset", anyone, false, true,
       "Forgot password: a code to the account's contact address (the same answer for every "
       "address)",
       h::request_reset},
      {"POST", "/api/v1/password-reset/confirm", anyone, false, true,
       "A new password with the mailed code (and a TOTP or recovery code with two-factor on)",
       h::confirm_reset},
      {"GET", "/api/v1/me", signed_in, true, false, "The signed-in account", h::me},
      {"GET", "/api/v1/me/logins", signed_in, true, false, "My last logins", h::my_logins},
      {"GET", "/api/v1/me/events", signed_in, true, false, "My security events", h::my_events},
      {"POST", "/api/v1/me/password", sudo, false, true, "Change my password (sudo)",
       h::change_password},
      {"POST", "/api/v1/me/email", sudo, false, true,
       "A new contact address (sudo): a code is mailed there", h::request_contact},
      {"POST", "/api/v1/me/email/confirm", signed_in, false, true,
       "Confirm the new contact address with the mailed code", h::confirm_contact},
      {"POST", "/api/v1/me/export", sudo, false, false,
       "Export my data (sudo): a tar archive of my settings, logs and mail", h::export_data},
      {"GET", "/api/v1/me/app-passwords", signed_in, true, false, "My app passwords",
       h::app_passwords},
      {"POST", "/api/v1/me/app-passwords", signed_in, false, true,
       "Create an app password (its text is shown once)", h::add_app_password},
      {"DELETE", "/api/v1/me/app-passwords/{id}", signed_in, false, false, "Revoke an app password",
       h::revoke_app_password},
      {"POST", "/api/v1/me/totp", signed_in, false, false,
       "Start TOTP enrolment: the otpauth URI and its QR code", h::begin_totp},
      {"POST", "/api/v1/me/totp/confirm", signed_in, false, true,
       "Finish TOTP enrolment with a code; the recovery codes are shown once", h::confirm_totp},
      {"DELETE", "/api/v1/me/totp", sudo, false, false, "Turn TOTP off (sudo)", h::disable_totp},
      {"GET", "/api/v1/me/api-keys", signed_in, true, false, "My API keys", h::api_keys},
      {"POST", "/api/v1/me/api-keys", sudo, false, true,
       "Create an API key (sudo; its text is shown once)", h::add_api_key},
      {"DELETE", "/api/v1/me/api-keys/{id}", signed_in, false, false, "Revoke an API key",
       h::revoke_api_key},
      {"GET", "/api/v1/admin/tenants", admin_read, true, false, "Tenants", h::admin_tenants},
      {"POST", "/api/v1/admin/tenants", admin_change, true, true, "Add a tenant (appliance admin)",
       h::admin_add_tenant},
      {"DELETE", "/api/v1/admin/tenants/{name}", admin_change, true, false,
       "Remove a tenant without domains or accounts, with its databases (appliance admin)",
       h::admin_remove_tenant},
      {"GET", "/api/v1/admin/domains", admin_read, true, false, "Domains", h::admin_domains},
      {"POST", "/api/v1/admin/domains", admin_change, true, true,
       "Add a domain to a tenant (appliance admin)", h::admin_add_domain},
      {"DELETE", "/api/v1/admin/domains/{name}", admin_change, true, false,
       "Remove a domain without accounts or aliases (appliance admin)", h::admin_remove_domain},
      {"GET", "/api/v1/admin/accounts", admin_read, true, false, "Accounts", h::admin_accounts},
      {"POST", "/api/v1/admin/accounts", admin_change, true, true,
       "Add an account; without a password, a generated one is shown once", h::admin_add_account},
      {"GET", "/api/v1/admin/accounts/{address}", admin_read, true, false, "An account",
       h::admin_account},
      {"PATCH", "/api/v1/admin/accounts/{address}", admin_change, true, true,
       "Change an account's state, role, quota or password, or reset its two-factor",
       h::admin_change_account},
      {"DELETE", "/api/v1/admin/accounts/{address}", admin_change, true, false,
       "Close an account (destroyed after the retention period)", h::admin_close_account},
      {"GET", "/api/v1/admin/aliases", admin_read, true, false, "Aliases and catch-alls",
       h::admin_aliases},
      {"POST", "/api/v1/admin/aliases", admin_change, true, true,
       "Make an alias (or @domain, a catch-all) lead to an account", h::admin_add_alias},
      {"DELETE", "/api/v1/admin/aliases/{address}", admin_change, true, false,
       "Remove an alias (or @domain, a catch-all)", h::admin_remove_alias},
      {"GET", "/api/v1/admin/logins", admin_read, true, false,
       "The login log, filtered; ?format=csv", h::admin_logins},
      {"GET", "/api/v1/admin/events", admin_read, true, false,
       "The security events, filtered; ?format=csv", h::admin_events},
      {"GET", "/api/v1/admin/queue", admin_read, true, false,
       "The outbound queue, oldest first: envelope, attempts, state; ?state, sender, recipient, "
       "limit",
       h::admin_queue},
      {"GET", "/api/v1/admin/queue/{id}", admin_read, true, false,
       "A queue entry (TENANT.ENTRY) with each recipient's state and last reply",
       h::admin_queue_entry},
      {"POST", "/api/v1/admin/queue/{id}/retry", admin_change, true, false,
       "Make a queue entry due now (a held one stays held)", h::admin_queue_retry},
      {"POST", "/api/v1/admin/queue/{id}/hold", admin_change, true, false,
       "Keep a queue entry from being tried", h::admin_queue_hold},
      {"POST", "/api/v1/admin/queue/{id}/release", admin_change, true, false,
       "Let a held queue entry be tried again", h::admin_queue_release},
      {"DELETE", "/api/v1/admin/queue/{id}", admin_change, true, false,
       "Drop a queue entry without a bounce", h::admin_queue_delete},
      {"GET", "/api/v1/admin/status", admin_read, true, false,
       "The dashboard: daemons, token, storage, certificates, mail per hour, queue, last events "
       "(appliance admin, auditor)",
       h::admin_status},
      {"GET", "/metrics", admin_read, true, false,
       "Prometheus metrics, text format 0.0.4 (appliance admin)", h::metrics},

      // Keys and certificates (admin_keys.cpp): TLS and DKIM keys in the token.
      {"GET", "/api/v1/admin/keys", admin_read, true, false,
       "TLS and DKIM key versions, each with its certificate's subject, issuer and expiry "
       "(appliance admin, auditor)",
       h::admin_keys},
      {"POST", "/api/v1/admin/keys", admin_change, true, true,
       "Generate a new version of a TLS key in the token: the first of a family tls/HOST, or a "
       "rotation (appliance admin)",
       h::admin_generate_key},
      {"POST", "/api/v1/admin/keys/{name}/csr", admin_change, true, true,
       "A certificate signing request (PEM) for a key version (tls%2FHOST%2Fv2), for the DNS "
       "names given (appliance admin)",
       h::admin_key_csr},
      {"PUT", "/api/v1/admin/keys/{name}/certificate", admin_change, true, true,
       "Install a certificate chain (PEM, leaf first) for a key version; it must match the key "
       "(appliance admin)",
       h::admin_key_certificate},
      {"POST", "/api/v1/admin/keys/{name}/retire", admin_change, true, false,
       "Retire a key version: it no longer serves (appliance admin)", h::admin_retire_key},
      {"GET", "/api/v1/admin/dkim/{domain}", admin_read, true, false,
       "The DKIM TXT records to publish for a domain (appliance admin, auditor)",
       h::admin_dkim_records},
      {"POST", "/api/v1/admin/dkim", admin_change, true, true,
       "Generate a DKIM signing key for a domain in the token; answers the record to publish "
       "(appliance admin)",
       h::admin_add_dkim_key},
  };
  return kRoutes;
}

}  // namespace appliance::webd
