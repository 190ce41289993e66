// NAME
//   message_data.cpp - blobs, summaries and BODY[section] slices.
#include "imapd/message_data.h"

namespace appliance::imapd {

Result<const std::string*> MessageData::bytes() {
  if (!bytes_) {
    std::string all;
    auto r = c_.tenant->read_blob(c_.account, m_.blob, [&](std::string_view piece) -> Result<void> {
      all.append(piece);
      return {};
    });
    if (!r) return r.error();
    bytes_ = std::move(all);
  }
  return &*bytes_;
}

Result<const mime::Summary*> MessageData::summary() {
  if (summary_) return &*summary_;
  auto sealed = c_.tenant->summary(c_.account, m_.id);
  if (!sealed) return sealed.error();
  auto parsed = sealed->empty() ? Result<mime::Summary>(make_error("none")) : mime::parse(*sealed);
  if (!parsed) {
    auto b = bytes();
    if (!b) return b.error();
    parsed = mime::analyse(**b);
    if (!parsed) return parsed.error();
  }
  summary_ = std::move(*parsed);
  return &*summary_;
}

Result<std::string_view> MessageData::header() {
  auto s = summary();
  if (!s) return s.error();
  if ((*s)->header) return std::string_view(*(*s)->header);
  auto b = bytes();
  if (!b) return b.error();
  const mime::Part& root = (*s)->root;
  return std::string_view(**b).substr(root.header_begin, root.body_begin - root.header_begin);
}

Result<std::optional<std::string>> MessageData::section(const imap::Section& sec) {
  auto s = summary();
  if (!s) return s.error();
  // The message's own header, from the summary: a message list needs no blob.
  if (sec.part.empty() && (*s)->header && sec.text.starts_with("HEADER")) {
    const std::string& head = *(*s)->header;
    if (sec.text == "HEADER") return std::optional<std::string>(head);
    return std::optional<std::string>(
        header_fields(head, sec.fields, sec.text == "HEADER.FIELDS.NOT"));
  }
  auto b = bytes();
  if (!b) return b.error();
  std::string_view all = **b;
  bool entity = false;
  const mime::Part* p = mime::find((*s)->root, sec.part, &entity);
  if (!p) return std::optional<std::string>();
  auto slice = [&](std::uint64_t from, std::uint64_t to) {
    to = std::min<std::uint64_t>(to, all.size());
    from = std::min(from, to);
    return std::string(all.substr(from, to - from));
  };
  if (sec.text.empty())
    return std::optional<std::string>(sec.part.empty() ? std::string(all)
                                                       : slice(p->body_begin, p->end));
  if (sec.text == "MIME") return std::optional<std::string>(slice(p->header_begin, p->body_begin));
  // HEADER and TEXT of a message/rfc822 part are its encapsulated message's.
  if (!entity && p->message) p = &p->parts[0];
  std::string head = slice(p->header_begin, p->body_begin);
  if (sec.text == "TEXT") return std::optional<std::string>(slice(p->body_begin, p->end));
  if (sec.text == "HEADER") return std::optional<std::string>(head);
  return std::optional<std::string>(
      header_fields(head, sec.fields, sec.text == "HEADER.FIELDS.NOT"));
}

std::string header_fields(std::string_view header, const std::vector<std::string>& fields,
                          bool exclude) {
  std::string out;
  bool keep = false;
  std::size_t at = 0;
  while (at < header.size()) {
    std::size_t nl = header.find('\n', at);
    std::size_t next = nl == std::string_view::npos ? header.size() : nl + 1;
    std::string_view line = header.substr(at, next - at);
    at = next;
    if (line == "\r\n" || line == "\n") break;
    if (line[0] != ' ' && line[0] != '\t') {
      auto colon = line.find(':');
      std::string name =
          imap::to_upper(line.substr(0, colon == std::string_view::npos ? 0 : colon));
      while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.pop_back();
      bool listed = std::find(fields.begin(), fields.end(), name) != fields.end();
      keep = colon != std::string_view::npos && listed != exclude;
    }
    if (keep) out.append(line);
  }
  return out + "\r\n";
}

}  // namespace appliance::imapd
