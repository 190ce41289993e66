// NAME
//   keyd_load - key operations through keyd from several threads, for the
//   keyd-hmac benchmark.
//
// SYNOPSIS
//   keyd_load --keyd-socket S --key K [--op verify|hmac|sign]
//             [--mode async|threads] [--threads N] [--in-flight N]
//             [--seconds S] [--size BYTES] [--pipeline N]
//
// DESCRIPTION
//   Repeats the operation through one KeydClient until the time is up:
//     verify  HMAC-SHA256 verification of a fixed message and MAC
//     hmac    HMAC-SHA256 of a fixed message
//     sign    ECDSA over a SHA-256 digest (an EC key)
//   --mode async (the default) calls keyd as webd does: --in-flight
//   requests (default 64) are kept going with the client's async_ calls;
//   each completion posts to an io_context run by --threads threads
//   (default 1, as a daemon's), where the next request is made. No thread
//   waits for a reply.
//   --mode threads: N threads share the client (and so its two connections,
//   each with many requests in flight), each waiting for its reply.
//   --pipeline N (verify only) bypasses KeydClient to measure what batching
//   would buy: each thread has its own connection and writes N requests
//   before it reads the N replies (keyd answers frames in order).
//   Prints "ops=N errors=M seconds=S rate=R" (R per second) and the first
//   few errors. The caller's uid must be allowed the use by keyd (root, or
//   appliance-webd for secret/ keys).
#include <CLI/CLI.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>
#include <vector>

#include "keyd/client.h"

using namespace appliance;

namespace {

struct Options {
  std::string socket, key, op = "verify", mode = "async";
  int threads = 0;  // default: 1 (async), 4 (threads)
  int in_flight = 64;
  double seconds = 5;
  std::size_t size = 32;
  int pipeline = 1;
  unsigned lanes = 2;
};

using Clock = std::chrono::steady_clock;
std::atomic<long> g_ops{0}, g_errors{0};
std::atomic<int> g_askers{0};  // async mode: requests still going

void report(const std::string& what) {
  if (g_errors++ < 5) std::cerr << "keyd_load: " << what << "\n";
}

void counted(const Result<void>& r) {
  if (r)
    ++g_ops;
  else
    report(r.message());
}

Result<void> verified(const Result<bool>& r) {
  if (!r) return r.error();
  return *r ? Result<void>() : make_error("the MAC did not verify");
}

Result<void> once(keyd::KeydClient& client, const Options& o, const std::string& data,
                  const std::string& mac) {
  if (o.op == "hmac") {
    auto r = client.hmac(o.key, data);
    return r ? Result<void>() : r.error();
  }
  if (o.op == "sign") {
    auto r = client.sign(o.key, keyd::SignScheme::ecdsa, std::string(32, '\x5a'));
    return r ? Result<void>() : r.error();
  }
  return verified(client.hmac_verify(o.key, data, mac));
}

void worker(keyd::KeydClient& client, const Options& o, const std::string& data,
            const std::string& mac, Clock::time_point end) {
  while (Clock::now() < end) {
    counted(once(client, o, data, mac));
  }
}

// One request of the async mode; its completion posts the next one to the
// io_context, as webd's completion posts the response to its connection.
class Asker {
 public:
  Asker(keyd::KeydClient& client, const Options& o, boost::asio::io_context& io,
        const std::string& data, const std::string& mac, Clock::time_point end)
      : client_(client), o_(o), io_(io), data_(data), mac_(mac), end_(end) {}

  void ask() {
    if (Clock::now() >= end_) return (void)--g_askers;
    if (o_.op == "hmac")
      client_.async_hmac(o_.key, data_,
                         [this](Result<std::string> r) { then(r ? Result<void>() : r.error()); });
    else if (o_.op == "sign")
      client_.async_sign(o_.key, keyd::SignScheme::ecdsa, std::string(32, '\x5a'),
                         [this](Result<keyd::Signed> r) { then(r ? Result<void>() : r.error()); });
    else
      client_.async_hmac_verify(o_.key, data_, mac_, [this](Result<bool> r) { then(verified(r)); });
  }

 private:
  void then(Result<void> r) {
    counted(r);
    boost::asio::post(io_, [this] { ask(); });
  }

