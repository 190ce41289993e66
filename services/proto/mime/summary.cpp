// NAME
//   summary.cpp - walking GMime's tree of a message beside its bytes.
//
// DESCRIPTION
//   GMime gives the structure and the header values; the byte ranges come
//   from a scan of the same bytes (header end, boundary lines), so BODY[1.2]
//   is exactly the octets RFC 9051 names, whatever GMime normalises. A
//   single part under a plain header (simple_header.h) skips GMime's parse
//   of the message: its fields' values go to GMime's parsers for them.
#include "proto/mime/summary.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>

#include "proto/mime/render.h"
#include "proto/mime/simple_header.h"

namespace appliance::mime {

namespace {

struct Range {
  std::uint64_t begin = 0, end = 0;
};

template <class T>
struct GUnref {
  void operator()(T* p) const { g_object_unref(p); }
};
template <class T>
using GPtr = std::unique_ptr<T, GUnref<T>>;

void init_gmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

// Offset just past the blank line that ends the header starting at `begin`.
std::uint64_t header_end(std::string_view m, std::uint64_t begin, std::uint64_t end) {
  std::uint64_t line = begin;
  while (line < end) {
    auto nl = m.find('\n', line);
    if (nl == std::string_view::npos || nl >= end) return end;
    std::string_view text = m.substr(line, nl - line);
    if (text.empty() || text == "\r") return nl + 1;
    line = nl + 1;
  }
  return end;
}

// The ranges of the body parts between "--boundary" lines (RFC 2046 5.1.1):
// the CRLF before a delimiter belongs to the delimiter.
std::vector<Range> split(std::string_view m, Range body, std::string_view boundary) {
  std::vector<Range> parts;
  std::string delimiter = "--" + std::string(boundary);
  std::uint64_t line = body.begin;
  std::optional<std::uint64_t> open;
  while (line < body.end) {
    auto nl = m.find('\n', line);
    std::uint64_t next = (nl == std::string_view::npos || nl >= body.end) ? body.end : nl + 1;
    if (m.substr(line, next - line).starts_with(delimiter)) {
      std::uint64_t stop = line;
      if (stop > body.begin && m[stop - 1] == '\n') --stop;
      if (stop > body.begin && m[stop - 1] == '\r') --stop;
      if (open) parts.push_back(Range{*open, std::max(*open, stop)});
      bool close = m.substr(line + delimiter.size(), 2) == "--";
      if (close) return parts;
      open = next;
    }
    line = next;
  }
  if (open) parts.push_back(Range{*open, body.end});
  return parts;
}

struct Walker {
  std::string_view m;
  Renderer& r;

  Part walk(GMimeObject* obj, Range range, int depth, Rendered& out) {
    Part p;
    p.header_begin = range.begin;
    p.body_begin = header_end(m, range.begin, range.end);
    p.end = range.end;
    Range body{p.body_begin, p.end};
    if (GMIME_IS_MULTIPART(obj) && depth < kMaxDepth) return multipart(obj, p, body, depth, out);
    if (GMIME_IS_PART(obj)) p.encoding = encoding_name(obj);
    GMimeMessage* inner = GMIME_IS_MESSAGE_PART(obj)
                              ? g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj))
                              : nullptr;
    if (inner && depth < kMaxDepth) {
      p.message = true;
      Rendered in;
      p.parts.push_back(message(inner, body, depth + 1, in));
      out = r.message_part(obj, m.substr(body.begin, body.end - body.begin), in);
      return p;
    }
    out = r.leaf(GMimeView(obj), m.substr(body.begin, body.end - body.begin));
    return p;
  }

  Part multipart(GMimeObject* obj, Part p, Range body, int depth, Rendered& out) {
    p.multipart = true;
    auto* mp = GMIME_MULTIPART(obj);
    // The header's parameter: g_mime_multipart_get_boundary() would make one
    // up at random for a multipart without it, and the summary would differ
    // each time the same message is summarised.
    GMimeContentType* ct = g_mime_object_get_content_type(obj);
    const char* boundary = ct ? g_mime_content_type_get_parameter(ct, "boundary") : nullptr;
    std::vector<Range> ranges = boundary ? split(m, body, boundary) : std::vector<Range>{};
    int count = g_mime_multipart_get_count(mp);
    std::vector<Rendered> children;
    for (int i = 0; i < count && static_cast<std::size_t>(i) < ranges.size(); ++i) {
      Rendered child;
      p.parts.push_back(walk(g_mime_multipart_get_part(mp, i), ranges[i], depth + 1, child));
      children.push_back(std::move(child));
    }
    out = r.multipart(obj, children);
    return p;
  }

