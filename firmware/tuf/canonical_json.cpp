// NAME
//   canonical_json.cpp - strict JSON reader and canonical JSON writer.
//
// DESCRIPTION
//   The reader is a SAX handler over nlohmann's lexer that builds the DOM
//   itself, so that it can refuse duplicate keys and floats as they appear.
#include "tuf/canonical_json.h"

#include <vector>

namespace appliance::tuf {
namespace {

using json = nlohmann::json;

class StrictBuilder : public nlohmann::json_sax<json> {
 public:
  bool null() override { return put(json(nullptr)); }
  bool boolean(bool v) override { return put(json(v)); }
  bool number_integer(number_integer_t v) override { return put(json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return put(json(v)); }
  bool number_float(number_float_t, const string_t& text) override {
    return fail("number " + text + " is not an integer (floats are not allowed)");
  }
  bool string(string_t& v) override { return put(json(std::move(v))); }
  bool binary(binary_t&) override { return fail("binary values are not allowed"); }
  bool start_object(std::size_t) override { return open(json::object()); }
  bool start_array(std::size_t) override { return open(json::array()); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }

  bool key(string_t& k) override {
    if (stack_.back()->contains(k)) return fail("duplicate object key \"" + k + "\"");
    key_ = std::move(k);
    return true;
  }

  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& ex) override {
    return fail(ex.what());
  }

  json& root() { return root_; }
  const std::string& error() const { return error_; }

 private:
  bool fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return false;
  }

  // Places a value in the innermost open container (or as the root) and
  // returns where it now lives.
  json* place(json value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    json& top = *stack_.back();
    if (top.is_array()) {
      top.push_back(std::move(value));
      return &top.back();
    }
    json& slot = top[key_];
    slot = std::move(value);
    return &slot;
  }

  bool put(json value) {
    place(std::move(value));
    return true;
  }

  bool open(json container) {
    if (static_cast<int>(stack_.size()) >= kMaxJsonDepth) {
      return fail("nesting deeper than " + std::to_string(kMaxJsonDepth));
    }
    stack_.push_back(place(std::move(container)));
    return true;
  }

  bool close() {
    stack_.pop_back();
    return true;
  }

  json root_;
  std::vector<json*> stack_;
  std::string key_;
  std::string error_;
};

void append_string(std::string& out, const std::string& s) {
  out.push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
}

Result<void> append_canonical(std::string& out, const json& v, int depth) {
  if (depth > kMaxJsonDepth) return Error{"canonical json: nesting too deep"};
  switch (v.type()) {
    case json::value_t::null:
      out += "null";
      return {};
    case json::value_t::boolean:
      out += v.get<bool>() ? "true" : "false";
      return {};
    case json::value_t::number_integer:
      out += std::to_string(v.get<std::int64_t>());
      return {};
    case json::value_t::number_unsigned:
      out += std::to_string(v.get<std::uint64_t>());
      return {};
    case json::value_t::string:
      append_string(out, v.get_ref<const std::string&>());
      return {};
    case json::value_t::array: {
      out.push_back('[');
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (i) out.push_back(',');
        if (auto r = append_canonical(out, v[i], depth + 1); !r) return r;
      }
      out.push_back(']');
      return {};
    }
    case json::value_t::object: {
      // nlohmann keeps object keys in a std::map: byte order, which is code
      // point order for UTF-8.
      out.push_back('{');
      bool first = true;
      for (const auto& [key, item] : v.items()) {
        if (!first) out.push_back(',');
        first = false;
        append_string(out, key);
        out.push_back(':');
        if (auto r = append_canonical(out, item, depth + 1); !r) return r;
      }
      out.push_back('}');
      return {};
    }
    default:
      return Error{"canonical json: floats and binary values are not allowed"};
  }
}

}  // namespace

Result<json> parse_json(std::string_view text) {
  StrictBuilder builder;
  bool ok = json::sax_parse(text.begin(), text.end(), &builder);
  if (!ok) {
    return Error{"invalid JSON: " + (builder.error().empty() ? "parse failed" : builder.error())};
  }
  return std::move(builder.root());
}

Result<std::string> canonical_json(const json& value) {
  std::string out;
  if (auto r = append_canonical(out, value, 0); !r) return r.error();
  return out;
}

}  // namespace appliance::tuf
