// NAME
//   appliance_gate.cpp - the supervisor's children and keyd, asked over their
//   admin sockets.
#include "updated/appliance_gate.h"

#include <fmt/format.h>

#include <vector>

#include "common/admin.h"
#include "common/ipc.h"
#include "common/store_verdict.h"
#include "tuf/files.h"

namespace appliance::updated {
namespace {

struct Child {
  std::string name;
  std::string state;
};

// status_reply: u32 n, n * (str name, u32 pid, u32 restarts, str state, str exit)
Result<std::vector<Child>> supervised(const Paths& paths, std::chrono::milliseconds timeout) {
  auto client = ipc::Client::connect(paths.supervisor_socket().string(), timeout);
  if (!client) return Error{"supervisor: " + client.message()};
  ipc::Writer request(ipc::Type::status_request);
  auto reply = client->call(request, timeout);
  if (!reply) return Error{"supervisor: " + reply.message()};
  if (reply->type != ipc::Type::status_reply) return Error{"supervisor: unexpected reply"};
  ipc::Reader r(reply->body);
  const std::uint32_t n = r.u32();
  std::vector<Child> out;
  for (std::uint32_t i = 0; i < n && i < 64 && !r.failed(); ++i) {
    Child c{r.str(64), {}};
    r.u32();
    r.u32();
    c.state = r.str(64);
    r.str(256);
    out.push_back(std::move(c));
  }
  if (auto end = r.end(); !end) return Error{"supervisor: " + end.message()};
  return out;
}

Result<void> ready(const Paths& paths, const std::string& daemon,
                   std::chrono::milliseconds timeout) {
  auto h = query_health(paths.admin_socket(daemon).string(), timeout);
  if (!h) return Error{daemon + ": no answer (" + h.message() + ")"};
  if (!h->health.ready) return Error{daemon + ": not ready (" + h->health.reason + ")"};
  return {};
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

}  // namespace

Result<void> check_services(const Paths& paths, const std::string& self,
                            std::chrono::milliseconds timeout) {
  auto children = supervised(paths, timeout);
  if (!children) return children.error();
  std::vector<std::string> faults;
  for (const Child& c : *children) {
    if (c.name == self) continue;
    if (c.state != "running") {
      faults.push_back(c.name + ": " + c.state);
    } else if (auto r = ready(paths, c.name, timeout); !r) {
      faults.push_back(r.message());
    }
  }
  if (!faults.empty()) return Error{join(faults)};
  return {};
}

Result<void> check_keyd(const Paths& paths, std::chrono::milliseconds timeout) {
  return ready(paths, "keyd", timeout);
}

Result<void> check_store(const std::filesystem::path& verdict_file,
                         const Result<std::string>& boot_id) {
  if (!boot_id) return boot_id.error();
  auto dir = tuf::files::Directory::open(verdict_file.parent_path().string(), false);
  if (!dir) return Error{"no verdict yet (" + dir.message() + ")"};
  auto text = dir->read(verdict_file.filename().string(), kMaxVerdict);
  if (!text) return Error{verdict_file.string() + ": " + text.message()};
  if (!*text) return Error{"no verdict yet (" + verdict_file.string() + " is missing)"};
  auto verdict = parse_store_verdict(**text);
  if (!verdict) return Error{verdict_file.string() + ": " + verdict.message()};
  if (verdict->boot_id != *boot_id)
    return Error{"no verdict of this boot (the last, " + verdict->time + ", is of boot " +
                 verdict->boot_id + ")"};
  if (!verdict->ok) return Error{"check failed at " + verdict->time + ": " + verdict->reason};
  return {};
}

std::unique_ptr<slots::HealthGate> make_appliance_gate(const Paths& paths,
                                                       const std::string& self) {
  using namespace std::chrono_literals;
  std::vector<slots::HealthCheck> checks = {
      {"services", [paths, self] { return check_services(paths, self, 2s); }},
      {"keyd", [paths] { return check_keyd(paths, 2s); }},
      {"store",
       [paths, boot_id = read_boot_id()] { return check_store(paths.store_verdict(), boot_id); }},
  };
  return std::make_unique<slots::ChecklistGate>(std::move(checks));
}

}  // namespace appliance::updated
