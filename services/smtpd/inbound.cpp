// NAME
//   inbound.cpp - DKIM verified as the body streams, then SPF and DMARC, then
//   the Authentication-Results field.
#include "smtpd/inbound.h"

#include <fmt/format.h>

#include <algorithm>
#include <random>

#include "common/counters_report.h"
#include "proto/common/ascii.h"
#include "proto/common/sasl.h"
#include "proto/dkim/key_record.h"
#include "proto/dkim/sign.h"
#include "proto/dkim/verify.h"
#include "proto/dmarc/record.h"
#include "proto/spf/check.h"

namespace appliance::smtpd {

namespace {

// A value as RFC 8601 allows it: a token (or an address, for smtp.mailfrom)
// as it is, anything else as a quoted string of printable characters.
std::string token(std::string_view s) {
  s = s.substr(0, 120);
  bool plain = !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`{|}~@").find(static_cast<char>(c)) !=
                                  std::string_view::npos;
  });
  if (plain) return std::string(s);
  std::string out = "\"";
  for (char c : s)
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') out += c;
  return out + "\"";
}

std::string ip_of(std::string address) {
  if (address.size() > 2 && address.front() == '[') address = address.substr(1, address.size() - 2);
  if (address.starts_with("::ffff:") && address.find('.') != std::string::npos)
    address = address.substr(7);
  return address;
}

}  // namespace

Filtering dmarc_filtering(const dmarc::Evaluation& e, std::string_view from, int roll) {
  Filtering f;
  if (e.outcome != dmarc::Outcome::fail || e.policy == dmarc::Policy::none) return f;
  // RFC 7489 6.6.4: outside the sampled share the next milder policy applies.
  dmarc::Policy applied = e.policy;
  if (roll >= e.pct)
    applied = applied == dmarc::Policy::reject ? dmarc::Policy::quarantine : dmarc::Policy::none;
  f.summary = fmt::format("dmarc fail, p={} pct={}: {}", dmarc::policy_name(e.policy), e.pct,
                          applied == dmarc::Policy::reject       ? "refused"
                          : applied == dmarc::Policy::quarantine ? "filed as Junk"
                                                                 : "delivered (not sampled)");
  if (applied == dmarc::Policy::quarantine) f.outcome = Filtering::Outcome::junk;
  if (applied == dmarc::Policy::reject) {
    f.outcome = Filtering::Outcome::refuse;
    // RFC 7372: 5.7.26, more than one authentication check failed.
    f.refusal = smtp::make_reply(
        550, "5.7.26",
        fmt::format("Unauthenticated mail from {} refused by its DMARC policy", token(from)));
  }
  return f;
}

struct InboundCheck::Sig {
  std::string field;
  Result<dkim::Signature> parsed;
  dkim::Sha256 sha;
  std::unique_ptr<dkim::BodyCanon> canon;
  std::string body_hash;

  explicit Sig(std::string_view f)
      : field(f), parsed(dkim::parse_signature(dkim::field_value(f))) {
    if (!parsed) return;
    canon = std::make_unique<dkim::BodyCanon>(
        parsed->body_canon, [this](std::string_view s) { sha.update(s); }, parsed->length);
  }
};

InboundCheck::InboundCheck()
    : collector_(dkim::kHeaderLimit, [this](std::string_view body) {
        start_body();
        for (auto& s : sigs_)
          if (s->canon) s->canon->write(body);
      }) {}

InboundCheck::~InboundCheck() = default;

void InboundCheck::write(std::string_view bytes) { collector_.write(bytes); }

void InboundCheck::start_body() {
  if (body_started_) return;
  body_started_ = true;
  auto fields = dkim::split_fields(collector_.header());
  for (std::string_view f : dkim::signature_fields(fields)) {
    if (sigs_.size() == kMaxSignatures) break;
    sigs_.push_back(std::make_unique<Sig>(f));
  }
}

std::string InboundCheck::dkim_results(dns::Resolver& resolver, std::uint64_t now,
                                       std::vector<std::string>& passed) {
  if (sigs_.empty()) return "dkim=none";
  auto fields = dkim::split_fields(collector_.header());
  std::string out;
  for (auto& s : sigs_) {
    if (!out.empty()) out += ";\r\n\t";
    if (!s->parsed) {
      out += fmt::format("dkim=permerror reason={}", token(s->parsed.message()));
      continue;
    }
    const dkim::Signature& sig = *s->parsed;
    s->canon->finish();
    std::string verdict = "pass", reason;
    auto txt = resolver.txt(fmt::format("{}._domainkey.{}", sig.selector, sig.domain));
    auto record = txt.ok() ? dkim::parse_key_record(txt.records.front())
                           : Result<dkim::KeyRecord>(make_error(txt.message));
    if (txt.temporary()) {
      verdict = "temperror", reason = "key lookup failed";
    } else if (!record) {
      verdict = "permerror", reason = "no usable key record";
    } else if (sig.expires && *sig.expires < now) {
      verdict = "fail", reason = "signature expired";
    } else if (auto ok = dkim::check_signature(fields, s->field, sig, s->sha.finish(), *record); !ok) {
      verdict = "fail", reason = ok.message();
    } else {
      passed.push_back(ascii::lowered(sig.domain));
    }
    std::string b = sasl::base64_encode(sig.signature).substr(0, 8);
    out += fmt::format("dkim={}{} header.d={} header.s={} header.a={} header.b={}", verdict,
                       reason.empty() ? "" : " reason=" + token(reason), token(sig.domain),
                       token(sig.selector), dkim::algorithm_name(sig.algorithm), token(b));
  }
  return out;
}

std::string InboundCheck::results(dns::Resolver& resolver, const Envelope& envelope,
                                  const std::string& authserv_id, std::uint64_t now) {
  start_body();
  std::vector<std::string> dkim_passed;
  std::string dkim = dkim_results(resolver, now, dkim_passed);

  bool null_sender = envelope.mail_from.empty();
  std::string sender = null_sender ? "postmaster@" + envelope.helo : envelope.mail_from;
  std::string spf_domain = ascii::lowered(sender.substr(sender.rfind('@') + 1));
  auto ip = spf::parse_address(ip_of(envelope.address));
  spf::Verdict spf{spf::Outcome::none, "no client address"};
  if (ip) spf = spf::check_host(resolver, {*ip, sender, envelope.helo, spf_domain});
  sender_verified_ = !null_sender && spf.outcome == spf::Outcome::pass;
  std::string spf_text = fmt::format("spf={} {}={}", spf::outcome_name(spf.outcome),
                                     null_sender ? "smtp.helo" : "smtp.mailfrom",
                                     token(null_sender ? envelope.helo : sender));

  std::string dmarc_text;
  auto from = dmarc::from_domain(collector_.header());
  if (!from) {
    dmarc_text = fmt::format("dmarc=permerror reason={}", token(from.message()));
  } else {
    dmarc::Authenticated a;
    if (spf.outcome == spf::Outcome::pass) a.spf_domain = spf_domain;
    a.dkim_domains = dkim_passed;
    auto e = dmarc::evaluate(resolver, *from, a);
    dmarc_ = e, from_domain_ = *from;
    dmarc_text = fmt::format("dmarc={}{} header.from={}", dmarc::outcome_name(e.outcome),
                             e.outcome == dmarc::Outcome::pass || e.outcome == dmarc::Outcome::fail
                                 ? fmt::format(" (p={})", dmarc::policy_name(e.policy))
                                 : "",
                             token(*from));
  }
  return fmt::format("Authentication-Results: {};\r\n\t{};\r\n\t{};\r\n\t{}\r\n", authserv_id,
                     dkim, spf_text, dmarc_text);
}

std::string InboundCheck::header_without_ours(const std::string& authserv_id,
                                              bool spam_fields) const {
  std::string out;
  for (std::string_view f : dkim::split_fields(collector_.header())) {
    std::string_view name = dkim::field_name(f);
    if (spam_fields && (dkim::same_name(name, "X-Spam") || dkim::same_name(name, "X-Spam-Action") ||
                        dkim::same_name(name, "X-Spam-Score")))
      continue;
    if (dkim::same_name(name, "Authentication-Results")) {
      std::string_view value = dkim::field_value(f);
      value = value.substr(0, value.find(';'));
      auto first = value.find_first_not_of(" \t\r\n");
      if (first != std::string_view::npos) value = value.substr(first);
      value = value.substr(0, value.find_first_of(" \t\r\n"));
      if (dkim::same_name(value, authserv_id)) continue;
    }
    out += f;
  }
  return out;
}

Result<std::unique_ptr<InboundHold>> InboundHold::start(const std::filesystem::path& spool,
                                                        dns::Resolver& resolver, Envelope envelope,
                                                        std::string id, ContentFilter* filter,
                                                        DmarcPolicy dmarc) {
  return std::unique_ptr<InboundHold>(new InboundHold(
      HeldBytes(spool), resolver, std::move(envelope), std::move(id), filter, dmarc));
}

Result<void> InboundHold::write(std::string_view bytes) {
  check_.write(bytes);
  size_ += bytes.size();
  return held_.write(bytes);
}

Result<void> InboundHold::replay(const Sink& sink) {
  const std::string& header = check_.header();
  std::string kept = check_.header_without_ours(authserv_id_, filter_ != nullptr);
  if (kept.size() == header.size()) return held_.replay(sink);
  if (auto w = sink(kept); !w) return w;
  std::size_t skip = header.size();  // the header section as it came
  return held_.replay([&](std::string_view piece) {
    std::size_t n = std::min(skip, piece.size());
    skip -= n;
    return piece.size() > n ? sink(piece.substr(n)) : Result<void>();
  });
}

// The message as the store would get it, whole (within the filter's size), scanned.
Filtering InboundHold::scan() {
  if (size_ > filter_->max_size()) {
    Filtering unscanned;
    unscanned.summary = fmt::format("not scanned: {} bytes, over rspamd_max_size", size_);
    return unscanned;
  }
  std::string message;
  message.reserve(static_cast<std::size_t>(size_));
  auto r = replay([&message](std::string_view piece) -> Result<void> {
    message += piece;
    return {};
  });
  if (!r) return filtering_of(r.error(), FilterFailure::defer);
  return filter_->scan(envelope_, message);
}

Result<std::string> InboundHold::above(std::uint64_t now) {
  std::string fields = check_.results(resolver_, envelope_, authserv_id_, now);
  Filtering by_dmarc;
  if (dmarc_ == DmarcPolicy::enforce) {
    thread_local std::minstd_rand draw{std::random_device{}()};
    by_dmarc =
        dmarc_filtering(check_.dmarc(), check_.from_domain(), static_cast<int>(draw() % 100));
  }
  filtering_ = by_dmarc;
  if (filter_ && by_dmarc.outcome != Filtering::Outcome::refuse) {  // the stricter verdict holds
    filtering_ = scan();
    if (filtering_.outcome == Filtering::Outcome::deliver) filtering_.outcome = by_dmarc.outcome;
    if (!by_dmarc.summary.empty())
      filtering_.summary =
          by_dmarc.summary + (filtering_.summary.empty() ? "" : "; ") + filtering_.summary;
  }
  // Counted only when DMARC's verdict is the one that holds.
  if (by_dmarc.outcome != Filtering::Outcome::deliver && filtering_.outcome == by_dmarc.outcome)
    ++(by_dmarc.outcome == Filtering::Outcome::refuse ? process_counters().dmarc_refused
                                                      : process_counters().dmarc_junked);
  return fields + filtering_.fields;
}

}  // namespace appliance::smtpd
