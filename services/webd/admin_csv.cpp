// NAME
//   admin_csv.cpp - quoted CSV fields, formulas defused.
#include "webd/admin_csv.h"

namespace appliance::webd {

std::string csv_field(std::string_view value) {
  std::string out = "\"";
  if (!value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos)
    out += '\'';
  for (char c : value) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + '"';
}

std::string csv_row(std::initializer_list<std::string_view> fields) {
  std::string out;
  for (std::string_view f : fields) out += (out.empty() ? "" : ",") + csv_field(f);
  return out + "\r\n";
}

}  // namespace appliance::webd
