// NAME
//   ui.cpp - the embedded UI files served by name.
#include "webd/ui.h"

#include "webd/http.h"

namespace appliance::webd {
namespace {

std::string_view content_type(std::string_view name) {
  if (name.ends_with(".html")) return "text/html; charset=utf-8";
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".svg")) return "image/svg+xml";
  return "application/octet-stream";
}

}  // namespace

std::optional<HttpResponse> handle_ui(const HttpRequest& request) {
  std::string_view path(request.target);
  path = path.substr(0, path.find('?'));
  if (path != "/account" && !path.starts_with("/account/")) return std::nullopt;
  if (request.method != "GET" && request.method != "HEAD")
    return json_error(405, "method_not_allowed", "the UI's files are read with GET");
  std::string_view name = path.size() <= 9 ? "index.html" : path.substr(9);
  for (const UiFile& f : ui_files())
    if (f.name == name)
      return HttpResponse{200, {{"Content-Type", std::string(content_type(name))}},
                          std::string(f.body)};
  return json_error(404, "not_found", "no such page");
}

}  // namespace appliance::webd
