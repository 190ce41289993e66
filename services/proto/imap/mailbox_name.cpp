// NAME
//   mailbox_name.cpp - modified UTF-7 (RFC 3501 5.1.3) both ways.
#include "proto/imap/mailbox_name.h"

#include <cstdint>
#include <vector>

#include "proto/imap/syntax.h"

namespace appliance::imap {

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

void put_utf8(std::uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | cp >> 6);
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | cp >> 12);
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | cp >> 18);
    out += static_cast<char>(0x80 | (cp >> 12 & 0x3f));
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

// The base64 run between '&' and '-', as UTF-16 code units.
Result<std::vector<std::uint16_t>> utf16_units(std::string_view run) {
  std::vector<std::uint16_t> units;
  std::uint32_t bits = 0;
  int nbits = 0;
  for (char c : run) {
    auto v = kAlphabet.find(c);
    if (v == std::string_view::npos) return make_error("Invalid modified UTF-7 in mailbox name");
    bits = bits << 6 | static_cast<std::uint32_t>(v);
    nbits += 6;
    if (nbits >= 16) {
      nbits -= 16;
      units.push_back(static_cast<std::uint16_t>(bits >> nbits));
      bits &= (1u << nbits) - 1;
    }
  }
  if (nbits >= 6 || bits != 0 || units.empty())
    return make_error("Invalid modified UTF-7 padding in mailbox name");
  return units;
}

Result<void> append_units(const std::vector<std::uint16_t>& units, std::string& out) {
  for (std::size_t i = 0; i < units.size(); ++i) {
    std::uint32_t u = units[i];
    if (u >= 0xd800 && u < 0xdc00 && i + 1 < units.size() && units[i + 1] >= 0xdc00 &&
        units[i + 1] < 0xe000) {
      u = 0x10000 + ((u - 0xd800) << 10) + (units[++i] - 0xdc00u);
    } else if (u >= 0xd800 && u < 0xe000) {
      return make_error("Unpaired surrogate in mailbox name");
    }
    // Printable ASCII must be written as itself, never encoded.
    if (u >= 0x20 && u < 0x7f) return make_error("Non-canonical modified UTF-7 in mailbox name");
    put_utf8(u, out);
  }
  return {};
}

std::uint32_t next_code_point(std::string_view s, std::size_t& i) {
  auto c = static_cast<unsigned char>(s[i++]);
  if (c < 0x80) return c;
  int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
  std::uint32_t cp = c & (0x3f >> more);
  for (int k = 0; k < more && i < s.size(); ++k)
    cp = cp << 6 | (static_cast<unsigned char>(s[i++]) & 0x3f);
  return cp;
}

void flush_run(std::vector<std::uint16_t>& units, std::string& out) {
  if (units.empty()) return;
  out += '&';
  std::uint32_t bits = 0;
  int nbits = 0;
  for (auto u : units) {
    bits = bits << 16 | u;
    nbits += 16;
    while (nbits >= 6) {
      nbits -= 6;
      out += kAlphabet[bits >> nbits & 0x3f];
    }
    bits &= (1u << nbits) - 1;
  }
  if (nbits) out += kAlphabet[bits << (6 - nbits) & 0x3f];
  out += '-';
  units.clear();
}

}  // namespace

Result<std::string> mutf7_decode(std::string_view wire) {
  std::string out;
  std::size_t run_end = 0;  // the "-" that closed the last encoded run; 0: none yet
  for (std::size_t i = 0; i < wire.size(); ++i) {
    char c = wire[i];
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) return make_error("Mailbox name must be 7-bit (modified UTF-7)");
    if (c != '&') {
      out += c;
      continue;
    }
    auto dash = wire.find('-', i + 1);
    if (dash == std::string_view::npos) return make_error("Unterminated '&' in mailbox name");
    if (dash == i + 1) {
      out += '&';
    } else {
      // Two runs side by side are one run spelt twice.
      if (run_end && run_end + 1 == i)
        return make_error("Non-canonical modified UTF-7 in mailbox name");
      run_end = dash;
      auto units = utf16_units(wire.substr(i + 1, dash - i - 1));
      if (!units) return units.error();
      if (auto r = append_units(*units, out); !r) return r.error();
    }
    i = dash;
  }
  return out;
}

std::string mutf7_encode(std::string_view utf8) {
  std::string out;
  std::vector<std::uint16_t> units;
  for (std::size_t i = 0; i < utf8.size();) {
    std::uint32_t cp = next_code_point(utf8, i);
    if (cp >= 0x20 && cp < 0x7f) {
      flush_run(units, out);
      out += cp == '&' ? "&-" : std::string(1, static_cast<char>(cp));
    } else if (cp >= 0x10000) {
      units.push_back(static_cast<std::uint16_t>(0xd800 + ((cp - 0x10000) >> 10)));
      units.push_back(static_cast<std::uint16_t>(0xdc00 + ((cp - 0x10000) & 0x3ff)));
    } else {
      units.push_back(static_cast<std::uint16_t>(cp));
    }
  }
  flush_run(units, out);
  return out;
}

Result<std::string> decode_mailbox(std::string_view wire, bool utf8) {
  Result<std::string> name = std::string(wire);
  if (!utf8) name = mutf7_decode(wire);
  if (!name) return name;
  if (name->empty()) return make_error("Empty mailbox name");
  if (!valid_utf8(*name)) return make_error("Invalid UTF-8 in mailbox name");
  for (char c : *name)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return make_error("Control character in mailbox name");
  if (iequals(*name, "INBOX")) return std::string("INBOX");
  return name;
}

std::string encode_mailbox(std::string_view utf8_name, bool utf8) {
  return utf8 ? std::string(utf8_name) : mutf7_encode(utf8_name);
}

}  // namespace appliance::imap
