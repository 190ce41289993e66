// Tests of the c-ares resolver against a dnsmasq the test starts on a
// loopback port, with records of its own and nothing else (--no-resolv).
#include "dns/cares_resolver.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

extern char** environ;

namespace appliance::dns {
namespace {

// A UDP socket on a loopback port of the kernel's choice, and that port.
int loopback_udp(int& port) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  port = ntohs(a.sin_port);
  return fd;
}

int free_udp_port() {
  int port = 0;
  close(loopback_udp(port));
  return port;
}

class Dnsmasq : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("dns_test." + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    port_ = free_udp_port();
    std::vector<std::string> args = {"dnsmasq",
                                     "--keep-in-foreground",
                                     "--no-resolv",
                                     "--no-hosts",
                                     "--conf-file=/dev/null",
                                     "--listen-address=127.0.0.1",
                                     "--bind-interfaces",
                                     "--port=" + std::to_string(port_),
                                     "--pid-file=" + (dir_ / "pid").string(),
                                     "--local=/test/",
                                     "--mx-host=a.test,mx2.a.test,20",
                                     "--mx-host=a.test,mx1.a.test,10",
                                     "--host-record=mx1.a.test,127.0.0.1",
                                     "--host-record=mx2.a.test,127.0.0.2,::1",
                                     "--host-record=a.test,127.0.0.3",
                                     "--cname=mail.a.test,smtp.a.test,mx2.a.test",
                                     "--txt-record=a.test,v=spf1 -all",
                                     "--local-ttl=300",
                                     "--dns-rr=_25._tcp.mx1.a.test,52,030101AABBCCDD"};
    if (getuid() == 0) args.push_back("--user=root");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ASSERT_EQ(posix_spawnp(&pid_, "dnsmasq", nullptr, nullptr, argv.data(), environ), 0);
    auto r = CaresResolver::create(options());
    ASSERT_TRUE(r) << r.message();
    resolver_ = std::move(*r);
    // dnsmasq answers once it has bound its port; until then lookups time out.
    for (int i = 0; i < 200 && resolver_->addresses("mx1.a.test").temporary(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  void TearDown() override {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    std::filesystem::remove_all(dir_);
  }
  Options options() const {
    Options o;
    o.servers = "127.0.0.1:" + std::to_string(port_);
    o.timeout_ms = 500;
    o.tries = 1;
    return o;
  }

  std::filesystem::path dir_;
  int port_ = 0;
  pid_t pid_ = -1;
  std::unique_ptr<CaresResolver> resolver_;
};

TEST_F(Dnsmasq, MxSortedByPreference) {
  auto mx = resolver_->mx("a.test");
  ASSERT_TRUE(mx.ok()) << mx.message;
  ASSERT_EQ(mx.records.size(), 2u);
  EXPECT_EQ(mx.records[0].host, "mx1.a.test");
  EXPECT_EQ(mx.records[0].preference, 10);
  EXPECT_EQ(mx.records[1].host, "mx2.a.test");
}

TEST_F(Dnsmasq, AddressesOfBothFamilies) {
  auto both = resolver_->addresses("mx2.a.test");
  ASSERT_TRUE(both.ok()) << both.message;
  EXPECT_EQ(both.records, (std::vector<std::string>{"::1", "127.0.0.2"}));
  auto v4 = resolver_->addresses("mx1.a.test");
  ASSERT_TRUE(v4.ok()) << v4.message;
  EXPECT_EQ(v4.records, std::vector<std::string>{"127.0.0.1"});
}

TEST_F(Dnsmasq, AnAliasSaysWhatItExpandsTo) {
  auto alias = resolver_->addresses("mail.a.test");
  ASSERT_TRUE(alias.ok()) << alias.message;
  EXPECT_EQ(alias.records, (std::vector<std::string>{"::1", "127.0.0.2"}));
  EXPECT_EQ(alias.canonical, "mx2.a.test");
  EXPECT_EQ(resolver_->addresses("SMTP.a.test").canonical, "mx2.a.test");
  EXPECT_EQ(resolver_->addresses("mx2.a.test").canonical, "") << "no alias";
  EXPECT_EQ(resolver_->addresses("MX2.A.TEST.").canonical, "") << "the same name";
}

TEST_F(Dnsmasq, TxtAndTlsa) {
  auto txt = resolver_->txt("a.test");
  ASSERT_TRUE(txt.ok()) << txt.message;
  EXPECT_EQ(txt.records, std::vector<std::string>{"v=spf1 -all"});
  auto tlsa = resolver_->tlsa("_25._tcp.mx1.a.test");
  ASSERT_TRUE(tlsa.ok()) << tlsa.message;
  ASSERT_EQ(tlsa.records.size(), 1u);
  EXPECT_EQ(tlsa.records[0].usage, 3);
  EXPECT_EQ(tlsa.records[0].data, "\xaa\xbb\xcc\xdd");
}

TEST_F(Dnsmasq, AnswersCarryTheirTtl) {
  EXPECT_EQ(resolver_->txt("a.test").ttl, 300u);
  EXPECT_EQ(resolver_->addresses("mx2.a.test").ttl, 300u);
  // dnsmasq's NXDOMAIN for its local names has no SOA: not to be kept.
  EXPECT_EQ(resolver_->txt("nowhere.test").ttl, 0u);
}

TEST_F(Dnsmasq, ChannelsServeManyQuestionsAndThenMakeWay) {
  for (int i = 0; i < 250; ++i) {  // past the questions one channel serves
    auto txt = resolver_->txt("a.test");
    ASSERT_TRUE(txt.ok()) << i << ": " << txt.message;
    ASSERT_EQ(resolver_->mx("nowhere.test").outcome, Outcome::kNoDomain) << i;
  }
}

TEST_F(Dnsmasq, NoDomainAndNoDataArePermanent) {
  auto none = resolver_->mx("nowhere.test");
  EXPECT_EQ(none.outcome, Outcome::kNoDomain) << none.message;
  EXPECT_TRUE(none.permanent());
  auto nodata = resolver_->mx("mx1.a.test");
  EXPECT_EQ(nodata.outcome, Outcome::kNoData) << nodata.message;
  EXPECT_TRUE(nodata.permanent());
}

TEST_F(Dnsmasq, UnreachableServerIsTemporary) {
  Options o = options();
  o.servers = "127.0.0.1:" + std::to_string(free_udp_port());
  auto r = CaresResolver::create(o);
  ASSERT_TRUE(r) << r.message();
  auto mx = (*r)->mx("a.test");
  EXPECT_EQ(mx.outcome, Outcome::kTemporary) << mx.message;
  EXPECT_FALSE(mx.message.empty());
}

TEST_F(Dnsmasq, NotAuthenticatedWithoutValidation) {
  auto mx = resolver_->mx("a.test");
  ASSERT_TRUE(mx.ok()) << mx.message;
  EXPECT_FALSE(mx.authenticated) << "dnsmasq does not validate its own records";
}

// A validating resolver on loopback, for as many questions as it is given
// answers: each answer is the question with the header's flags QR RD, RA AD
// and `answer` records (RFC 4035 3.2.3) appended. `asked_ad`: whether every
// question asked for the AD bit (RFC 6840 5.7).
class Validating {
 public:
  using Answer = std::function<std::pair<int, std::string>(int qtype)>;  // count, records
  Validating(int questions, Answer answer) {
    fd_ = loopback_udp(port_);
    server_ = std::thread([this, questions, answer] {
      for (int i = 0; i < questions; ++i) {
        unsigned char q[512];
        sockaddr_in from{};
        socklen_t flen = sizeof from;
        ssize_t n = recvfrom(fd_, q, sizeof q, 0, reinterpret_cast<sockaddr*>(&from), &flen);
        if (n < 12) return;
        asked_ad = asked_ad && (q[3] & 0x20);
        auto [count, records] = answer(q[n - 3]);
        std::string r(reinterpret_cast<char*>(q), static_cast<std::size_t>(n));
        r[2] = '\x81', r[3] = '\xa0';
        r[6] = 0, r[7] = static_cast<char>(count), r[10] = 0, r[11] = 0;
        r += records;
        sendto(fd_, r.data(), r.size(), 0, reinterpret_cast<sockaddr*>(&from), flen);
      }
    });
  }
  ~Validating() {
    if (server_.joinable()) server_.join();
    close(fd_);
  }
  std::unique_ptr<CaresResolver> resolver() const {
    Options o;
    o.servers = "127.0.0.1:" + std::to_string(port_);
    o.timeout_ms = 2000;
    o.tries = 1;
    auto r = CaresResolver::create(o);
    return r ? std::move(*r) : nullptr;
  }
  void wait() { server_.join(); }
  bool asked_ad = true;

 private:
  int fd_ = -1;
  int port_ = 0;
  std::thread server_;
};

// One record of the question's name: its type, TTL 3600 and data.
std::string record(std::uint8_t type, const std::string& rdata) {
  return std::string("\xc0\x0c\x00", 3) + static_cast<char>(type) +
         std::string("\x00\x01\x00\x00\x0e\x10\x00", 7) + static_cast<char>(rdata.size()) + rdata;
}

TEST(AdBit, AuthenticatedWhenTheResolverSaysSo) {
  Validating server(1, [](int) {
    return std::pair{1, record(15, std::string("\x00\x0a\x02mx\x01\x61\x04test\x00", 13))};
  });
  auto resolver = server.resolver();
  ASSERT_TRUE(resolver);
  auto mx = resolver->mx("a.test");
  server.wait();
  EXPECT_TRUE(server.asked_ad);
  ASSERT_TRUE(mx.ok()) << mx.message;
  ASSERT_EQ(mx.records.size(), 1u);
  EXPECT_EQ(mx.records[0].host, "mx.a.test");
  EXPECT_TRUE(mx.authenticated);
}

// An MX host that is an alias with an IPv4 address only: both answers carry
// the chain, the AAAA one nothing else (a NODATA in the answer section, as
// authenticated as the rest).
TEST(AdBit, AnAliasWithoutIpv6IsAuthenticatedAndExpanded) {
  const std::string target("\x04host\x01\x62\x04test\x00", 13);
  Validating server(2, [&](int qtype) {
    std::string chain = record(5, target);
    if (qtype == 28) return std::pair{1, chain};
    return std::pair{2, chain + target +
                            std::string("\x00\x01\x00\x01\x00\x00\x0e\x10\x00\x04", 10) +
                            std::string("\x7f\x00\x00\x07", 4)};
  });
  auto resolver = server.resolver();
  ASSERT_TRUE(resolver);
  auto found = resolver->addresses("mx.a.test");
  server.wait();
  ASSERT_TRUE(found.ok()) << found.message;
  EXPECT_EQ(found.records, std::vector<std::string>{"127.0.0.7"});
  EXPECT_TRUE(found.authenticated) << "the AAAA NODATA came with the AD bit too";
  EXPECT_EQ(found.canonical, "host.b.test");
}

TEST(DnsOptions, ReadsServers) {
  auto doc = config::parse("[dns]\nservers = 127.0.0.1:5353, [::1]:53\ntimeout = 1000\n", "t");
  ASSERT_TRUE(doc) << doc.message();
  auto o = read_options(*doc);
  ASSERT_TRUE(o) << o.message();
  EXPECT_EQ(o->servers, "127.0.0.1:5353,[::1]:53");
  EXPECT_EQ(o->timeout_ms, 1000);
  auto bad = config::parse("[dns]\nservers = nowhere\n", "t");
  ASSERT_TRUE(bad);
  EXPECT_FALSE(read_options(*bad));
  auto none = config::parse("", "t");
  ASSERT_TRUE(none);
  EXPECT_EQ(read_options(*none)->servers, "");
}

}  // namespace
}  // namespace appliance::dns
