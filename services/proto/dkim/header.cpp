// NAME
//   header.cpp - header fields for DKIM: collecting, splitting, selecting.
#include "proto/dkim/header.h"

#include <algorithm>

#include "proto/common/ascii.h"

namespace appliance::dkim {

namespace {

bool is_wsp(char c) { return c == ' ' || c == '\t'; }

}  // namespace

HeaderCollector::HeaderCollector(std::size_t limit, BodySink body)
    : limit_(limit), body_(std::move(body)) {}

void HeaderCollector::write(std::string_view bytes) {
  if (state_ == State::body) return body_(bytes);
  if (state_ == State::overflow) return;
  std::size_t from = header_.size() >= 3 ? header_.size() - 3 : 0;
  header_ += bytes;
  std::size_t end;
  if (header_.compare(0, 2, "\r\n") == 0) {
    end = 0;  // no header fields at all
  } else {
    auto at = header_.find("\r\n\r\n", from);
    if (at == std::string::npos) {
      if (header_.size() > limit_) {
        state_ = State::overflow;
        std::string().swap(header_);
      }
      return;
    }
    end = at + 2;
  }
  std::string rest = header_.substr(end + 2);
  header_.resize(end);
  state_ = header_.size() > limit_ ? State::overflow : State::body;
  if (state_ == State::body && !rest.empty()) body_(rest);
}

std::vector<std::string_view> split_fields(std::string_view header) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (start < header.size()) {
    std::size_t end = start;
    do {
      auto lf = header.find('\n', end);
      end = lf == std::string_view::npos ? header.size() : lf + 1;
    } while (end < header.size() && is_wsp(header[end]));
    fields.push_back(header.substr(start, end - start));
    start = end;
  }
  return fields;
}

std::string_view field_name(std::string_view field) {
  std::string_view name = field.substr(0, field.find(':'));
  while (!name.empty() && is_wsp(name.back())) name.remove_suffix(1);
  return name;
}

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return ascii::lower(x) == ascii::lower(y); });
}

std::string without_b_value(std::string_view field) {
  std::string out(field);
  auto colon = out.find(':');
  if (colon == std::string::npos) return out;
  std::size_t start = colon + 1;
  while (start <= out.size()) {
    auto semi = out.find(';', start);
    std::size_t end = semi == std::string::npos ? out.size() : semi;
    auto eq = out.find('=', start);
    if (eq != std::string::npos && eq < end) {
      std::string_view name(out.data() + start, eq - start);
      while (!name.empty() && (is_wsp(name.front()) || name.front() == '\r' || name.front() == '\n'))
        name.remove_prefix(1);
      while (!name.empty() && (is_wsp(name.back()) || name.back() == '\r' || name.back() == '\n'))
        name.remove_suffix(1);
      if (name == "b") {
        // Keep the field's final CRLF, if the value ran to the end.
        std::size_t stop = end;
        if (semi == std::string::npos && out.size() >= 2 && out.compare(out.size() - 2, 2, "\r\n") == 0)
          stop = out.size() - 2;
        if (stop > eq + 1) out.erase(eq + 1, stop - eq - 1);
        return out;
      }
    }
    if (semi == std::string::npos) break;
    start = semi + 1;
  }
  return out;
}

std::string header_hash_input(Canon canon, const std::vector<std::string_view>& fields,
                              const std::vector<std::string>& names,
                              std::string_view signature_field) {
  std::string input;
  std::vector<bool> used(fields.size(), false);
  for (const std::string& name : names) {
    for (std::size_t i = fields.size(); i-- > 0;) {
      if (used[i] || !same_name(field_name(fields[i]), name)) continue;
      used[i] = true;
      input += canon_header(canon, fields[i]);
      break;
    }
  }
  std::string sig = canon_header(canon, without_b_value(signature_field));
  sig.resize(sig.size() - 2);  // no CRLF after the signature field itself
  input += sig;
  return input;
}

}  // namespace appliance::dkim
