// NAME
//   cares_resolver.cpp - DNS queries through c-ares, answers parsed to records.
//
// DESCRIPTION
//   query() sends one question on a channel taken from the resolver's pool
//   and runs it to completion with poll(); the callback keeps the raw answer.
//   Setting up a channel (reading resolv.conf, opening its socket) cost more
//   than the query itself, so a channel serves kQueriesPerChannel questions
//   before it is closed: a new one, with a new source port, then takes over
//   (c-ares 1.18 has no option for this). A channel whose query failed is
//   closed at once. c-ares parses MX, A, AAAA and TXT; TLSA, which c-ares 1.18
//   does not know, is read by answer.h, and so is every answer's TTL.
//   Statuses map to outcomes: ENOTFOUND is NXDOMAIN, ENODATA is NODATA, every
//   other failure (SERVFAIL, REFUSED, timeouts, unreachable servers) is
//   temporary. Every query goes out with the AD bit set (RFC 6840 5.7), so
//   a validating resolver says in its answer whether it validated it; the
//   answer's AD bit becomes Lookup::authenticated, on answers and on
//   NXDOMAIN/NODATA alike (an authenticated denial).
#include "dns/cares_resolver.h"

#include <ares.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <fmt/format.h>
#include <netdb.h>
#include <poll.h>
#include <strings.h>

#include <algorithm>
#include <mutex>

#include "dns/answer.h"

namespace appliance::dns {
namespace {

// Enough to spread a busy resolver's questions over many source ports.
constexpr int kQueriesPerChannel = 100;

struct Raw {
  int status = ARES_ETIMEOUT;
  bool done = false;
  std::string answer;  // the whole response, negative ones included
  bool authenticated() const { return answer.size() > 3 && (answer[3] & 0x20); }
};

constexpr unsigned char kAdBit = 0x20;  // in the header's fourth byte (RFC 4035 3.2.3)

Outcome outcome_of(int status) {
  if (status == ARES_ENOTFOUND) return Outcome::kNoDomain;
  if (status == ARES_ENODATA) return Outcome::kNoData;
  return Outcome::kTemporary;
}

// `raw`: the response, for how long a permanent failure may be kept. A
// NODATA found in an answer (a CNAME chain to a name without the type) is
// the response's as much as one in its header.
template <class T>
Lookup<T> failed(int status, std::string_view name, std::string_view type, const Raw& raw) {
  Outcome outcome = outcome_of(status);
  bool from_response =
      status == raw.status || (status == ARES_ENODATA && raw.status == ARES_SUCCESS);
  return Lookup<T>{outcome,
                   {},
                   fmt::format("{} {}: {}", type, name, ares_strerror(status)),
                   from_response && raw.authenticated(),
                   outcome == Outcome::kTemporary ? 0 : cache_ttl(raw.answer)};
}

template <class T>
Lookup<T> answered(std::vector<T> records, std::string_view name, std::string_view type,
                   const Raw& raw) {
  if (records.empty()) return failed<T>(ARES_ENODATA, name, type, raw);
  return Lookup<T>{
      Outcome::kAnswer, std::move(records), {}, raw.authenticated(), cache_ttl(raw.answer)};
}

// ares_send() reports any response as a success: the status from its
// RCODE and answer count, as ares_query() would give it.
int status_of(const unsigned char* abuf, int alen) {
  if (alen < 12) return ARES_EBADRESP;
  switch (abuf[3] & 0x0F) {
    case 0:
      return (abuf[6] << 8 | abuf[7]) == 0 ? ARES_ENODATA : ARES_SUCCESS;
    case 1:
      return ARES_EFORMERR;
    case 2:
      return ARES_ESERVFAIL;
    case 3:
      return ARES_ENOTFOUND;
    case 4:
      return ARES_ENOTIMP;
    case 5:
      return ARES_EREFUSED;
  }
  return ARES_EBADRESP;
}

void on_answer(void* arg, int status, int, unsigned char* abuf, int alen) {
  auto* raw = static_cast<Raw*>(arg);
  raw->status = status;
  raw->done = true;
  if (status != ARES_SUCCESS || !abuf || alen <= 0) return;
  raw->status = status_of(abuf, alen);
  raw->answer.assign(reinterpret_cast<const char*>(abuf), static_cast<std::size_t>(alen));
}

// Until the query's callback has run: an open TCP socket stays readable
// after its last query, so "no socket left" is no end.
void run(ares_channel channel, const Raw& raw) {
  while (!raw.done) {
    ares_socket_t socks[ARES_GETSOCK_MAXNUM];
    int mask = ares_getsock(channel, socks, ARES_GETSOCK_MAXNUM);
    std::vector<pollfd> fds;
    for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
      short events = 0;
      if (ARES_GETSOCK_READABLE(mask, i)) events |= POLLIN;
      if (ARES_GETSOCK_WRITABLE(mask, i)) events |= POLLOUT;
      if (events) fds.push_back(pollfd{socks[i], events, 0});
    }
    if (fds.empty()) return;  // nothing in flight: the callback cannot come any more
    timeval tv{};
    timeval* left = ares_timeout(channel, nullptr, &tv);
    int ms = left ? static_cast<int>(left->tv_sec * 1000 + left->tv_usec / 1000) : 1000;
    int n = poll(fds.data(), fds.size(), ms);
    if (n <= 0) {
      ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
      continue;
    }
    for (const auto& p : fds) {
      ares_socket_t r = (p.revents & (POLLIN | POLLERR | POLLHUP)) ? p.fd : ARES_SOCKET_BAD;
      ares_socket_t w = (p.revents & POLLOUT) ? p.fd : ARES_SOCKET_BAD;
      if (r != ARES_SOCKET_BAD || w != ARES_SOCKET_BAD) ares_process_fd(channel, r, w);
    }
  }
}

int open_channel(const Options& options, ares_channel* channel) {
  ares_options opts{};
  opts.timeout = options.timeout_ms;
  opts.tries = options.tries;
  opts.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES;
  int status =
      ares_init_options(channel, &opts, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS);
  if (status == ARES_SUCCESS && !options.servers.empty())
    status = ares_set_servers_ports_csv(*channel, options.servers.c_str());
  if (status != ARES_SUCCESS && *channel) {
    ares_destroy(*channel);
    *channel = nullptr;
  }
  return status;
}

}  // namespace

