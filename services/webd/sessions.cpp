// NAME
//   sessions.cpp - web sessions opened, found, renewed and closed.
#include "webd/sessions.h"

#include <algorithm>

#include "auth/encoding.h"

namespace appliance::webd {
namespace {

constexpr std::string_view kCookie = "__Host-session";
constexpr std::size_t kIdChars = 43;  // 32 bytes, base64url without padding

std::string random_url_text(std::size_t bytes) {
  std::string s = auth::base64_encode(auth::random_bytes(bytes));
  std::replace(s.begin(), s.end(), '+', '-');
  std::replace(s.begin(), s.end(), '/', '_');
  s.erase(std::remove(s.begin(), s.end(), '='), s.end());
  return s;
}

bool url_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

std::int64_t secs(std::chrono::seconds s) { return s.count(); }

}  // namespace

std::string session_cookie(std::string_view header) {
  while (!header.empty()) {
    auto semi = std::min(header.find(';'), header.size());
    std::string_view pair = trim(header.substr(0, semi));
    header.remove_prefix(std::min(semi + 1, header.size()));
    auto eq = pair.find('=');
    if (eq == std::string_view::npos || pair.substr(0, eq) != kCookie) continue;
    std::string_view value = pair.substr(eq + 1);
    if (value.size() == kIdChars && std::all_of(value.begin(), value.end(), url_char))
      return std::string(value);
  }
  return {};
}

std::string set_session_cookie(std::string_view id) {
  return std::string(kCookie) + "=" + std::string(id) + "; Path=/; Secure; HttpOnly; SameSite=Strict";
}

std::string clear_session_cookie() {
  return std::string(kCookie) + "=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0";
}

std::int64_t Sessions::expiry(const store::WebSession& row) const {
  if (!row.full) return row.created + secs(rules_.partial);
  return std::min(row.created + secs(rules_.absolute), row.last_seen + secs(rules_.idle));
}

Result<OpenedSession> Sessions::add(store::WebSession row) {
  std::string id = random_url_text(32);
  auto mac = keys_.hmac(std::string(auth::kApiPepper), "web-session\n" + id);
  if (!mac) return mac.error();
  row.mac = mac->mac;
  row.csrf = random_url_text(16);
  row.expires = expiry(row);
  if (auto r = web_.add_session(row); !r) return r.error();
  return OpenedSession{std::move(id), std::move(row)};
}

Result<OpenedSession> Sessions::open(const auth::LoginOutcome& login, std::string source,
                                     std::string agent) {
  store::WebSession row;
  row.tenant = login.tenant;
  row.account = login.account;
  row.address = login.address;
  row.full = !login.second_factor;
  row.created = row.last_seen = clock_.unix_seconds();
  row.source = std::move(source);
  row.agent = agent.substr(0, 200);
  (void)web_.purge_sessions(row.created);  // expired sessions go as new ones come
  return add(std::move(row));
}

Result<std::optional<store::WebSession>> Sessions::find(std::string_view id) {
  if (id.empty()) return std::optional<store::WebSession>();
  auto mac = keys_.hmac(std::string(auth::kApiPepper), "web-session\n" + std::string(id));
  if (!mac) return mac.error();
  auto row = web_.session(mac->mac);
  if (!row || !*row) return row;
  std::int64_t now = clock_.unix_seconds();
  if (now >= expiry(**row)) {
    (void)web_.remove_session((*row)->mac);
    return std::optional<store::WebSession>();
  }
  if (now - (*row)->last_seen >= secs(rules_.touch_every)) {
    (*row)->last_seen = now;
    (*row)->expires = expiry(**row);
    if (auto r = web_.update_session(**row); !r) return r.error();
  }
  return row;
}

Result<OpenedSession> Sessions::renew(const store::WebSession& row) {
  if (auto r = web_.remove_session(row.mac); !r) return r.error();
  store::WebSession next = row;
  next.full = true;
  next.created = next.last_seen = clock_.unix_seconds();
  return add(std::move(next));
}

Result<void> Sessions::close(const store::WebSession& row) {
  auto r = web_.remove_session(row.mac);
  if (!r) return r.error();
  return {};
}

bool Sessions::in_sudo(const store::WebSession& row) const {
  return row.full && clock_.unix_seconds() < row.sudo_until;
}

void Sessions::start_sudo(store::WebSession& row) const {
  row.sudo_until = clock_.unix_seconds() + secs(rules_.sudo);
}

}  // namespace appliance::webd
