// NAME
//   trusted_set.cpp - the admission rules of specification 5.3 to 5.6.
//
// SECURITY
//   Every byte given here is untrusted until the function returns success.
//   Order of checks per file: hashes/length from the referring role (cheap,
//   and already trusted), then signatures, then versions, then expiry.
#include "tuf/trusted_set.h"

#include "tuf/datetime.h"
#include "tuf/signatures.h"

namespace appliance::tuf {
namespace {

std::string str(std::uint64_t v) {
  return std::to_string(v);
}

Error internal(const std::string& what) {
  return Error{"internal error: " + what};
}

}  // namespace

std::string freeze_error(std::string_view what, std::int64_t expires, std::int64_t now) {
  return "freeze attack: " + std::string(what) + " expired at " + format_datetime(expires) +
         " (update started " + format_datetime(now) + ")";
}

Result<TrustedSet> TrustedSet::create(std::string_view root_bytes, std::int64_t reference_time) {
  auto root = parse_root(root_bytes);
  if (!root) return root.error();
  const Root& r = root->signed_;
  auto self = verify_threshold(root->envelope, r.keys, r.roles.at("root"), "root",
                               " (its own keys, version " + str(r.version) + ")");
  if (!self) return self.error();
  return TrustedSet(std::move(*root), reference_time);
}

Result<Admission> TrustedSet::update_root(std::string_view bytes) {
  if (timestamp_) return internal("root updated after timestamp");
  auto next = parse_root(bytes);
  if (!next) return next.error();
  const Root& trusted = root_.signed_;
  const Root& candidate = next->signed_;
  // 5.3.4: a threshold of the old root keys and of the new ones.
  auto old_keys = verify_threshold(next->envelope, trusted.keys, trusted.roles.at("root"), "root",
                                   " (keys of trusted root version " + str(trusted.version) + ")");
  if (!old_keys) return old_keys.error();
  auto new_keys =
      verify_threshold(next->envelope, candidate.keys, candidate.roles.at("root"), "root",
                       " (keys of new root version " + str(candidate.version) + ")");
  if (!new_keys) return new_keys.error();
  // 5.3.5: exactly N+1.
  if (candidate.version < trusted.version) {
    return Error{"rollback attack: root version " + str(candidate.version) + " < trusted " +
                 str(trusted.version)};
  }
  if (candidate.version == trusted.version) return Admission::unchanged;
  if (candidate.version != trusted.version + 1) {
    return Error{"fast-forward attack: root version " + str(candidate.version) + " != expected " +
                 str(trusted.version + 1)};
  }
  root_ = std::move(*next);
  return Admission::updated;
}

Result<void> TrustedSet::check_root_fresh() const {
  if (root_.signed_.is_expired(now_))
    return Error{freeze_error("root", root_.signed_.expires, now_)};
  return {};
}

Result<Admission> TrustedSet::update_timestamp(std::string_view bytes) {
  if (snapshot_) return internal("timestamp updated after snapshot");
  if (auto r = check_root_fresh(); !r) return r.error();
  auto next = parse_timestamp(bytes);
  if (!next) return next.error();
  const Root& root = root_.signed_;
  auto sig = verify_threshold(next->envelope, root.keys, root.roles.at("timestamp"), "timestamp");
  if (!sig) return sig.error();
  const Timestamp& candidate = next->signed_;
  if (timestamp_) {
    const Timestamp& trusted = timestamp_->signed_;
    if (candidate.version < trusted.version) {
      return Error{"rollback attack: timestamp version " + str(candidate.version) + " < trusted " +
                   str(trusted.version)};
    }
    if (candidate.version == trusted.version) return Admission::unchanged;
    if (candidate.snapshot_meta.version < trusted.snapshot_meta.version) {
      return Error{"rollback attack: timestamp lists snapshot version " +
                   str(candidate.snapshot_meta.version) + " < trusted " +
                   str(trusted.snapshot_meta.version)};
    }
  }
  // Adopted before the expiry check: an expired timestamp still guards the
  // next one against rollback.
  timestamp_ = std::move(*next);
  if (auto r = check_timestamp_final(); !r) return r.error();
  return Admission::updated;
}

Result<void> TrustedSet::check_timestamp_final() const {
  if (!timestamp_) return internal("no trusted timestamp");
  const Timestamp& t = timestamp_->signed_;
  if (t.is_expired(now_)) return Error{freeze_error("timestamp", t.expires, now_)};
  return {};
}

Result<void> TrustedSet::check_against_meta(std::string_view what, std::string_view listed_by,
                                            const MetaFile& meta, std::string_view bytes) const {
  std::string w(what), by(listed_by);
  if (meta.length && bytes.size() != *meta.length) {
    return Error{"mix-and-match attack: " + w + " is " + str(bytes.size()) + " bytes, " + by +
                 " lists " + str(*meta.length)};
  }
  if (meta.hashes.empty()) return {};
  if (auto r = check_hashes(meta.hashes, bytes); !r) {
    return Error{"mix-and-match attack: " + w + " " + r.message() + " with " + by};
  }
  return {};
}

Result<void> TrustedSet::check_snapshot_rollback(const Snapshot& next) const {
  if (!snapshot_) return {};
  for (const auto& [name, old] : snapshot_->signed_.meta) {
    auto it = next.meta.find(name);
    if (it == next.meta.end()) {
      return Error{"rollback attack: " + name + " is listed in the trusted snapshot but not " +
                   "in the new one"};
    }
    if (it->second.version < old.version) {
      return Error{"rollback attack: " + name + " version " + str(it->second.version) +
                   " in new snapshot < " + str(old.version) + " in trusted snapshot"};
    }
  }
  return {};
}

Result<void> TrustedSet::update_snapshot(std::string_view bytes, bool from_local) {
  if (!targets_.empty()) return internal("snapshot updated after targets");
  if (auto r = check_timestamp_final(); !r) return r;
  const MetaFile& meta = timestamp_->signed_.snapshot_meta;
  if (!from_local) {
    if (auto r = check_against_meta("snapshot", "timestamp", meta, bytes); !r) return r;
  }
  auto next = parse_snapshot(bytes);
  if (!next) return next.error();
  const Root& root = root_.signed_;
  auto sig = verify_threshold(next->envelope, root.keys, root.roles.at("snapshot"), "snapshot");
  if (!sig) return sig;
  if (auto r = check_snapshot_rollback(next->signed_); !r) return r;
  snapshot_ = std::move(*next);
  snapshot_final_ = false;
  if (auto r = check_snapshot_final(bytes); !r) return r;
  snapshot_final_ = true;
  return {};
}

Result<void> TrustedSet::check_snapshot_final(std::string_view bytes) const {
  const MetaFile& meta = timestamp_->signed_.snapshot_meta;
  const Snapshot& s = snapshot_->signed_;
  if (s.version != meta.version) {
    return Error{"mix-and-match attack: snapshot version " + str(s.version) + " != timestamp's " +
                 str(meta.version)};
  }
  if (auto r = check_against_meta("snapshot", "timestamp", meta, bytes); !r) return r;
  if (s.is_expired(now_)) return Error{freeze_error("snapshot", s.expires, now_)};
  return {};
}

Result<TrustedSet::Authority> TrustedSet::authority_for(std::string_view role,
                                                        std::string_view delegator) const {
  if (role == "targets") {
    if (delegator != "root") return internal("targets is delegated by root only");
    return Authority{&root_.signed_.keys, &root_.signed_.roles.at("targets"), "targets"};
  }
  const Metadata<Targets>* parent = targets(delegator);
  if (!parent) return internal("delegator " + std::string(delegator) + " is not trusted yet");
  if (parent->signed_.delegations) {
    const Delegations& d = *parent->signed_.delegations;
    for (const DelegatedRole& r : d.roles) {
      if (r.name == role) return Authority{&d.keys, &r.keys, r.name};
    }
  }
  return Error{"role " + std::string(role) + " is not delegated by " + std::string(delegator)};
}

Result<void> TrustedSet::update_targets(std::string_view role, std::string_view delegator,
                                        std::string_view bytes) {
  if (!snapshot_ || !snapshot_final_) return internal("targets updated without a final snapshot");
  if (auto r = check_timestamp_final(); !r) return r;
  const Snapshot& snap = snapshot_->signed_;
  if (snap.is_expired(now_)) return Error{freeze_error("snapshot", snap.expires, now_)};
  auto authority = authority_for(role, delegator);
  if (!authority) return authority.error();
  std::string name(role);
  auto meta = snap.meta.find(name + ".json");
  if (meta == snap.meta.end()) return Error{"snapshot does not list " + name + ".json"};
  if (auto r = check_against_meta(name, "snapshot", meta->second, bytes); !r) return r;
  auto next = parse_targets(bytes);
  if (!next) return Error{name + ": " + next.message()};
  auto sig = verify_threshold(
      next->envelope, *authority->keys, *authority->role, name,
      delegator == "root" ? "" : " (keys delegated by " + std::string(delegator) + ")");
  if (!sig) return sig;
  const Targets& t = next->signed_;
  if (t.version != meta->second.version) {
    return Error{"mix-and-match attack: " + name + " version " + str(t.version) +
                 " != snapshot's " + str(meta->second.version)};
  }
  if (t.is_expired(now_)) return Error{freeze_error(name, t.expires, now_)};
  targets_.insert_or_assign(name, std::move(*next));
  return {};
}

const Metadata<Targets>* TrustedSet::targets(std::string_view role) const {
  auto it = targets_.find(role);
  return it == targets_.end() ? nullptr : &it->second;
}

}  // namespace appliance::tuf
