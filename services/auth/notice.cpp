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
      "This notice never contains a link and never asks for your password.\r\n",
      f.address, what, date, f.protocol, f.source, defanged_client(f.client));
  return fmt::format(
      "Date: {}\r\n"
      "From: Mail appliance <postmaster@{}>\r\n"
      "To: <{}>\r\n"
      "Subject: New sign-in to your mail account\r\n"
      "Message-ID: <{}>\r\n"
      "Auto-Submitted: auto-generated\r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n"
      "Content-Transfer-Encoding: 8bit\r\n"
      "\r\n{}",
      date, domain_of(f.address), f.address, message_id, body);
}

}  // namespace appliance::auth
