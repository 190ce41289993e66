// NAME
//   render.h - ENVELOPE, BODY and BODYSTRUCTURE in IMAP syntax from GMime objects.
//
// DESCRIPTION
//   Used by summary.cpp while it walks a message; strings go out through
//   proto/imap's quoting, so 8-bit or control bytes become literals and the
//   cached text can be sent as it is in any session.
#pragma once

#include <gmime/gmime.h>

#include <string>
#include <string_view>
#include <vector>

#include "proto/mime/summary.h"

namespace appliance::mime {

struct Rendered {
  std::string envelope;  // set for messages only
  std::string body, bodystructure;
};

// "base64", "quoted-printable", ...; empty for the default (7bit).
std::string encoding_name(GMimeObject* part);

class Renderer {
 public:
  // A non-multipart part; `obj` null: the default text/plain.
  Rendered leaf(GMimeObject* obj, std::string_view body);
  Rendered message_part(GMimeObject* obj, std::string_view body, const Rendered& inner);
  Rendered multipart(GMimeObject* obj, const std::vector<Rendered>& children);
  std::string envelope(GMimeMessage* msg);
  void search_fields(GMimeMessage* msg, Summary& s);

 private:
  std::string basic_fields(GMimeObject* obj, std::string_view body);
  std::string extension(GMimeObject* obj, bool single);
};

}  // namespace appliance::mime
