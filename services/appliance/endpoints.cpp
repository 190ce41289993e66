// NAME
//   endpoints.cpp - binding, endpoints.json, the banner.
#include "appliance/endpoints.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "common/config.h"
#include "common/files.h"
#include "common/listen.h"

namespace appliance {
namespace {

std::string host_of(const std::string& endpoint) {
  auto hp = config::parse_endpoint(endpoint);
  return hp ? hp->host : "127.0.0.1";
}

}  // namespace

std::vector<BoundListener> Listeners::of(const std::string& daemon) const {
  std::vector<BoundListener> out;
  for (const auto& l : all)
    if (l.daemon == daemon) out.push_back(l);
  return out;
}

Result<Listeners> bind_listeners(const Paths& paths, const std::vector<DaemonSpec>& daemons,
                                 bool any_port) {
  auto doc = config::load(paths.config());
  if (!doc) return doc.error();
  Listeners out;
  for (const DaemonSpec& d : daemons) {
    config::Reader section(*doc, d.name);
    for (const ListenerSpec& l : d.listeners) {
      std::string endpoint = section.endpoint("listen." + l.name, l.default_endpoint);
      if (any_port) endpoint = host_of(endpoint) + ":0";
      auto fd = bind_tcp(endpoint);
      if (!fd) return fd.error();
      auto port = local_port(*fd);
      if (!port) return port.error();
      out.all.push_back({d.name, l.name, fmt::format("{}:{}", host_of(endpoint), *port), *fd});
    }
    // Only the listen keys are ours; the daemon itself checks the rest.
  }
  return out;
}

Result<void> write_endpoints(const Paths& paths, const Listeners& listeners) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& l : listeners.all) j[l.name] = l.address;
  return write_file_atomically(paths.endpoints(), j.dump(2) + "\n", 0644);
}

std::string describe_endpoints(const Paths& paths, const Listeners& listeners,
                               const std::filesystem::path& bin) {
  std::string out = fmt::format("\nThe appliance is up. State directory: {}\n", paths.home.string());
  const char* labels[][2] = {
      {"web", "Web UI and REST API    https://{}/"},
      {"smtp", "SMTP (MX, STARTTLS)    {}"},
      {"submission", "Submission (STARTTLS)  {}"},
      {"submissions", "Submission (TLS)       {}"},
      {"imap", "IMAP (STARTTLS)        {}"},
      {"imaps", "IMAP (TLS)             {}"},
      {"pop3", "POP3 (STLS)            {}"},
      {"pop3s", "POP3 (TLS)             {}"},
  };
  for (const auto& [name, label] : labels)
    for (const auto& l : listeners.all)
      if (l.name == name) out += "  " + fmt::format(fmt::runtime(label), l.address) + "\n";
  if (listeners.all.empty()) out += "  (no network services yet)\n";
  out += fmt::format("Endpoints for programs: {}\n", paths.endpoints().string());
  out += fmt::format("Status: {} status --home {}\n", (bin / "appliance").string(),
                     paths.home.string());
  out += fmt::format("Keys:   {} --home {} keys list\n", (bin / "appliancectl").string(),
                     paths.home.string());
  return out;
}

}  // namespace appliance