// Idle channels, each with the number of questions it has served.
class CaresResolver::Channels {
 public:
  explicit Channels(Options options) : options_(std::move(options)) {}
  ~Channels() {
    for (auto& [channel, used] : idle_) ares_destroy(channel);
  }

  Raw query(std::string_view name, int type) {
    Raw raw;
    auto [channel, used] = take();
    if (!channel) {
      raw.status = used;  // why it could not be opened
      return raw;
    }
    unsigned char* question = nullptr;
    int size = 0;
    int made =
        ares_create_query(std::string(name).c_str(), ns_c_in, type, 0, 1, &question, &size, 0);
    if (made != ARES_SUCCESS || size < 4) {
      raw.status = made == ARES_SUCCESS ? ARES_EBADQUERY : made;
    } else {
      question[3] |= kAdBit;
      ares_send(channel, question, size, on_answer, &raw);
      run(channel, raw);
    }
    if (question) ares_free_string(question);
    bool healthy =
        raw.status == ARES_SUCCESS || raw.status == ARES_ENOTFOUND || raw.status == ARES_ENODATA;
    if (healthy && used + 1 < kQueriesPerChannel) {
      std::lock_guard lock(mutex_);
      idle_.emplace_back(channel, used + 1);
    } else {
      ares_destroy(channel);
    }
    return raw;
  }

