// NAME
//   openapi.cpp - the OpenAPI 3 document of /api/v1, made from routes().
//
// DESCRIPTION
//   Each route becomes an operation: its summary, who may call it, its JSON
//   body when it reads one, and the error answers every route can give.
//   Nothing is listed by hand here, so the document and the router agree.
#include <string>

#include "webd/api.h"
#include "webd/handlers.h"

namespace appliance::webd {
namespace {

using nlohmann::json;

std::string_view access_text(Access a) {
  switch (a) {
    case Access::anyone: return "anyone";
    case Access::any_session: return "a session, signed in or with the second factor due";
    case Access::partial: return "a session with the second factor due";
    case Access::signed_in: return "a signed-in session";
    case Access::sudo: return "a signed-in session in sudo mode";
    case Access::admin_read: return "an administrator or auditor (the role is checked per object)";
    case Access::admin_change: return "an administrator in sudo mode (the role is checked per object)";
  }
  return "";
}

json error_response(std::string_view what) {
  return {{"description", what},
          {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

json operation(const Route& r) {
  std::string who(access_text(r.access));
  if (r.bearer) who += ", or an API key";
  json op = {{"summary", r.summary},
             {"description", "Who may call: " + who + "."},
             {"responses",
              {{"200", {{"description", "done"}}},
               {"400", error_response("bad input")},
               {"401", error_response("not signed in, or refused")},
               {"403", error_response("CSRF check failed, sudo mode or a right missing")},
               {"503", error_response("the service cannot answer now")}}}};
  json security = json::array({{{"session", json::array()}}});
  if (r.bearer) security.push_back({{"apiKey", json::array()}});
  if (r.access != Access::anyone) op["security"] = security;
  if (r.body)
    op["requestBody"] = {{"required", true},
                         {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
  std::string_view path = r.path;
  if (auto open = path.find('{'); open != std::string_view::npos) {
    std::string name(path.substr(open + 1, path.find('}', open) - open - 1));
    op["parameters"] = json::array(
        {{{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}}});
  }
  return op;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

json openapi_document() {
  json paths = json::object();
  for (const Route& r : routes()) paths[std::string(r.path)][lower(r.method)] = operation(r);
  return {
      {"openapi", "3.0.3"},
      {"info", {{"title", "Appliance API"}, {"version", "1"}}},
      {"paths", paths},
      {"components",
       {{"securitySchemes",
         {{"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "__Host-session"}}},
          {"apiKey", {{"type", "http"}, {"scheme", "bearer"}}}}},
        {"schemas",
         {{"Error",
           {{"type", "object"},
            {"properties",
             {{"error",
               {{"type", "object"},
                {"properties",
                 {{"code", {{"type", "string"}}}, {"message", {{"type", "string"}}}}}}}}}}}}}}}};
}

HttpResponse handlers::openapi(Call&) { return json_response(200, openapi_document()); }

}  // namespace appliance::webd
