// NAME
//   updatectl - fetch appliance updates verified with The Update Framework.
//
// SYNOPSIS
//   updatectl --metadata-dir D init ROOT.json [--force]
//   updatectl --metadata-dir D --metadata-url U refresh
//   updatectl --metadata-dir D --metadata-url U --target-name NAME
//             --target-base-url B --target-dir T [--channel C] download
//
// SECURITY
//   Trusts only the root.json installed by init (obtained out of band) and
//   what chains to it by signatures; everything fetched from the metadata
//   and target URLs is untrusted until the TUF workflow admits it. Writes the
//   metadata directory and the target directory, nothing else; a target
//   appears under its name only after its length and every hash matched.
//   Runs as the invoking user: the installer that uses the downloaded image
//   is a separate, more privileged step.
#include <curl/curl.h>

#include <iostream>

#include "updatectl/updatectl.h"

int main(int argc, char** argv) {
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
    std::cerr << "updatectl: cannot initialise libcurl\n";
    return 1;
  }
  int status = appliance::updatectl::run(argc, argv, std::cout, std::cerr);
  curl_global_cleanup();
  return status;
}
