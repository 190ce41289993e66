// NAME
//   protocol.cpp - strict layouts of keyd's messages.
#include "keyd/protocol.h"

#include <fmt/format.h>

namespace appliance::keyd {

bool is_admin(ipc::Type type) {
  switch (type) {
    case ipc::Type::key_list:
    case ipc::Type::key_generate:
    case ipc::Type::key_rotate:
    case ipc::Type::key_import:
    case ipc::Type::key_csr:
    case ipc::Type::key_set_certificate:
    case ipc::Type::key_retire:
    case ipc::Type::key_delete: return true;
    default: return false;
  }
}

namespace {

Result<void> read_body(Request& q, ipc::Reader& r) {
  using ipc::Type;
  switch (q.type) {
    case Type::key_sign: {
      q.key = r.str(kMaxName);
      std::uint8_t scheme = r.u8();
      if (!r.failed() && (scheme < 1 || scheme > 5))
        return make_error(fmt::format("unknown signature scheme {}", scheme));
      q.scheme = static_cast<SignScheme>(scheme);
      q.data = r.bytes(kMaxInput);
      return {};
    }
    case Type::key_hmac: q.key = r.str(kMaxName), q.data = r.bytes(kMaxData); return {};
    case Type::key_hmac_verify:
      q.key = r.str(kMaxName), q.data = r.bytes(kMaxData), q.extra = r.bytes(kMaxInput);
      return {};
    case Type::key_seal:
    case Type::key_unseal:
    case Type::key_unwrap:
      q.key = r.str(kMaxName), q.data = r.bytes(kMaxData), q.extra = r.bytes(kMaxInput);
      return {};
    case Type::key_new_data_key: q.key = r.str(kMaxName), q.extra = r.bytes(kMaxInput); return {};
    case Type::key_public:
    case Type::key_retire: q.key = r.str(kMaxName); return {};
    case Type::key_list: return {};
    case Type::key_generate:
    case Type::key_rotate: q.key = r.str(kMaxName), q.extra = r.str(32); return {};
    case Type::key_import: {
      q.key = r.str(kMaxName);
      std::uint8_t format = r.u8();
      if (!r.failed() && (format < 1 || format > 3))
        return make_error(fmt::format("unknown import format {}", format));
      q.format = static_cast<ImportFormat>(format);
      q.data = r.bytes(kMaxImport);
      q.password = Secret(r.bytes(1024));
      return {};
    }
    case Type::key_csr: {
      q.key = r.str(kMaxName);
      q.extra = r.str(253);
      std::uint32_t n = r.u32();
      if (n > 100) return make_error(fmt::format("{} DNS names; at most 100", n));
      for (std::uint32_t i = 0; i < n && !r.failed(); ++i) q.dns_names.push_back(r.str(253));
      return {};
    }
    case Type::key_set_certificate: q.key = r.str(kMaxName), q.data = r.bytes(kMaxImport); return {};
    case Type::key_delete: q.key = r.str(kMaxName), q.force = r.boolean(); return {};
    default:
      return make_error(fmt::format("{} is not a keyd request", ipc::type_name(q.type)));
  }
}

}  // namespace

Result<Request> decode_request(const ipc::Message& message) {
  Request q;
  q.type = message.type;
  ipc::Reader r(message.body);
  if (auto body = read_body(q, r); !body) return body.error();
  if (auto end = r.end(); !end)
    return make_error(fmt::format("{}: {}", ipc::type_name(q.type), end.message()));
  return q;
}

ipc::Writer encode_request(const Request& q) {
  using ipc::Type;
  ipc::Writer w(q.type);
  switch (q.type) {
    case Type::key_sign:
      w.str(q.key).u8(static_cast<std::uint8_t>(q.scheme)).bytes(q.data);
      break;
    case Type::key_hmac:
    case Type::key_set_certificate: w.str(q.key).bytes(q.data); break;
    case Type::key_hmac_verify:
    case Type::key_seal:
    case Type::key_unseal:
    case Type::key_unwrap: w.str(q.key).bytes(q.data).bytes(q.extra); break;
    case Type::key_new_data_key: w.str(q.key).bytes(q.extra); break;
    case Type::key_public:
    case Type::key_retire: w.str(q.key); break;
    case Type::key_generate:
    case Type::key_rotate: w.str(q.key).str(q.extra); break;
    case Type::key_import:
      w.str(q.key).u8(static_cast<std::uint8_t>(q.format)).bytes(q.data)
          .bytes(q.password.reveal());
      break;
    case Type::key_csr:
      w.str(q.key).str(q.extra).u32(static_cast<std::uint32_t>(q.dns_names.size()));
      for (const auto& d : q.dns_names) w.str(d);
      break;
    case Type::key_delete: w.str(q.key).boolean(q.force); break;
    default: break;
  }
  return w;
}

void write_info(ipc::Writer& w, const KeyInfo& i) {
  w.str(i.name).str(i.algorithm).str(i.created).str(i.retired).u64(i.uses).u64(i.last_used)
      .boolean(i.has_certificate);
}

KeyInfo read_info(ipc::Reader& r) {
  KeyInfo i;
  i.name = r.str(kMaxName);
  i.algorithm = r.str(32);
  i.created = r.str(32);
  i.retired = r.str(32);
  i.uses = r.u64();
  i.last_used = r.u64();
  i.has_certificate = r.boolean();
  return i;
}

}  // namespace appliance::keyd
