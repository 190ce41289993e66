// NAME
//   answer.cpp - the answer section of a DNS response, for TLSA records.
//
// DESCRIPTION
//   A cursor over the message: every read checks the bytes are there. Names
//   are skipped label by label; a compression pointer ends a name (RFC 1035
//   4.1.4) and must point inside the message. Both readers share the walk
//   over the header, the question and each resource record.
#include "dns/answer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <optional>

namespace appliance::dns {
namespace {

constexpr std::size_t kHeader = 12;
constexpr std::uint16_t kClassIn = 1;
constexpr std::uint16_t kTypeSoa = 6;

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
  bool u32(std::uint32_t& v) {
    std::uint16_t hi = 0, lo = 0;
    if (!u16(hi) || !u16(lo)) return false;
    v = static_cast<std::uint32_t>(hi) << 16 | lo;
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

// One resource record of an answer or authority section.
struct Record {
  std::uint16_t type = 0, klass = 0;
  std::uint32_t ttl = 0;
  std::string_view rdata;
};

// The header and question read; answer() and authority() then read records.
class Response {
 public:
  static Result<Response> read(std::string_view message) {
    Response r(message);
    Cursor& c = r.c_;
    std::uint16_t id = 0, flags = 0, qd = 0;
    if (!c.u16(id) || !c.u16(flags) || !c.u16(qd) || !c.u16(r.an_) || !c.u16(r.ns_) ||
        !c.skip(kHeader - 10))
      return make_error("DNS response shorter than its header");
    if (!(flags & 0x8000)) return make_error("DNS message is not a response");
    for (std::uint16_t i = 0; i < qd; ++i)
      if (!c.skip_name() || !c.skip(4))
        return make_error(fmt::format("DNS response truncated in question {}", i + 1));
    return r;
  }
  std::uint16_t answers() const { return an_; }
  std::uint16_t authorities() const { return ns_; }
  // The next record; `section` and `i` (from 1) name it in an error.
  Result<Record> record(const char* section, std::uint16_t i) {
    Record rr;
    std::uint16_t length = 0;
    if (!c_.skip_name() || !c_.u16(rr.type) || !c_.u16(rr.klass) || !c_.u32(rr.ttl) ||
        !c_.u16(length) || c_.left() < length)
      return make_error(fmt::format("DNS response truncated in {} {}", section, i));
    rr.rdata = c_.take(length);
    return rr;
  }

 private:
  explicit Response(std::string_view m) : c_(m) {}
  Cursor c_;
  std::uint16_t an_ = 0, ns_ = 0;
};

// RFC 2181 8: a TTL with the top bit set is read as 0.
std::uint32_t ttl_of(std::uint32_t ttl) { return ttl & 0x80000000u ? 0 : ttl; }

// RFC 2308 5: a negative answer lives as long as the lower of the SOA's own
// TTL and its MINIMUM field (the last of its rdata's five numbers).
std::optional<std::uint32_t> negative_ttl(const Record& soa) {
  if (soa.rdata.size() < 22) return std::nullopt;  // two names of at least one byte, 20 bytes
  std::string_view tail = soa.rdata.substr(soa.rdata.size() - 4);
  std::uint32_t minimum = 0;
  for (char ch : tail) minimum = minimum << 8 | static_cast<std::uint8_t>(ch);
  return std::min(ttl_of(soa.ttl), ttl_of(minimum));
}

}  // namespace

Result<std::vector<Tlsa>> parse_tlsa(std::string_view message) {
  auto response = Response::read(message);
  if (!response) return response.error();
  std::vector<Tlsa> out;
  for (std::uint16_t i = 1; i <= response->answers(); ++i) {
    auto rr = response->record("answer", i);
    if (!rr) return rr.error();
    if (rr->type != kTypeTlsa || rr->klass != kClassIn) continue;
    auto t = read_tlsa(rr->rdata);
    if (!t) return make_error(fmt::format("answer {}: {}", i, t.message()));
    out.push_back(std::move(*t));
  }
  return out;
}

std::uint32_t cache_ttl(std::string_view message) {
  auto response = Response::read(message);
  if (!response) return 0;
  std::optional<std::uint32_t> ttl;
  auto lower = [&ttl](std::uint32_t t) { ttl = std::min(ttl.value_or(t), t); };
  for (std::uint16_t i = 1; i <= response->answers(); ++i) {
    auto rr = response->record("answer", i);
    if (!rr) return 0;
    lower(ttl_of(rr->ttl));
  }
  for (std::uint16_t i = 1; i <= response->authorities(); ++i) {
    auto rr = response->record("authority", i);
    if (!rr) return 0;
    if (rr->type != kTypeSoa || rr->klass != kClassIn) continue;
    auto negative = negative_ttl(*rr);
    if (!negative) return 0;
    lower(*negative);
  }
  return ttl.value_or(0);  // no record, no SOA: not to be kept (RFC 2308 5)
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
