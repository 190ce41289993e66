// NAME
//   answer.cpp - the answer section of a DNS response, for TLSA records.
//
// DESCRIPTION
//   A cursor over the message: every read checks the bytes are there. Names
//   are skipped label by label; a compression pointer ends a name (RFC 1035
//   4.1.4) and must point inside the message.
#include "dns/answer.h"

#include <fmt/format.h>

#include <cstdint>

namespace appliance::dns {
namespace {

constexpr std::size_t kHeader = 12;
constexpr std::uint16_t kClassIn = 1;

class Cursor {
 public:
  explicit Cursor(std::string_view m) : m_(m) {}
  std::size_t left() const { return m_.size() - at_; }
  std::size_t at() const { return at_; }
  bool u8(std::uint8_t& v) {
    if (left() < 1) return false;
    v = static_cast<std::uint8_t>(m_[at_++]);
    return true;
  }
  bool u16(std::uint16_t& v) {
    std::uint8_t hi = 0, lo = 0;
    if (!u8(hi) || !u8(lo)) return false;
    v = static_cast<std::uint16_t>(hi << 8 | lo);
    return true;
  }
  bool skip(std::size_t n) {
    if (left() < n) return false;
    at_ += n;
    return true;
  }
  std::string_view take(std::size_t n) {
    auto s = m_.substr(at_, n);
    at_ += n;
    return s;
  }
  // Skips one name; false if it runs off the message or is malformed.
  bool skip_name() {
    for (std::size_t labels = 0; labels < 128; ++labels) {
      std::uint8_t len = 0;
      if (!u8(len)) return false;
      if (len == 0) return true;
      if ((len & 0xC0) == 0xC0) {
        std::uint8_t low = 0;
        if (!u8(low)) return false;
        return (static_cast<std::size_t>(len & 0x3F) << 8 | low) < m_.size();
      }
      if ((len & 0xC0) != 0 || !skip(len)) return false;
    }
    return false;
  }

 private:
  std::string_view m_;
  std::size_t at_ = 0;
};

Result<Tlsa> read_tlsa(std::string_view rdata) {
  if (rdata.size() < 3) return make_error("TLSA record shorter than 3 bytes");
  Tlsa t;
  t.usage = static_cast<std::uint8_t>(rdata[0]);
  t.selector = static_cast<std::uint8_t>(rdata[1]);
  t.matching = static_cast<std::uint8_t>(rdata[2]);
  t.data.assign(rdata.substr(3));
  return t;
}

}  // namespace

Result<std::vector<Tlsa>> parse_tlsa(std::string_view message) {
  Cursor c(message);
  std::uint16_t id = 0, flags = 0, qd = 0, an = 0;
  if (!c.u16(id) || !c.u16(flags) || !c.u16(qd) || !c.u16(an) || !c.skip(kHeader - 8))
    return make_error("DNS response shorter than its header");
  if (!(flags & 0x8000)) return make_error("DNS message is not a response");
  for (std::uint16_t i = 0; i < qd; ++i)
    if (!c.skip_name() || !c.skip(4))
      return make_error(fmt::format("DNS response truncated in question {}", i + 1));
  std::vector<Tlsa> out;
  for (std::uint16_t i = 0; i < an; ++i) {
    std::uint16_t type = 0, klass = 0, length = 0;
    if (!c.skip_name() || !c.u16(type) || !c.u16(klass) || !c.skip(4) || !c.u16(length) ||
        c.left() < length)
      return make_error(fmt::format("DNS response truncated in answer {}", i + 1));
    std::string_view rdata = c.take(length);
    if (type != kTypeTlsa || klass != kClassIn) continue;
    auto t = read_tlsa(rdata);
    if (!t) return make_error(fmt::format("answer {}: {}", i + 1, t.message()));
    out.push_back(std::move(*t));
  }
  return out;
}

const char* outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kAnswer:
      return "answer";
    case Outcome::kNoDomain:
      return "no such domain";
    case Outcome::kNoData:
      return "no record";
    case Outcome::kTemporary:
      return "temporary failure";
  }
  return "?";
}

}  // namespace appliance::dns
