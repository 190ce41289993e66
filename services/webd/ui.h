// NAME
//   ui.h - the web UI's files (HTML, CSS, JavaScript), embedded at build
//   time and served under /account/.
//
// DESCRIPTION
//   The files live in services/webd/ui/; ui/embed.cmake writes them into the
//   binary as bytes when webd is built, so a box serves exactly the UI of its
//   release and nothing on disk can change it. handle_ui() answers
//   GET /account and /account/ with index.html and /account/<name> with that
//   file, with its content type; anything else under /account/ is 404.
//
// SECURITY
//   Only names in the embedded table are served: the request's path picks
//   an entry, it never reaches a file system. The pages hold no inline
//   script or style, so the site's Content-Security-Policy applies unchanged.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "webd/autoconfig.h"

namespace appliance::webd {

struct UiFile {
  std::string_view name;  // "index.html"
  std::string_view body;
};

std::span<const UiFile> ui_files();
std::optional<HttpResponse> handle_ui(const HttpRequest& request);

}  // namespace appliance::webd
