// NAME
//   filter.cpp - rspamd's verdict mapped to SMTP, and the scan over HTTP.
#include "smtpd/filter.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <memory>

namespace appliance::smtpd {

namespace {

std::string score_text(const rspamd::Reply& r) {
  return r.required_score ? fmt::format("{:.2f}/{:.2f}", r.score, *r.required_score)
                          : fmt::format("{:.2f}", r.score);
}

smtp::Reply refusal(int code, std::string_view status, const std::string& said,
                    std::string_view fallback) {
  return smtp::make_reply(code, status, said.empty() ? fallback : std::string_view(said));
}

}  // namespace

Filtering filtering_of(const Result<rspamd::Reply>& reply, FilterFailure on_failure) {
  Filtering f;
  if (!reply) {
    f.summary = "scan failed: " + reply.message();
    if (on_failure == FilterFailure::accept) return f;
    f.outcome = Filtering::Outcome::refuse;
    f.refusal = smtp::make_reply(451, "4.7.1", "Content filter unavailable, try again later");
    return f;
  }
  using rspamd::Action;
  const rspamd::Reply& r = *reply;
  f.summary = fmt::format("{}, score {}", rspamd::action_name(r.action), score_text(r));
  switch (r.action) {
    case Action::reject:
      f.outcome = Filtering::Outcome::refuse;
      f.refusal = refusal(550, "5.7.1", r.smtp_message, "Message refused as spam");
      return f;
    case Action::soft_reject:
    case Action::greylist:
      f.outcome = Filtering::Outcome::refuse;
      f.refusal = refusal(451, "4.7.1", r.smtp_message, "Try again later");
      return f;
    case Action::add_header:
    case Action::rewrite_subject:
    case Action::quarantine:
    case Action::discard:
      f.outcome = Filtering::Outcome::junk;
      f.fields = "X-Spam: Yes\r\n";
      break;
    case Action::no_action:
      break;
  }
  f.fields += fmt::format("X-Spam-Action: {}\r\nX-Spam-Score: {}\r\n",
                          rspamd::action_name(r.action), score_text(r));
  return f;
}

namespace {

struct CurlFree {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListFree {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

// A request header's value: what the session checked, without line breaks to be sure.
std::string header(std::string_view name, std::string_view value) {
  std::string out = fmt::format("{}: ", name);
  for (char c : value)
    if (c != '\r' && c != '\n') out += c;
  return out;
}

struct Received {
  std::string body;
  bool too_large = false;
};

std::size_t on_data(char* data, std::size_t size, std::size_t count, void* user) {
  auto* r = static_cast<Received*>(user);
  std::size_t n = size * count;
  if (n > rspamd::kMaxReply - r->body.size()) {
    r->too_large = true;
    return 0;
  }
  r->body.append(data, n);
  return n;
}

}  // namespace

RspamdFilter::RspamdFilter(FilterOptions options) : options_(std::move(options)) {
  curl_global_init(CURL_GLOBAL_DEFAULT);  // before any worker thread makes a transfer
}

Result<rspamd::Reply> RspamdFilter::ask(const Envelope& q, std::string_view message) {
  std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
  if (!curl) return make_error("curl_easy_init failed");
  std::unique_ptr<curl_slist, ListFree> headers;
  auto add = [&headers](const std::string& line) {
    headers.reset(curl_slist_append(headers.release(), line.c_str()));
  };
  add("Expect:");  // no 100-continue round trip for large messages
  add(header("IP", q.address));
  add(header("Helo", q.helo));
  add(header("From", q.mail_from.empty() ? "<>" : q.mail_from));
  for (const auto& r : q.recipients) add(header("Rcpt", r));
  add(header("Queue-Id", q.queue_id));
  add(header("MTA-Name", options_.mta_name));
  if (!headers) return make_error("out of memory");
  std::string url = options_.url + "/checkv2";
  Received received;
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, message.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(message.size()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &received);
  CURLcode rc = curl_easy_perform(c);
  if (received.too_large)
    return make_error(fmt::format("reply larger than {} bytes", rspamd::kMaxReply));
  if (rc != CURLE_OK) return make_error(curl_easy_strerror(rc));
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) return make_error(fmt::format("HTTP status {}", status));
  return rspamd::parse_reply(received.body);
}

Filtering RspamdFilter::scan(const Envelope& envelope, std::string_view message) {
  return filtering_of(ask(envelope, message), options_.on_failure);
}

}  // namespace appliance::smtpd