 private:
  // An idle channel, or a new one; a null channel comes with c-ares' status.
  std::pair<ares_channel, int> take() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        auto c = idle_.back();
        idle_.pop_back();
        return c;
      }
    }
    ares_channel channel = nullptr;
    int status = open_channel(options_, &channel);
    return {channel, status == ARES_SUCCESS ? 0 : status};
  }

  const Options options_;
  std::mutex mutex_;
  std::vector<std::pair<ares_channel, int>> idle_;
};

namespace {

const unsigned char* bytes(const Raw& raw) {
  return reinterpret_cast<const unsigned char*>(raw.answer.data());
}
int length(const Raw& raw) {
  return static_cast<int>(raw.answer.size());
}

// DNS names compare without regard to ASCII case or a final dot (RFC 4343).
bool same_name(std::string_view a, std::string_view b) {
  if (a.ends_with('.')) a.remove_suffix(1);
  if (b.ends_with('.')) b.remove_suffix(1);
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// One address family: T is ares_addrttl or ares_addr6ttl, parsed by `parse`.
template <class T, class Parse, class Field>
Lookup<std::string> family(CaresResolver::Channels& channels, std::string_view host, int type,
                           int af, const char* name, Parse parse, Field field) {
  Raw raw = channels.query(host, type);
  if (raw.status != ARES_SUCCESS) return failed<std::string>(raw.status, host, name, raw);
  T addrs[64];
  int count = 64;
  hostent* he = nullptr;
  int status = parse(bytes(raw), length(raw), &he, addrs, &count);
  // c-ares names the hostent after the end of the answer's CNAME chain.
  std::string canonical = he && he->h_name ? he->h_name : "";
  if (he) ares_free_hostent(he);
  if (status != ARES_SUCCESS) return failed<std::string>(status, host, name, raw);
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) {
    char text[INET6_ADDRSTRLEN] = {};
    if (inet_ntop(af, field(addrs[i]), text, sizeof text)) out.emplace_back(text);
  }
  auto found = answered(std::move(out), host, name, raw);
  if (found.ok() && !same_name(canonical, host)) found.canonical = std::move(canonical);
  return found;
}

Lookup<std::string> ipv4(CaresResolver::Channels& channels, std::string_view host) {
  return family<ares_addrttl>(channels, host, ns_t_a, AF_INET, "A", ares_parse_a_reply,
                              [](const ares_addrttl& a) { return &a.ipaddr; });
}

Lookup<std::string> ipv6(CaresResolver::Channels& channels, std::string_view host) {
  return family<ares_addr6ttl>(channels, host, ns_t_aaaa, AF_INET6, "AAAA", ares_parse_aaaa_reply,
                               [](const ares_addr6ttl& a) { return &a.ip6addr; });
}

}  // namespace

Result<Options> read_options(const config::Document& doc) {
  config::Reader r(doc, "dns");
  Options o;
  std::string servers = r.string("servers", "");
  o.timeout_ms = static_cast<int>(r.integer("timeout", 100, 60000, o.timeout_ms));
  o.tries = static_cast<int>(r.integer("tries", 1, 10, o.tries));
  if (auto done = r.finish(); !done) return done.error();
  std::string csv;
  std::string_view rest = servers;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.empty()) continue;
    auto hp = config::parse_endpoint(item);
    if (!hp) return make_error(fmt::format("[dns] servers: {}", hp.message()));
    if (!csv.empty()) csv += ',';
    csv += item;
  }
  o.servers = csv;
  return o;
}

Result<std::unique_ptr<CaresResolver>> CaresResolver::create(Options options) {
  static std::once_flag once;
  static int init_status = ARES_SUCCESS;
  std::call_once(once, [] { init_status = ares_library_init(ARES_LIB_INIT_ALL); });
  if (init_status != ARES_SUCCESS)
    return make_error(fmt::format("c-ares: {}", ares_strerror(init_status)));
  ares_channel channel = nullptr;
  int status = open_channel(options, &channel);
  if (channel) ares_destroy(channel);
  if (status != ARES_SUCCESS)
    return make_error(fmt::format("DNS servers '{}': {}", options.servers, ares_strerror(status)));
  return std::unique_ptr<CaresResolver>(new CaresResolver(std::move(options)));
}

