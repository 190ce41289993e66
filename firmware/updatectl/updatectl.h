// NAME
//   updatectl.h - the commands of updatectl, apart from argument parsing.
//
// DESCRIPTION
//   init      verifies a root.json (signed by a threshold of its own keys) and
//             installs it as the trusted root of a metadata directory.
//   refresh   runs the TUF client workflow against a metadata URL.
//   download  refreshes, finds a target (in one channel's delegated role if
//             --channel is given) and writes it, verified, to a directory.
//
//   run() parses the command line and returns the exit status: 0 on success,
//   1 on any failure with the reason on `err`.
#pragma once

#include <ostream>
#include <string>

#include "common/result.h"
#include "tuf/clock.h"
#include "tuf/fetcher.h"

namespace appliance::updatectl {

struct Options {
  std::string metadata_dir;
  std::string metadata_url;
  std::string target_name;
  std::string target_base_url;
  std::string target_dir;
  std::string channel;  // empty: search all of targets
  std::string root_file;
  bool force = false;
};

// Each returns the line to print on success.
Result<std::string> init(const Options& options, const tuf::Clock& clock);
Result<std::string> refresh(const Options& options, tuf::Fetcher& fetcher, const tuf::Clock& clock);
Result<std::string> download(const Options& options, tuf::Fetcher& fetcher,
                             const tuf::Clock& clock);

int run(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace appliance::updatectl
