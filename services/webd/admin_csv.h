// NAME
//   admin_csv.h - CSV rows (RFC 4180) that a spreadsheet cannot run.
//
// DESCRIPTION
//   csv_field() quotes every field and doubles its quotes; a field a
//   spreadsheet would take for a formula (its first character =, +, -, @,
//   tab or carriage return) gets a leading ' so that it is shown as text.
//   Rows end in CRLF. Pure.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace appliance::webd {

std::string csv_field(std::string_view value);
std::string csv_row(std::initializer_list<std::string_view> fields);

}  // namespace appliance::webd
