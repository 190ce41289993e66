// NAME
//   json_body.cpp - JSON request bodies parsed through a SAX handler that
//   counts depth and keeps the parser's message.
#include "webd/json_body.h"

#include <fmt/format.h>

#include "webd/http.h"

namespace appliance::webd {
namespace {

using nlohmann::json;

// Builds the document like nlohmann's own DOM parser, but stops at the
// depth limit and remembers why a parse failed instead of throwing.
class LimitedSax {
 public:
  explicit LimitedSax(json& out) : dom_(out, false) {}

  bool null() { return dom_.null(); }
  bool boolean(bool v) { return dom_.boolean(v); }
  bool number_integer(json::number_integer_t v) { return dom_.number_integer(v); }
  bool number_unsigned(json::number_unsigned_t v) { return dom_.number_unsigned(v); }
  bool number_float(json::number_float_t v, const std::string& s) {
    return dom_.number_float(v, s);
  }
  bool string(std::string& v) { return dom_.string(v); }
  bool binary(json::binary_t& v) { return dom_.binary(v); }
  bool start_object(std::size_t n) { return deeper() && dom_.start_object(n); }
  bool key(std::string& k) { return dom_.key(k); }
  bool end_object() {
    --depth_;
    return dom_.end_object();
  }
  bool start_array(std::size_t n) { return deeper() && dom_.start_array(n); }
  bool end_array() {
    --depth_;
    return dom_.end_array();
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    if (error_.empty()) error_ = e.what();
    return false;
  }
  const std::string& error() const { return error_; }

 private:
  bool deeper() {
    if (++depth_ <= kMaxJsonDepth) return true;
    error_ = fmt::format("JSON nested deeper than {} levels", kMaxJsonDepth);
    return false;
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  std::size_t depth_ = 0;
  std::string error_;
};

// "[json.exception.parse_error.101] parse error at line 1, column 2: ..." -> from "parse error".
std::string readable(const std::string& what) {
  auto at = what.find("] ");
  return at == std::string::npos ? what : what.substr(at + 2);
}

}  // namespace

// Declared in http.h; here so that every part of webd can answer with it.
HttpResponse json_error(int status, std::string_view code, std::string_view message) {
  json body = {{"error", {{"code", code}, {"message", message}}}};
  return {status,
          {{"Content-Type", "application/json"}},
          body.dump(-1, ' ', false, json::error_handler_t::replace) + "\n"};
}

Result<json> parse_json_body(std::string_view body) {
  if (body.empty()) return make_error("the request needs a JSON body");
  if (body.size() > kMaxJsonBody)
    return make_error(fmt::format("the JSON body is over {} bytes", kMaxJsonBody));
  json out;
  LimitedSax sax(out);
  bool ok = json::sax_parse(body.begin(), body.end(), &sax, json::input_format_t::json, true);
  if (!ok || !sax.error().empty())
    return make_error("malformed JSON: " + readable(sax.error().empty() ? "stopped" : sax.error()));
  if (!out.is_object()) return make_error("the JSON body must be an object");
  return out;
}

Result<std::string> string_field(const json& body, const char* name, std::size_t max,
                                 bool optional) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (optional) return std::string();
    return make_error(fmt::format("\"{}\" is missing", name));
  }
  if (!it->is_string()) return make_error(fmt::format("\"{}\" must be a string", name));
  const auto& s = it->get_ref<const std::string&>();
  if (s.size() > max) return make_error(fmt::format("\"{}\" is over {} bytes", name, max));
  return s;
}

Result<std::optional<std::int64_t>> integer_field(const json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::optional<std::int64_t>();
  if (!it->is_number_integer()) return make_error(fmt::format("\"{}\" must be an integer", name));
  if (it->is_number_unsigned() && it->get<std::uint64_t>() > INT64_MAX)
    return make_error(fmt::format("\"{}\" is too large", name));
  return std::optional<std::int64_t>(it->get<std::int64_t>());
}

}  // namespace appliance::webd