  Part message(GMimeMessage* msg, Range range, int depth, Rendered& out) {
    GMimeObject* body = g_mime_message_get_mime_part(msg);
    Part p;
    if (body) {
      p = walk(body, range, depth, out);
    } else {
      p.header_begin = range.begin;
      p.body_begin = header_end(m, range.begin, range.end);
      p.end = range.end;
      out = r.leaf(GMimeView(nullptr), m.substr(p.body_begin, p.end - p.body_begin));
    }
    out.envelope = r.envelope(GMimeView(GMIME_OBJECT(msg)));
    return p;
  }
};

}  // namespace

namespace {

// GMime's tree of `bytes`, or null.
GPtr<GMimeMessage> construct(std::string_view bytes) {
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  return GPtr<GMimeMessage>(g_mime_parser_construct_message(parser.get(), nullptr));
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() &&
         g_ascii_strncasecmp(s.data(), prefix.data(), prefix.size()) == 0;
}

// Whether a Content-Type field of the header, as written on its first line,
// names a multipart or message type. Only a guess, to spare such a message a
// parse of its header alone: GMime's own reading decides (construct_message).
bool names_multipart(std::string_view header) {
  while (!header.empty()) {
    std::string_view line = header.substr(0, header.find('\n'));
    header.remove_prefix(std::min(header.size(), line.size() + 1));
    if (!starts_with_nocase(line, "content-type:")) continue;
    line.remove_prefix(13);
    line.remove_prefix(std::min(line.size(), line.find_first_not_of(" \t")));
    if (starts_with_nocase(line, "multipart") || starts_with_nocase(line, "message")) return true;
  }
  return false;
}

// The header without the fields the summary never reads (Received,
// DKIM-Signature, Authentication-Results, X-...): GMime builds an object for
// each field it parses. A field goes with its continuation lines; a line that
// is not plainly a field of another name ("Name:", "Name :") stays.
std::string summarised_fields(std::string_view header) {
  std::string out;
  out.reserve(header.size());
  bool keep = true;
  while (!header.empty()) {
    std::string_view line = header.substr(0, std::min(header.size(), header.find('\n') + 1));
    header.remove_prefix(line.size());
    if (line.front() != ' ' && line.front() != '\t') {
      std::string_view name = line.substr(0, line.find(':'));
      bool field = name.size() < line.size();
      name = name.substr(0, name.find_last_not_of(" \t") + 1);
      field = field && !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
                return c > ' ' && c < 127;
              });
      keep = !field || summarised(name);
    }
    if (keep) out += line;
  }
  return out;
}

// Most mail is a single part, whose summary needs only GMime's view of the
// header: the body's size and lines come from the bytes (Walker). GMime then
// parses the header alone, and only the fields the summary reads (the body's
// scan and content objects, and the trace fields, were a good part of its
// time); a multipart or an encapsulated message is parsed whole.
GPtr<GMimeMessage> construct_message(std::string_view message) {
  std::uint64_t end = header_end(message, 0, message.size());
  if (end < message.size() && !names_multipart(message.substr(0, end))) {
    GPtr<GMimeMessage> head = construct(summarised_fields(message.substr(0, end)));
    GMimeObject* part = head ? g_mime_message_get_mime_part(head.get()) : nullptr;
    if (part && !GMIME_IS_MULTIPART(part) && !GMIME_IS_MESSAGE_PART(part)) return head;
  }
  return construct(message);
}

// The fields of a simple header as rendering reads them; the MIME ones
// parsed by GMime's own functions for them, as its objects would.
class FieldsView final : public HeaderView {
 public:
  explicit FieldsView(const SimpleFields& f) : f_(f) {
    if (const auto* ct = f_.get("Content-Type"))
      type_.reset(g_mime_content_type_parse(nullptr, ct->value.c_str()));
    if (const auto* cd = f_.get("Content-Disposition"))
      disposition_.reset(g_mime_content_disposition_parse(nullptr, cd->value.c_str()));
  }
  std::optional<std::string> raw(const char* name) const override {
    const auto* f = f_.get(name);
    return f ? std::optional<std::string>(f->value) : std::nullopt;
  }
  std::optional<Mailbox> mailbox(const char* name) const override {
    auto value = raw(name);
    return value ? plain_mailbox(*value) : std::nullopt;
  }
  GMimeContentType* content_type() const override { return type_.get(); }
  GMimeContentDisposition* disposition() const override { return disposition_.get(); }
  std::optional<std::string> encoding() const override {
    const auto* cte = f_.get("Content-Transfer-Encoding");
    GMimeContentEncoding e = cte ? g_mime_content_encoding_from_string(cte->value.c_str())
                                 : GMIME_CONTENT_ENCODING_DEFAULT;
    if (e == GMIME_CONTENT_ENCODING_DEFAULT) return std::string();
    std::string name = g_mime_content_encoding_to_string(e);
    for (char& c : name) c = static_cast<char>(g_ascii_tolower(c));
    return name;
  }
  // Whether GMime would make a leaf part of it: not a multipart, not a message.
  bool leaf() const {
    const char* type = type_ ? g_mime_content_type_get_media_type(type_.get()) : nullptr;
    return !type ||
           (g_ascii_strcasecmp(type, "multipart") != 0 && g_ascii_strcasecmp(type, "message") != 0);
  }

