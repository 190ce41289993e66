// NAME
//   syntax.cpp - case, numbers, ESMTP parameters and xtext.
#include "proto/smtp/syntax.h"

#include <fmt/format.h>

namespace appliance::smtp {

namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool valid_keyword(std::string_view k) {
  if (k.empty() || !is_alnum(k[0])) return false;
  for (char c : k) {
    if (!is_alnum(c) && c != '-') return false;
  }
  return true;
}

// esmtp-value: any printable but "=" and space; UTF-8 bytes with SMTPUTF8.
bool valid_value(std::string_view v, bool utf8) {
  if (v.empty()) return false;
  for (char c : v) {
    auto u = static_cast<unsigned char>(c);
    bool ok = (u >= 33 && u <= 126 && c != '=') || (utf8 && u >= 0x80);
    if (!ok) return false;
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;  // RFC 3461 hexchar is upper case only
}

}  // namespace

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

std::optional<std::uint64_t> parse_decimal(std::string_view digits) {
  if (digits.empty() || digits.size() > 20) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    std::uint64_t d = static_cast<std::uint64_t>(c - '0');
    if (value > (UINT64_MAX - d) / 10) return std::nullopt;
    value = value * 10 + d;
  }
  return value;
}

std::optional<std::vector<Param>> split_params(std::string_view text, bool utf8) {
  std::vector<Param> out;
  while (!text.empty()) {
    if (text[0] == ' ') {
      text.remove_prefix(1);
      continue;
    }
    std::size_t end = text.find(' ');
    std::string_view item = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end);
    std::size_t eq = item.find('=');
    Param p{item.substr(0, eq), std::nullopt};
    if (eq != std::string_view::npos) p.value = item.substr(eq + 1);
    if (!valid_keyword(p.keyword) || (p.value && !valid_value(*p.value, utf8))) return std::nullopt;
    out.push_back(p);
  }
  return out;
}

Parsed<std::vector<Param>> read_params(std::string_view text) {
  auto params = split_params(text, true);
  if (!params) return make_reply(501, "5.5.4", "Bad parameter syntax");
  for (std::size_t i = 0; i < params->size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (iequals((*params)[i].keyword, (*params)[j].keyword))
        return make_reply(501, "5.5.4", "Duplicate parameter " + std::string((*params)[i].keyword));
    }
  }
  return std::move(*params);
}

std::optional<std::string> decode_xtext(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      if (text.size() - i < 3) return std::nullopt;
      int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c >= 33 && c <= 126 && c != '=') {
      out += c;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

std::string encode_xtext(std::string_view text) {
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 33 && u <= 126 && c != '+' && c != '=')
      out += c;
    else
      out += fmt::format("+{:02X}", u);
  }
  return out;
}

}  // namespace appliance::smtp
