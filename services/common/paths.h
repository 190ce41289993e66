// NAME
//   paths.h - where things live inside a state directory.
//
// DESCRIPTION
//   One state directory holds everything of one appliance: /var/lib/appliance
//   on a box, ./var (or APPLIANCE_HOME) in development. Every process derives
//   its paths from it here, so they cannot drift apart.
#pragma once

#include <filesystem>
#include <string>

namespace appliance {

struct Paths {
  std::filesystem::path home;

  std::filesystem::path config() const { return home / "etc" / "appliance.conf"; }
  std::filesystem::path run_dir() const { return home / "run"; }
  std::filesystem::path admin_dir() const { return run_dir() / "admin"; }
  std::filesystem::path admin_socket(const std::string& daemon) const {
    return admin_dir() / (daemon + ".sock");
  }
  std::filesystem::path supervisor_socket() const { return admin_socket("supervisor"); }
  std::filesystem::path notify_socket() const { return run_dir() / "notify.sock"; }
  std::filesystem::path lock_file() const { return run_dir() / "appliance.lock"; }
  std::filesystem::path endpoints() const { return run_dir() / "endpoints.json"; }
  std::filesystem::path keyd_socket() const { return run_dir() / "keyd.sock"; }
  std::filesystem::path token_dir() const { return home / "token"; }
  std::filesystem::path softhsm_conf() const { return token_dir() / "softhsm2.conf"; }
  std::filesystem::path secrets_dir() const { return home / "secrets"; }
  std::filesystem::path pin_file() const { return secrets_dir() / "token-pin"; }
  std::filesystem::path so_pin_file() const { return secrets_dir() / "token-so-pin"; }
  std::filesystem::path store_dir() const { return home / "store"; }
  // updated's own: metadata, downloads, slots (development), status.
  std::filesystem::path update_dir() const { return home / "update"; }
  // updated's status file, for webd (its default place; common/update_status.h).
  std::filesystem::path update_status() const { return update_dir() / "status.json"; }
  // updated's request for a reboot after a rollback (its default place).
  std::filesystem::path reboot_request() const { return update_dir() / "reboot-request"; }
  // deliverd's own: the MTA-STS policies it has seen (deliverd/mta_sts.h).
  std::filesystem::path deliverd_dir() const { return home / "deliverd"; }
  std::filesystem::path mta_sts_cache() const { return deliverd_dir() / "mta-sts.json"; }
  // Each daemon's health report (common/health_report.h), in a folder of its user.
  std::filesystem::path health_dir() const { return run_dir() / "health"; }
  std::filesystem::path health_report(const std::string& daemon) const {
    return health_dir() / daemon / "health.json";
  }
  // Each daemon's counters (common/counters_report.h), beside its health report.
  std::filesystem::path counters_report(const std::string& daemon) const {
    return health_dir() / daemon / "counters.json";
  }
  // The store check's verdict of this boot, for updated's health gate.
  std::filesystem::path store_verdict() const { return run_dir() / "store-check.json"; }
};

}  // namespace appliance
