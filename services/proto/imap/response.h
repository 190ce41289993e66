// NAME
//   response.h - building IMAP responses that cannot break the protocol.
//
// DESCRIPTION
//   Status responses (tagged or untagged OK/NO/BAD, BYE, PREAUTH) with an
//   optional response code; strings rendered as atom, quoted string or
//   literal, whichever is safe for the bytes; mailbox names in modified UTF-7
//   or UTF-8; FETCH responses from values imapd supplies; SEARCH and ESEARCH
//   results with sequence-set compression. Text that came from elsewhere is
//   made safe on the way out: control bytes become '?', so no response can
//   be split or forged.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/imap/command.h"

namespace appliance::imap {

enum class Cond { ok, no, bad, bye, preauth };

// "tag OK [code] text\r\n"; an empty tag gives an untagged "* ...".
std::string status_response(std::string_view tag, Cond status, std::string_view code,
                            std::string_view text);
std::string_view status_name(Cond s);

// A string as the grammar's `string`: quoted when safe, else a literal.
// `utf8` allows 8-bit text in quoted strings (IMAP4rev2, UTF8=ACCEPT).
std::string quote(std::string_view s, bool utf8 = false);
std::string literal(std::string_view s);                     // always a literal: message data
std::string astring(std::string_view s, bool utf8 = false);  // atom when it can be
std::string nstring(const std::optional<std::string>& s, bool utf8 = false);
std::string mailbox(std::string_view utf8_name, bool utf8);
std::string flag_list(const std::vector<std::string>& flags);
std::string date_time(const DateTime& t);  // quoted, as INTERNALDATE

// Sorted, de-duplicated numbers as a compact set: "1:3,7,9:10".
std::string compress(std::vector<std::uint32_t> numbers);
std::string sequence_set(const SequenceSet& set);

// Response codes (RFC 9051 7.1, RFC 4315, RFC 7162).
namespace code {
std::string uidvalidity(std::uint32_t v);
std::string uidnext(std::uint32_t v);
std::string highestmodseq(std::uint64_t v);
std::string appenduid(std::uint32_t validity, const std::vector<std::uint32_t>& uids);
std::string copyuid(std::uint32_t validity, const std::vector<std::uint32_t>& from,
                    const std::vector<std::uint32_t>& to);
std::string capability(const std::vector<std::string>& caps);
std::string permanentflags(const std::vector<std::string>& flags);
}  // namespace code

// "* 12 FETCH (UID 7 FLAGS (\Seen) ...)": add items in order, then render.
class FetchResponse {
 public:
  explicit FetchResponse(std::uint32_t seq) : seq_(seq) {}
  FetchResponse& number(std::string_view name, std::uint64_t v);
  FetchResponse& flags(const std::vector<std::string>& flags);
  FetchResponse& internaldate(const DateTime& t);
  // BODY[section]<origin>, BINARY[...] and RFC822.*: the data as nstring/literal.
  FetchResponse& data(const FetchItem& item, const std::optional<std::string>& bytes);
  // ENVELOPE, BODYSTRUCTURE: already rendered by imapd from cached structure.
  FetchResponse& raw(std::string_view name, std::string_view rendered);
  std::string render() const;

 private:
  std::uint32_t seq_;
  std::string items_;
};

// The name a FETCH response uses for an item: BODY[1.HEADER]<0>, never .PEEK.
std::string fetch_item_name(const FetchItem& item);

// Mailbox data (RFC 9051 7.3): names encoded for the session (`utf8`).
std::string list_response(const std::vector<std::string>& attributes, char delimiter,
                          std::string_view name, bool utf8, bool lsub = false);
std::string status_data(std::string_view name, bool utf8,
                        const std::vector<std::pair<std::string, std::uint64_t>>& items);
std::string exists(std::uint32_t n);
std::string expunge(std::uint32_t seq);
// "* VANISHED (EARLIER) 41,43:116" (RFC 7162 3.2.10).
std::string vanished(const std::vector<std::uint32_t>& uids, bool earlier);

// `modseq`: a SEARCH with MODSEQ found something; the highest of what it
// found ends the response (RFC 7162 3.1.5).
// RFC 9208 5: "* QUOTAROOT INBOX \"\"" and "* QUOTA \"\" (STORAGE 10 512)".
std::string quotaroot_response(std::string_view mailbox_name, bool utf8,
                               const std::vector<std::string>& roots);
struct QuotaResource {
  std::string name;  // STORAGE (in KiB), MESSAGE, ...
  std::uint64_t usage = 0, limit = 0;
};
std::string quota_response(std::string_view root, const std::vector<QuotaResource>& resources);

std::string search_response(const std::vector<std::uint32_t>& numbers,
                            std::optional<std::uint64_t> modseq = {});
// "* ESEARCH (TAG "a") UID MIN 1 COUNT 3 ALL 1:3" (RFC 4731, RFC 9051 7.3.4).
std::string esearch_response(std::string_view tag, const Search& search,
                             std::vector<std::uint32_t> numbers,
                             std::optional<std::uint64_t> modseq = {});

}  // namespace appliance::imap
