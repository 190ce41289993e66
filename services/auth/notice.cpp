// NAME
//   notice.cpp - composing the sign-in notice.
#include "auth/notice.h"

#include <fmt/format.h>

#include <cctype>
#include <ctime>

#include "common/mail_time.h"

namespace appliance::auth {
namespace {

std::string_view domain_of(std::string_view address) {
  auto at = address.rfind('@');
  return at == std::string_view::npos ? address : address.substr(at + 1);
}

constexpr std::string_view kNoLink =
    "This notice never contains a link and never asks for your password.\r\n";

// The header section every notice carries, then the body.
std::string message(std::string_view account, std::string_view to, std::string_view subject,
                    std::int64_t time, std::string_view message_id, std::string_view body) {
  return fmt::format(
      "Date: {}\r\n"
      "From: Mail appliance <postmaster@{}>\r\n"
      "To: <{}>\r\n"
      "Subject: {}\r\n"
      "Message-ID: <{}>\r\n"
      "Auto-Submitted: auto-generated\r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n"
      "Content-Transfer-Encoding: 8bit\r\n"
      "\r\n{}",
      rfc5322_date(time), domain_of(account), to, subject, message_id, body);
}

std::string where_from(const ChangeFacts& f) {
  if (f.source.empty()) return "  From:     the administrator's console (appliancectl)\r\n";
  return fmt::format("  Address:  {}\r\n  Program:  {}\r\n", f.source, defanged_client(f.client));
}

}  // namespace

std::string defanged_client(std::string_view client) {
  std::string out;
  for (std::size_t i = 0; i < client.size() && out.size() < 100; ++i) {
    unsigned char c = static_cast<unsigned char>(client[i]);
    bool digit_dot = c == '.' && i > 0 && i + 1 < client.size() &&
                     std::isdigit(static_cast<unsigned char>(client[i - 1])) &&
                     std::isdigit(static_cast<unsigned char>(client[i + 1]));
    if (std::isalnum(c) || c == ' ' || c == '(' || c == ')' || c == '-' || c == '_' ||
        c == ',' || c == ';' || c == '+' || digit_dot)
      out += static_cast<char>(c);
    else
      out += '_';
  }
  return out.empty() ? "(none given)" : out;
}

std::string sign_in_notice(const SignInFacts& f, std::string_view message_id) {
  std::string what = f.new_source && f.new_client ? "a new address and a new program"
                     : f.new_source               ? "a new address"
                                                  : "a new program";
  std::string date = rfc5322_date(f.time);
  std::string body = fmt::format(
      "Your mail account {} was signed in to from {}.\r\n"
      "\r\n"
      "  When:     {}\r\n"
      "  Protocol: {}\r\n"
      "  Address:  {}\r\n"
      "  Program:  {}\r\n"
      "\r\n"
      "If this was you, there is nothing to do.\r\n"
      "\r\n"
      "If it was not you, change your password and revoke the app passwords you\r\n"
      "do not recognise in the web interface of your mail service (type its\r\n"
      "address yourself), and tell your administrator.\r\n"
      "\r\n"
      "{}",
      f.address, what, date, f.protocol, f.source, defanged_client(f.client), kNoLink);
  return message(f.address, f.address, "New sign-in to your mail account", f.time, message_id,
                 body);
}

std::string password_changed_notice(const ChangeFacts& f, bool reset, std::string_view to,
                                    std::string_view message_id) {
  std::string body = fmt::format(
      "The password of your mail account {} was changed{}.\r\n"
      "\r\n"
      "  When:     {}\r\n"
      "{}"
      "\r\n"
      "If this was you, there is nothing to do. Every other web session of the\r\n"
      "account was signed out.\r\n"
      "\r\n"
      "If it was not you, tell your administrator at once: someone else can sign\r\n"
      "in to your account{}.\r\n"
      "\r\n"
      "{}",
      f.address, reset ? " with a reset code sent by mail" : "", rfc5322_date(f.time),
      where_from(f), reset ? " or reads the mail of your contact address" : "", kNoLink);
  return message(f.address, to, "The password of your mail account was changed", f.time, message_id,
                 body);
}

std::string contact_changed_notice(const ChangeFacts& f, std::string_view contact,
                                   std::string_view message_id) {
  std::string what = contact.empty()
                         ? std::string("removed: password resets by mail are off")
                         : fmt::format("set to {}: password reset codes go there", contact);
  std::string body = fmt::format(
      "The contact address of your mail account {} was {}.\r\n"
      "\r\n"
      "  When:     {}\r\n"
      "{}"
      "\r\n"
      "If this was you, there is nothing to do.\r\n"
      "\r\n"
      "If it was not you, change your password in the web interface of your mail\r\n"
      "service (type its address yourself) and tell your administrator.\r\n"
      "\r\n"
      "{}",
      f.address, what, rfc5322_date(f.time), where_from(f), kNoLink);
  return message(f.address, f.address, "The contact address of your mail account was changed",
                 f.time, message_id, body);
}

std::string email_code_mail(EmailPurpose purpose, std::string_view account, std::string_view to,
                            const Secret& code, std::int64_t time, std::int64_t expires,
                            std::string_view message_id) {
  bool reset = purpose == EmailPurpose::reset;
  std::string body = fmt::format(
      "{}\r\n"
      "\r\n"
      "  Code:        {}\r\n"
      "  Valid until: {} (once)\r\n"
      "\r\n"
      "{}\r\n"
      "\r\n"
      "If you did not ask for this, do nothing: {}\r\n"
      "\r\n"
      "This mail never contains a link and never asks for your password.\r\n",
      reset ? fmt::format("Someone asked to reset the password of the mail account {}.", account)
            : fmt::format("Someone asked to make {} the contact address of the mail account {}.",
                          to, account),
      code.reveal(), rfc5322_date(expires),
      reset ? "To choose a new password, type this code into the \"Forgot password\" form\r\n"
              "of your mail service's web interface (type its address yourself)."
            : "To confirm, type this code into \"Contact address\" in My account, in the\r\n"
              "web interface of your mail service (type its address yourself).",
      reset ? "the password stays as it is." : "the contact address stays as it is.");
  return message(
      account, to,
      reset ? "Code to reset your mail password" : "Code to confirm your contact address", time,
      message_id, body);
}

}  // namespace appliance::auth
