// NAME
//   render.cpp - ENVELOPE, BODY and BODYSTRUCTURE (RFC 9051 7.5.2).
#include "proto/mime/render.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "proto/imap/response.h"
#include "proto/mime/simple_header.h"

namespace appliance::mime {

namespace {

using imap::nstring;
using imap::quote;

struct GFree {
  void operator()(char* p) const { g_free(p); }
};
using GString = std::unique_ptr<char, GFree>;

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(g_ascii_toupper(c));
  return s;
}

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

// A header's value as it was sent, unfolded (RFC 5322 2.2.3) and trimmed.
std::optional<std::string> raw_header(GMimeObject* obj, const char* name) {
  if (!obj) return std::nullopt;
  GMimeHeader* h = g_mime_header_list_get_header(g_mime_object_get_header_list(obj), name);
  const char* raw = h ? g_mime_header_get_raw_value(h) : nullptr;
  if (!raw) return std::nullopt;
  std::string out;
  for (const char* p = raw; *p; ++p)
    if (*p != '\r' && *p != '\n') out += *p;
  return trim(out);
}

std::string nstr(const std::optional<std::string>& s) {
  return nstring(s);
}

std::string params(GMimeParamList* list, bool text_default) {
  int n = list ? g_mime_param_list_length(list) : 0;
  std::string out;
  bool charset = false;
  for (int i = 0; i < n; ++i) {
    GMimeParam* p = g_mime_param_list_get_parameter_at(list, i);
    std::string name = upper(g_mime_param_get_name(p));
    charset = charset || name == "CHARSET";
    const char* v = g_mime_param_get_value(p);
    out += fmt::format("{}{} {}", out.empty() ? "" : " ", quote(name), quote(v ? v : ""));
  }
  if (text_default && !charset)
    out += std::string(out.empty() ? "" : " ") + "\"CHARSET\" \"US-ASCII\"";
  return out.empty() ? "NIL" : "(" + out + ")";
}

std::string disposition(const HeaderView& entity) {
  GMimeContentDisposition* d = entity.disposition();
  const char* name = d ? g_mime_content_disposition_get_disposition(d) : nullptr;
  if (!name) return "NIL";
  return fmt::format("({} {})", quote(upper(name)),
                     params(g_mime_content_disposition_get_parameters(d), false));
}

std::string language(const HeaderView& entity) {
  auto raw = entity.raw("Content-Language");
  if (!raw || raw->empty()) return "NIL";
  std::string out;
  std::string_view rest = *raw;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string tag = trim(rest.substr(0, comma));
    if (!tag.empty()) out += (out.empty() ? "" : " ") + quote(tag);
    rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
  }
  return out.empty() ? "NIL" : "(" + out + ")";
}

// memchr rather than std::count, which the compiler does not vectorise here: counting
// took 7% of a 4 KiB message's summary.
std::uint64_t lines(std::string_view body) {
  std::uint64_t n = 0;
  const char* p = body.data();
  const char* end = p + body.size();
  while (p < end) {
    p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    if (!p) break;
    ++n, ++p;
  }
  return n;
}

std::string address(InternetAddress* a);

std::string address_list(InternetAddressList* list) {
  int n = list ? internet_address_list_length(list) : 0;
  std::string out;
  for (int i = 0; i < n; ++i) out += address(internet_address_list_get_address(list, i));
  return out.empty() ? "NIL" : "(" + out + ")";
}