 private:
  const SimpleFields& f_;
  GPtr<GMimeContentType> type_;
  GPtr<GMimeContentDisposition> disposition_;
};

// A single part under a simple header (simple_header.h), without GMime's
// parse of the message; nullopt when the message is not one.
std::optional<Summary> analyse_simple(std::string_view message) {
  std::uint64_t end = header_end(message, 0, message.size());
  // A Content-Type line that says multipart or message: GMime's whole parse at once.
  if (end >= message.size() || names_multipart(message.substr(0, end))) return std::nullopt;
  auto fields = simple_fields(message.substr(0, end));
  if (!fields) return std::nullopt;
  FieldsView view(*fields);
  if (!view.leaf()) return std::nullopt;
  Renderer r;
  Summary s;
  s.root = Part{0, end, message.size(), false, false, view.encoding().value_or(""), {}};
  Rendered out = r.leaf(view, message.substr(end));
  s.envelope = r.envelope(view);
  s.body = std::move(out.body);
  s.bodystructure = std::move(out.bodystructure);
  r.search_fields(*fields, view, s);
  return s;
}

// The header block kept with the summary, when it is not huge.
void keep_header(std::string_view message, Summary& s) {
  std::uint64_t header_size = s.root.body_begin - s.root.header_begin;
  if (header_size <= kMaxCachedHeader)
    s.header = std::string(message.substr(s.root.header_begin, header_size));
}

// Every message GMime's parse: the structure and the values.
Result<Summary> analyse_parsed(std::string_view message) {
  GPtr<GMimeMessage> msg = construct_message(message);
  if (!msg) return make_error("the message cannot be parsed as MIME");
  Renderer r;
  Walker w{message, r};
  Rendered out;
  Summary s;
  s.root = w.message(msg.get(), {0, message.size()}, 0, out);
  s.envelope = std::move(out.envelope);
  s.body = std::move(out.body);
  s.bodystructure = std::move(out.bodystructure);
  r.search_fields(msg.get(), s);
  keep_header(message, s);
  return s;
}

}  // namespace

namespace testing {

Result<Summary> analyse_with_gmime(std::string_view message) {
  init_gmime();
  return analyse_parsed(message);
}

}  // namespace testing

Result<Summary> analyse(std::string_view message) {
  init_gmime();
  std::optional<Summary> simple = analyse_simple(message);
  if (!simple) return analyse_parsed(message);
  keep_header(message, *simple);
  return std::move(*simple);
}

Result<std::string> summarize(std::string_view message) {
  auto s = analyse(message);
  if (!s) return s.error();
  return serialize(*s);
}

Result<std::string> decode(std::string_view body, std::string_view encoding) {
  if (encoding.empty() || encoding == "7bit" || encoding == "8bit" || encoding == "binary")
    return std::string(body);
  init_gmime();
  GMimeContentEncoding e = g_mime_content_encoding_from_string(std::string(encoding).c_str());
  if (e != GMIME_CONTENT_ENCODING_BASE64 && e != GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE &&
      e != GMIME_CONTENT_ENCODING_UUENCODE)
    return make_error("unknown Content-Transfer-Encoding");
  GMimeEncoding state;
  g_mime_encoding_init_decode(&state, e);
  std::string out(g_mime_encoding_outlen(&state, body.size()) + 16, '\0');
  std::size_t n = g_mime_encoding_flush(&state, body.data(), body.size(), out.data());
  out.resize(n);
  return out;
}

const Part* find(const Part& root, const std::vector<std::uint32_t>& numbers, bool* entity) {
  const Part* cur = &root;
  bool is_entity = true;
  for (std::uint32_t n : numbers) {
    if (cur->message && !is_entity) cur = &cur->parts[0], is_entity = true;
    if (cur->multipart) {
      if (n == 0 || n > cur->parts.size()) return nullptr;
      cur = &cur->parts[n - 1];
    } else if (n != 1 || !is_entity) {
      return nullptr;
    }
    is_entity = false;
  }
  if (entity) *entity = is_entity;
  return cur;
}

}  // namespace appliance::mime
