// NAME
//   data.cpp - DATA and BDAT: the message streamed to the store.
#include "smtpd/data.h"

#include <algorithm>
#include <mutex>
#include <optional>

#include "common/log.h"
#include "proto/mime/summary.h"
#include "store/inbox.h"

namespace appliance::smtpd {

Result<Delivery::Parts> Delivery::prepare(store::Store& store,
                                          const std::vector<auth::Recipient>& accounts) {
  Parts parts;
  for (const auth::Recipient& r : accounts) {
    auto tenant = store.tenant(r.tenant);
    if (!tenant) return tenant.error();
    auto blob = (*tenant)->new_blob(r.account);
    if (!blob) return blob.error();
    Parts one;
    one.push_back({*tenant, r.account, std::move(*blob)});
    merge(parts, std::move(one));
  }
  return parts;
}

void Delivery::merge(Parts& into, Parts more) {
  for (Part& p : more) {
    bool seen = std::any_of(into.begin(), into.end(), [&](const Part& q) {
      return q.tenant->id() == p.tenant->id() && q.account == p.account &&
             !q.outbound == !p.outbound;
    });
    if (!seen) into.push_back(std::move(p));
  }
}

Result<std::unique_ptr<Delivery>> Delivery::begin(Parts parts, std::string_view header) {
  auto d = std::make_unique<Delivery>();
  d->parts_ = std::move(parts);
  for (Part& p : d->parts_)
    if (auto w = p.blob->write(header); !w) return w.error();
  d->copy_ = header;
  return d;
}

Result<void> Delivery::write(std::string_view bytes) {
  if (copy_whole_ && copy_.size() + bytes.size() <= kSummaryLimit) {
    copy_ += bytes;
  } else if (copy_whole_) {
    copy_whole_ = false;
    std::string().swap(copy_);
  }
  for (Part& p : parts_)
    if (auto w = p.blob->write(bytes); !w) return w;
  return {};
}

std::string Delivery::summary() const {
  if (!copy_whole_) return {};
  auto s = mime::summarize(copy_);
  if (s) return std::move(*s);
  log::warning("message not summarised", {{"error", s.message()}});
  return {};
}

Result<void> Delivery::append(std::size_t part, std::int64_t internal_date,
                              const std::string& summary) {
  Part& p = parts_[part];
  if (p.outbound) return enqueue(p, internal_date);
  auto box = mailbox_.empty() ? store::find_inbox(*p.tenant, p.account)
                              : store::find_mailbox(*p.tenant, p.account, mailbox_, true);
  if (!box) return box.error();
  auto m = p.tenant->append(std::move(p.blob), {p.account, box->id, internal_date, 0, summary});
  if (!m) return m.error();
  return {};
}

// The appends still out, and the first fault among those done.
struct Delivery::Commit {
  std::mutex mutex;
  std::size_t left = 0;
  std::optional<Error> fault;
  Done done;
};

void Delivery::commit(std::shared_ptr<Delivery> d,
                      const std::function<void(std::function<void()>)>& run,
                      std::int64_t internal_date, Done done) {
  if (d->parts_.empty()) return done(make_error("no recipient accounts"));
  auto summary = std::make_shared<const std::string>(d->summary());
  auto c = std::make_shared<Commit>();
  c->left = d->parts_.size();
  c->done = std::move(done);
  auto append = [d, c, internal_date, summary](std::size_t i) {
    auto r = d->append(i, internal_date, *summary);
    std::unique_lock lock(c->mutex);
    if (!r && !c->fault) c->fault = r.error();
    if (--c->left > 0) return;
    lock.unlock();
    c->done(c->fault ? Result<void>(*c->fault) : Result<void>());
  };
  for (std::size_t i = 1; i < d->parts_.size(); ++i) run([append, i] { append(i); });
  append(0);  // here: a hop to another worker costs two context switches
}

}  // namespace appliance::smtpd