CaresResolver::CaresResolver(Options options)
    : channels_(std::make_unique<Channels>(std::move(options))) {}

CaresResolver::~CaresResolver() = default;

Lookup<Mx> CaresResolver::mx(std::string_view domain) {
  Raw raw = channels_->query(domain, ns_t_mx);
  if (raw.status != ARES_SUCCESS) return failed<Mx>(raw.status, domain, "MX", raw);
  ares_mx_reply* list = nullptr;
  int status = ares_parse_mx_reply(bytes(raw), length(raw), &list);
  if (status != ARES_SUCCESS) return failed<Mx>(status, domain, "MX", raw);
  std::vector<Mx> out;
  for (auto* p = list; p; p = p->next) {
    std::string host = p->host ? p->host : "";
    if (host == ".") host.clear();
    out.push_back(Mx{p->priority, std::move(host)});
  }
  ares_free_data(list);
  std::stable_sort(out.begin(), out.end(),
                   [](const Mx& a, const Mx& b) { return a.preference < b.preference; });
  return answered(std::move(out), domain, "MX", raw);
}

Lookup<std::string> CaresResolver::addresses(std::string_view host) {
  auto v6 = ipv6(*channels_, host);
  auto v4 = ipv4(*channels_, host);
  if (!v6.ok() && !v4.ok()) {
    auto& out = v6.temporary() ? v6 : v4;
    out.ttl = std::min(v6.ttl, v4.ttl);
    return out;
  }
  // Kept as long as the shorter-lived family: a NODATA without an SOA is not kept at all.
  std::uint32_t ttl = std::min(v6.temporary() ? 0 : v6.ttl, v4.temporary() ? 0 : v4.ttl);
  // Authenticated when both families are, answers and denials alike.
  bool ad = v6.authenticated && v4.authenticated && !v6.temporary() && !v4.temporary();
  Lookup<std::string> out{Outcome::kAnswer, std::move(v6.records), {}, ad, ttl};
  out.records.insert(out.records.end(), v4.records.begin(), v4.records.end());
  // An alias only if each family that answered says the same.
  if (!v6.ok() || !v4.ok() || same_name(v6.canonical, v4.canonical))
    out.canonical = v6.ok() ? v6.canonical : v4.canonical;
  return out;
}

Lookup<std::string> CaresResolver::txt(std::string_view name) {
  Raw raw = channels_->query(name, ns_t_txt);
  if (raw.status != ARES_SUCCESS) return failed<std::string>(raw.status, name, "TXT", raw);
  ares_txt_ext* list = nullptr;
  int status = ares_parse_txt_reply_ext(bytes(raw), length(raw), &list);
  if (status != ARES_SUCCESS) return failed<std::string>(status, name, "TXT", raw);
  std::vector<std::string> out;
  for (auto* p = list; p; p = p->next) {
    if (p->record_start || out.empty()) out.emplace_back();
    out.back().append(reinterpret_cast<const char*>(p->txt), p->length);
  }
  ares_free_data(list);
  return answered(std::move(out), name, "TXT", raw);
}

Lookup<Tlsa> CaresResolver::tlsa(std::string_view name) {
  Raw raw = channels_->query(name, kTypeTlsa);
  if (raw.status != ARES_SUCCESS) return failed<Tlsa>(raw.status, name, "TLSA", raw);
  auto parsed = parse_tlsa(raw.answer);
  if (!parsed)
    return Lookup<Tlsa>{
        Outcome::kTemporary, {}, fmt::format("TLSA {}: {}", name, parsed.message())};
  return answered(std::move(*parsed), name, "TLSA", raw);
}

}  // namespace appliance::dns
