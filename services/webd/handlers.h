// NAME
//   handlers.h - the REST API's handlers, one per route of routes.cpp.
//
// DESCRIPTION
//   session.cpp: sign-in, its second factor, sudo mode, sign-out.
//   me.cpp: the signed-in account: who, last logins, security events,
//   password, app passwords, TOTP enrolment, API keys, the export.
//   confirm.cpp: the contact address and the password reset, confirmed by
//   codes sent by mail.
//   Each gets a Call the router has authenticated, checked and read.
#pragma once

#include "webd/api.h"

namespace appliance::webd::handlers {

HttpResponse sign_in(Call& call);
HttpResponse session_info(Call& call);
HttpResponse sign_out(Call& call);
HttpResponse second_factor(Call& call);
HttpResponse sudo(Call& call);

HttpResponse me(Call& call);
HttpResponse my_logins(Call& call);
HttpResponse my_events(Call& call);
HttpResponse change_password(Call& call);
HttpResponse app_passwords(Call& call);
HttpResponse add_app_password(Call& call);
HttpResponse revoke_app_password(Call& call);
HttpResponse begin_totp(Call& call);
HttpResponse confirm_totp(Call& call);
HttpResponse disable_totp(Call& call);
HttpResponse api_keys(Call& call);
HttpResponse add_api_key(Call& call);
HttpResponse revoke_api_key(Call& call);
HttpResponse export_data(Call& call);

HttpResponse request_contact(Call& call);
HttpResponse confirm_contact(Call& call);
HttpResponse request_reset(Call& call);
HttpResponse confirm_reset(Call& call);

// admin.cpp, admin_logs.cpp: /api/v1/admin.
HttpResponse admin_tenants(Call& call);
HttpResponse admin_add_tenant(Call& call);
HttpResponse admin_remove_tenant(Call& call);
HttpResponse admin_domains(Call& call);
HttpResponse admin_add_domain(Call& call);
HttpResponse admin_remove_domain(Call& call);
HttpResponse admin_accounts(Call& call);
HttpResponse admin_add_account(Call& call);
HttpResponse admin_account(Call& call);
HttpResponse admin_change_account(Call& call);
HttpResponse admin_close_account(Call& call);
HttpResponse admin_aliases(Call& call);
HttpResponse admin_add_alias(Call& call);
HttpResponse admin_remove_alias(Call& call);
HttpResponse admin_logins(Call& call);
HttpResponse admin_events(Call& call);
// admin_queue.cpp: the outbound queue.
HttpResponse admin_queue(Call& call);
HttpResponse admin_queue_entry(Call& call);
HttpResponse admin_queue_retry(Call& call);
HttpResponse admin_queue_hold(Call& call);
HttpResponse admin_queue_release(Call& call);
HttpResponse admin_queue_delete(Call& call);
// admin_status.cpp: the dashboard and /metrics.
HttpResponse admin_status(Call& call);
HttpResponse metrics(Call& call);

// admin_keys.cpp: /api/v1/admin/keys, /api/v1/admin/dkim.
HttpResponse admin_keys(Call& call);
HttpResponse admin_generate_key(Call& call);
HttpResponse admin_key_csr(Call& call);
HttpResponse admin_key_certificate(Call& call);
HttpResponse admin_retire_key(Call& call);
HttpResponse admin_dkim_records(Call& call);
HttpResponse admin_add_dkim_key(Call& call);

HttpResponse openapi(Call& call);

}  // namespace appliance::webd::handlers