// A display name in ASCII: 8-bit names go back into RFC 2047 encoded words.
std::optional<std::string> display_name(InternetAddress* a) {
  const char* name = internet_address_get_name(a);
  if (!name || !*name) return std::nullopt;
  std::string_view s = name;
  if (std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
    return std::string(s);
  GString enc(g_mime_utils_header_encode_phrase(nullptr, name, "utf-8"));
  return enc ? std::string(enc.get()) : std::string(s);
}

std::string address(InternetAddress* a) {
  if (INTERNET_ADDRESS_IS_GROUP(a)) {
    auto* g = INTERNET_ADDRESS_GROUP(a);
    std::string out = fmt::format("(NIL NIL {} NIL)", nstr(display_name(a)));
    InternetAddressList* members = internet_address_group_get_members(g);
    int n = members ? internet_address_list_length(members) : 0;
    for (int i = 0; i < n; ++i) out += address(internet_address_list_get_address(members, i));
    return out + "(NIL NIL NIL NIL)";
  }
  const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
  std::string_view s = addr ? addr : "";
  auto at = s.rfind('@');
  std::optional<std::string> local(std::string(s.substr(0, at)));
  std::optional<std::string> host;
  if (at != std::string_view::npos) host = std::string(s.substr(at + 1));
  return fmt::format("({} NIL {} {})", nstr(display_name(a)), nstr(local), nstr(host));
}

std::string addresses(const HeaderView& message, const char* name) {
  if (auto m = message.mailbox(name))
    return fmt::format("((NIL NIL {} {}))", quote(m->local), quote(m->domain));
  auto raw = message.raw(name);
  if (!raw || raw->empty()) return "NIL";
  InternetAddressList* list = internet_address_list_parse(nullptr, raw->c_str());
  std::string out = address_list(list);
  if (list) g_object_unref(list);
  return out;
}

std::string decoded_addresses(InternetAddressList* list) {
  if (!list || internet_address_list_length(list) == 0) return {};
  GString s(internet_address_list_to_string(list, nullptr, FALSE));
  return s ? std::string(s.get()) : std::string();
}

// A simple header's field parsed as GMime's message parses it.
std::string decoded_addresses(const SimpleFields& fields, const HeaderView& view,
                              const char* name) {
  if (auto m = view.mailbox(name)) return m->local + "@" + m->domain;
  const SimpleFields::Field* f = fields.get(name);
  if (!f) return {};
  InternetAddressList* list = internet_address_list_parse(nullptr, f->folded.c_str());
  std::string out = decoded_addresses(list);
  if (list) g_object_unref(list);
  return out;
}

}  // namespace

std::optional<std::string> GMimeView::raw(const char* name) const {
  return raw_header(obj_, name);
}

GMimeContentType* GMimeView::content_type() const {
  return obj_ ? g_mime_object_get_content_type(obj_) : nullptr;
}

GMimeContentDisposition* GMimeView::disposition() const {
  return obj_ ? g_mime_object_get_content_disposition(obj_) : nullptr;
}

std::optional<std::string> GMimeView::encoding() const {
  if (!obj_ || !GMIME_IS_PART(obj_)) return std::nullopt;
  return encoding_name(obj_);
}

std::string encoding_name(GMimeObject* part) {
  GMimeContentEncoding e = g_mime_part_get_content_encoding(GMIME_PART(part));
  if (e == GMIME_CONTENT_ENCODING_DEFAULT) return {};
  std::string s = g_mime_content_encoding_to_string(e);
  for (char& c : s) c = static_cast<char>(g_ascii_tolower(c));
  return s;
}

std::string Renderer::basic_fields(const HeaderView& entity, std::string_view body) {
  GMimeContentType* ct = entity.content_type();
  std::string type = ct && g_mime_content_type_get_media_type(ct)
                         ? g_mime_content_type_get_media_type(ct)
                         : "text";
  std::string sub = ct && g_mime_content_type_get_media_subtype(ct)
                        ? g_mime_content_type_get_media_subtype(ct)
                        : "plain";
  type = upper(type), sub = upper(sub);
  std::string enc = upper(entity.encoding().value_or(""));
  return fmt::format("{} {} {} {} {} {} {}", quote(type), quote(sub),
                     params(ct ? g_mime_content_type_get_parameters(ct) : nullptr, type == "TEXT"),
                     nstr(entity.raw("Content-ID")), nstr(entity.raw("Content-Description")),
                     quote(enc.empty() ? "7BIT" : enc), body.size());
}

