// Fuzz target: the DATA and BDAT readers. The first byte picks the piece size,
// so the same body is also read as a socket might deliver it. A body that is
// accepted must never contain a bare CR or LF, and must end where a strict
// "<CRLF>.<CRLF>" scan says it ends.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "proto/smtp/body.h"

using namespace appliance::smtp;

namespace {

void check_clean(std::string_view body) {
  for (std::size_t i = 0; i < body.size(); ++i) {
    bool cr_ok = body[i] != '\r' || (i + 1 < body.size() && body[i + 1] == '\n');
    bool lf_ok = body[i] != '\n' || (i > 0 && body[i - 1] == '\r');
    if (!cr_ok || !lf_ok) std::abort();
  }
}

void read_data(std::string_view in, std::size_t step) {
  std::string body;
  DataReader reader({1000, 200}, [&](std::string_view b) { body += b; });
  std::size_t used = 0;
  while (used < in.size() && !reader.done()) {
    std::size_t n = reader.feed(in.substr(used, step));
    if (n == 0 || n > step) std::abort();
    used += n;
  }
  std::string marked = "\r\n" + std::string(in);
  std::size_t end = marked.find("\r\n.\r\n");
  bool expect_done = end != std::string::npos && end + 5 - 2 == used;
  if (reader.done() != expect_done) std::abort();
  if (reader.done() && !reader.refusal()) check_clean(body);
}

void read_chunks(std::string_view in, std::size_t step) {
  ChunkReader reader({1000, 200}, [](std::string_view) {});
  while (!in.empty()) {
    std::size_t n = std::min(in.size(), step);
    reader.begin_chunk(n, n == in.size());
    if (reader.feed(in) != n || !reader.chunk_done()) std::abort();
    in.remove_prefix(n);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::size_t step = data[0] % 64 + 1;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  read_data(in, step);
  read_data(in, in.size() + 1);
  read_chunks(in, step);
  return 0;
}
