// NAME
//   render.h - ENVELOPE, BODY and BODYSTRUCTURE in IMAP syntax from GMime objects.
//
// DESCRIPTION
//   Used by summary.cpp while it walks a message; strings go out through
//   proto/imap's quoting, so 8-bit or control bytes become literals and the
//   cached text can be sent as it is in any session.
#pragma once

#include <gmime/gmime.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/mime/simple_header.h"
#include "proto/mime/summary.h"

namespace appliance::mime {

// What rendering reads of one entity's header: GMime's object of it
// (GMimeView), or the fields simple_fields() found (summary.cpp).
class HeaderView {
 public:
  virtual ~HeaderView() = default;
  // The first field of the name, its line breaks removed and blanks trimmed.
  virtual std::optional<std::string> raw(const char* name) const = 0;
  virtual GMimeContentType* content_type() const = 0;  // null: text/plain
  virtual GMimeContentDisposition* disposition() const = 0;
  // "base64", ...; "" for the default (7bit); nullopt when the entity is no
  // leaf part (a multipart, a message part), which has no encoding of its own.
  virtual std::optional<std::string> encoding() const = 0;
  // A field that is one plain address (plain_mailbox()), when this view
  // reads it without GMime; nullopt: parse the field.
  virtual std::optional<Mailbox> mailbox(const char*) const { return std::nullopt; }
};

// A GMime object's header; `obj` may be null (the default text/plain part).
class GMimeView final : public HeaderView {
 public:
  explicit GMimeView(GMimeObject* obj) : obj_(obj) {}
  std::optional<std::string> raw(const char* name) const override;
  GMimeContentType* content_type() const override;
  GMimeContentDisposition* disposition() const override;
  std::optional<std::string> encoding() const override;

 private:
  GMimeObject* obj_;
};

struct Rendered {
  std::string envelope;  // set for messages only
  std::string body, bodystructure;
};

// "base64", "quoted-printable", ...; empty for the default (7bit).
std::string encoding_name(GMimeObject* part);

class Renderer {
 public:
  // A non-multipart part.
  Rendered leaf(const HeaderView& part, std::string_view body);
  Rendered message_part(GMimeObject* obj, std::string_view body, const Rendered& inner);
  Rendered multipart(GMimeObject* obj, const std::vector<Rendered>& children);
  // Of a message's header.
  std::string envelope(const HeaderView& message);
  // The decoded fields SEARCH compares: from GMime's message, or from the
  // fields of a simple header through the same GMime functions.
  void search_fields(GMimeMessage* msg, Summary& s);
  void search_fields(const SimpleFields& fields, const HeaderView& view, Summary& s);

 private:
  std::string basic_fields(const HeaderView& entity, std::string_view body);
  std::string extension(const HeaderView& entity, bool single);
};

}  // namespace appliance::mime
