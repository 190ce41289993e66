// NAME
//   throttle.cpp - decaying failure counters with exponential back-off.
#include "auth/throttle.h"

#include <fmt/format.h>

#include <cmath>

namespace appliance::auth {
namespace {

std::string trust_key(std::string_view account, const IpAddress& source) {
  return fmt::format("{}\n{}", account, Throttle::source_key(source));
}

std::chrono::seconds until(Instant when, Instant now) {
  return std::chrono::ceil<std::chrono::seconds>(when - now);
}

}  // namespace

Throttle::Throttle(const Clock& clock, ThrottleRules rules)
    : clock_(clock),
      rules_(rules),
      accounts_(rules.max_entries),
      sources_(rules.max_entries),
      trusted_(rules.max_entries) {}

std::string Throttle::source_key(const IpAddress& source) {
  if (!source.v6) return to_string(source);
  return to_string(masked(source, 64)) + "/64";
}

void Throttle::decay(Counter& c, Instant now) const {
  double elapsed = std::chrono::duration<double>(now - c.updated).count();
  if (elapsed > 0) c.failures *= std::exp2(-elapsed / double(rules_.half_life.count()));
  c.updated = now;
}

bool Throttle::add_failure(Counter& c, Instant now, bool can_lock) const {
  decay(c, now);
  c.failures += 1;
  if (can_lock && c.failures >= rules_.lock_threshold) {
    c.blocked_until = now + rules_.lock_duration;
    return true;
  }
  // Whole failures: decay must not shave a step off the doubling.
  double over = std::round(c.failures) - rules_.free_failures;
  if (over > 0) {
    // Doubling per failure, capped; the exponent is bounded first so it cannot overflow.
    double factor = std::exp2(std::min(over - 1, 30.0));
    auto delay = std::min<double>(double(rules_.base_delay.count()) * factor,
                                  double(rules_.max_delay.count()));
    c.blocked_until = std::max(c.blocked_until, now + std::chrono::seconds(long(delay)));
  }
  return false;
}

bool Throttle::trusted(std::string_view account, const IpAddress& source, Instant now) {
  Instant* last = trusted_.find(trust_key(account, source));
  return last && now - *last < rules_.trusted_for;
}

ThrottleDecision Throttle::check(std::string_view account, const IpAddress& source) {
  std::lock_guard lock(mutex_);
  Instant now = clock_.now();
  if (Counter* s = sources_.find(source_key(source)); s && s->blocked_until > now)
    return {false, until(s->blocked_until, now), "too many failed logins from this address"};
  if (trusted(account, source, now)) return {};
  if (Counter* a = accounts_.find(std::string(account)); a && a->blocked_until > now) {
    bool locked = a->failures >= rules_.lock_threshold;
    return {false, until(a->blocked_until, now),
            locked ? "account temporarily locked after too many failed logins"
                   : "too many failed logins for this account"};
  }
  return {};
}

bool Throttle::failure(std::string_view account, const IpAddress& source) {
  std::lock_guard lock(mutex_);
  Instant now = clock_.now();
  add_failure(sources_.upsert(source_key(source)), now, false);
  if (trusted(account, source, now)) return false;
  return add_failure(accounts_.upsert(std::string(account)), now, true);
}

void Throttle::success(std::string_view account, const IpAddress& source) {
  std::lock_guard lock(mutex_);
  Instant now = clock_.now();
  trusted_.upsert(trust_key(account, source)) = now;
  // The owner proved the password: the guessing counters start again.
  sources_.erase(source_key(source));
  accounts_.erase(std::string(account));
}

std::size_t Throttle::tracked() {
  std::lock_guard lock(mutex_);
  return accounts_.size() + sources_.size() + trusted_.size();
}

}  // namespace appliance::auth