  keyd::KeydClient& client_;
  const Options& o_;
  boost::asio::io_context& io_;
  const std::string &data_, &mac_;
  Clock::time_point end_;
};

void run_async(keyd::KeydClient& client, const Options& o, const std::string& data,
               const std::string& mac, Clock::time_point end) {
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  std::vector<std::unique_ptr<Asker>> askers;
  g_askers = o.in_flight;
  for (int i = 0; i < o.in_flight; ++i) {
    askers.push_back(std::make_unique<Asker>(client, o, io, data, mac, end));
    boost::asio::post(io, [a = askers.back().get()] { a->ask(); });
  }
  std::vector<std::thread> threads;
  for (int i = 0; i < o.threads; ++i) threads.emplace_back([&io] { io.run(); });
  std::this_thread::sleep_until(end);
  while (g_askers > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  work.reset();
  for (auto& t : threads) t.join();
}

// N requests written, then N replies read, on a connection of our own.
Result<void> pipelined(ipc::Client& client, const Options& o, const std::string& data,
                       const std::string& mac) {
  keyd::Request q;
  q.type = ipc::Type::key_hmac_verify;
  q.key = o.key;
  q.data = data;
  q.extra = mac;
  for (int i = 0; i < o.pipeline; ++i) {
    ipc::Writer w = keyd::encode_request(q);
    if (auto sent = client.send(w); !sent) return sent.error();
  }
  for (int i = 0; i < o.pipeline; ++i) {
    auto reply = client.receive(std::chrono::seconds(10));
    if (!reply) return reply.error();
    if (reply->type != ipc::Type::key_verified || reply->body != std::string(1, '\1'))
      return make_error("unexpected reply " + std::string(ipc::type_name(reply->type)));
  }
  return {};
}

void pipeline_worker(const Options& o, const std::string& data, const std::string& mac,
                     Clock::time_point end) {
  auto client = ipc::Client::connect(o.socket, std::chrono::seconds(10));
  if (!client) return report(client.message());
  while (Clock::now() < end) {
    auto r = pipelined(*client, o, data, mac);
    if (!r) return report(r.message());
    g_ops += o.pipeline;
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"keyd operations per second"};
  app.add_option("--keyd-socket", o.socket, "keyd's socket")->required();
  app.add_option("--key", o.key, "key or family")->required();
  app.add_option("--op", o.op, "verify, hmac or sign")
      ->check(CLI::IsMember({"verify", "hmac", "sign"}));
  app.add_option("--mode", o.mode, "async (as webd) or threads (each waits for its reply)")
      ->check(CLI::IsMember({"async", "threads"}));
  app.add_option("--threads", o.threads, "client threads (async: threads running completions)")
      ->check(CLI::Range(1, 256));
  app.add_option("--in-flight", o.in_flight, "requests kept in flight (async)")
      ->check(CLI::Range(1, 4096));
  app.add_option("--seconds", o.seconds, "how long")->check(CLI::Range(0.1, 3600.0));
  app.add_option("--size", o.size, "message bytes")->check(CLI::Range(1, 60000));
  app.add_option("--pipeline", o.pipeline, "requests in flight per connection (verify only)")
      ->check(CLI::Range(1, 1024));
  app.add_option("--lanes", o.lanes, "connections the client spreads requests over")
      ->check(CLI::Range(1, 16));
  CLI11_PARSE(app, argc, argv);
  if (o.threads == 0) o.threads = o.mode == "async" && o.pipeline == 1 ? 1 : 4;

  keyd::KeydClient client(o.socket, std::chrono::seconds(2), o.lanes);
  const std::string data(o.size, 'm');
  std::string mac;
  if (o.op == "verify") {
    auto m = client.hmac(o.key, data);
    if (!m) return std::cerr << "keyd_load: " << m.message() << "\n", 1;
    mac = *m;
  }
  auto start = Clock::now();
  auto end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.seconds));
  std::vector<std::thread> threads;
  if (o.mode == "async" && o.pipeline == 1) run_async(client, o, data, mac, end);
  for (int i = 0; i < o.threads && (o.mode == "threads" || o.pipeline > 1); ++i)
    if (o.pipeline > 1 && o.op == "verify")
      threads.emplace_back(pipeline_worker, std::cref(o), std::cref(data), std::cref(mac), end);
    else
      threads.emplace_back(worker, std::ref(client), std::cref(o), std::cref(data), std::cref(mac),
                           end);
  for (auto& t : threads) t.join();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("ops=%ld errors=%ld seconds=%.3f rate=%.1f\n", g_ops.load(), g_errors.load(), seconds,
              static_cast<double>(g_ops.load()) / seconds);
  return g_errors == 0 && g_ops > 0 ? 0 : 1;
}