// md5 (single parts only), disposition, language, location.
std::string Renderer::extension(const HeaderView& entity, bool single) {
  std::string out = single ? nstr(entity.raw("Content-MD5")) + " " : "";
  return out + fmt::format("{} {} {}", disposition(entity), language(entity),
                           nstr(entity.raw("Content-Location")));
}

Rendered Renderer::leaf(const HeaderView& part, std::string_view body) {
  std::string fields = basic_fields(part, body);
  if (fields.starts_with("\"TEXT\" ")) fields += fmt::format(" {}", lines(body));
  return {{}, "(" + fields + ")", "(" + fields + " " + extension(part, true) + ")"};
}

Rendered Renderer::message_part(GMimeObject* obj, std::string_view body, const Rendered& inner) {
  GMimeView view(obj);
  std::string fields = basic_fields(view, body);
  auto with = [&](const std::string& structure) {
    return fmt::format(" {} {} {}", inner.envelope, structure, lines(body));
  };
  return {{},
          "(" + fields + with(inner.body) + ")",
          "(" + fields + with(inner.bodystructure) + " " + extension(view, true) + ")"};
}

Rendered Renderer::multipart(GMimeObject* obj, const std::vector<Rendered>& children) {
  std::string body = "(", structure = "(";
  for (const Rendered& c : children) body += c.body, structure += c.bodystructure;
  // A multipart whose parts could not be found still needs one (RFC 9051 9: body-type-mpart).
  if (children.empty()) {
    Rendered empty = leaf(GMimeView(nullptr), {});
    body += empty.body, structure += empty.bodystructure;
  }
  GMimeContentType* ct = g_mime_object_get_content_type(obj);
  const char* sub = ct ? g_mime_content_type_get_media_subtype(ct) : nullptr;
  std::string subtype = quote(upper(sub ? sub : "mixed"));
  body += " " + subtype + ")";
  structure += fmt::format(" {} {} {})", subtype,
                           params(ct ? g_mime_content_type_get_parameters(ct) : nullptr, false),
                           extension(GMimeView(obj), false));
  return {{}, body, structure};
}

std::string Renderer::envelope(const HeaderView& message) {
  std::string from = addresses(message, "From");
  std::string sender = addresses(message, "Sender");
  std::string reply_to = addresses(message, "Reply-To");
  // RFC 3501 7.4.2: absent Sender and Reply-To default to From.
  if (sender == "NIL") sender = from;
  if (reply_to == "NIL") reply_to = from;
  return fmt::format("({} {} {} {} {} {} {} {} {} {})", nstr(message.raw("Date")),
                     nstr(message.raw("Subject")), from, sender, reply_to, addresses(message, "To"),
                     addresses(message, "Cc"), addresses(message, "Bcc"),
                     nstr(message.raw("In-Reply-To")), nstr(message.raw("Message-ID")));
}

void Renderer::search_fields(GMimeMessage* msg, Summary& s) {
  if (const char* subject = g_mime_message_get_subject(msg)) s.subject = subject;
  s.from = decoded_addresses(g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_FROM));
  s.to = decoded_addresses(g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_TO));
  s.cc = decoded_addresses(g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_CC));
  s.bcc = decoded_addresses(g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_BCC));
  if (GDateTime* d = g_mime_message_get_date(msg)) s.date = g_date_time_to_unix(d);
}

void Renderer::search_fields(const SimpleFields& fields, const HeaderView& view, Summary& s) {
  if (const auto* subject = fields.get("Subject")) {
    GString decoded(g_mime_utils_header_decode_text(nullptr, subject->value.c_str()));
    if (decoded) s.subject = decoded.get();
  }
  s.from = decoded_addresses(fields, view, "From");
  s.to = decoded_addresses(fields, view, "To");
  s.cc = decoded_addresses(fields, view, "Cc");
  s.bcc = decoded_addresses(fields, view, "Bcc");
  if (const auto* date = fields.get("Date")) {
    if (GDateTime* d = g_mime_utils_header_decode_date(date->value.c_str())) {
      s.date = g_date_time_to_unix(d);
      g_date_time_unref(d);
    }
  }
}

}  // namespace appliance::mime
