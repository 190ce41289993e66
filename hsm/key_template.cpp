// NAME
//   key_template.cpp - identity and protection attributes of our keys.
//
// DESCRIPTION
//   See key_template.h.
#include "key_template.h"

#include <openssl/rand.h>

#include <cstdio>
#include <ctime>

namespace appliance::hsm {

namespace {

template <std::size_t N>
void put_digits(unsigned char (&field)[N], int value) {
  for (std::size_t i = N; i-- > 0; value /= 10)
    field[i] = static_cast<unsigned char>('0' + value % 10);
}

}  // namespace

CK_DATE today_utc() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  CK_DATE date{};
  put_digits(date.year, utc.tm_year + 1900);
  put_digits(date.month, utc.tm_mon + 1);
  put_digits(date.day, utc.tm_mday);
  return date;
}

std::string format_date(const CK_DATE& date) {
  const auto text = [](const unsigned char* p, std::size_t n) {
    return std::string(reinterpret_cast<const char*>(p), n);
  };
  const std::string year = text(date.year, 4);
  if (year.find_first_not_of("0123456789") != std::string::npos || year == "0000") return "";
  return year + "-" + text(date.month, 2) + "-" + text(date.day, 2);
}

Result<std::string> new_key_id() {
  std::string id(16, '\0');
  if (RAND_bytes(out_bytes(id), static_cast<int>(id.size())) != 1)
    return Error{"RAND_bytes failed"};
  return id;
}

void add_identity(Template& t, std::string_view name, std::string_view id, const CK_DATE& date) {
  t.flag(CKA_TOKEN, true)
      .bytes(CKA_LABEL, name)
      .bytes(CKA_ID, id)
      .bytes(CKA_START_DATE, std::string_view(reinterpret_cast<const char*>(&date), sizeof date));
}

void add_protection(Template& t) {
  t.flag(CKA_PRIVATE, true).flag(CKA_SENSITIVE, true).flag(CKA_EXTRACTABLE, false);
}

}  // namespace appliance::hsm
