// NAME
//   command.h - IMAP commands as types, and the command parser.
//
// DESCRIPTION
//   parse_command() turns one whole command (tag, name, arguments, literals
//   in place, without the final CRLF) into a Tagged<Command>, or into an
//   Error whose message is the text of the BAD response. It is pure and reads
//   only its string_view. Commands with arguments have their own file
//   (select.cpp, list.cpp, append.cpp, search.cpp, fetch.cpp, store.cpp,
//   copy.cpp, auth.cpp, quota.cpp, ...), the names imapd keeps for the code
//   that acts.
//   Mailbox names come out as UTF-8 (mailbox_name.h). Whether a command is
//   allowed in the current state is the session's business.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/result.h"
#include "common/secret.h"
#include "proto/imap/search.h"
#include "proto/imap/syntax.h"

namespace appliance::imap {

struct Capability {};
struct Noop {};
struct Logout {};
struct Starttls {};
struct Authenticate {
  std::string mechanism;               // upper case
  std::optional<std::string> initial;  // SASL-IR, still base64; "=" is empty
};
struct Login {
  std::string user;
  Secret password;
};
struct Enable {
  std::vector<std::string> capabilities;  // upper case
};
struct Id {
  std::vector<std::pair<std::string, std::optional<std::string>>> fields;  // empty: NIL
};
struct Namespace {};
struct Qresync {
  std::uint32_t uidvalidity = 0;
  std::uint64_t modseq = 0;
  std::optional<SequenceSet> known_uids;
  std::optional<std::pair<SequenceSet, SequenceSet>> seq_match;  // sequence numbers, UIDs
};
struct Select {
  std::string mailbox;
  bool read_only = false;  // EXAMINE
  bool condstore = false;
  std::optional<Qresync> qresync;
};
struct Create {
  std::string mailbox;
  std::vector<std::string> use;  // CREATE-SPECIAL-USE (RFC 6154 3)
};
struct Delete {
  std::string mailbox;
};
struct Rename {
  std::string from, to;
};
struct Subscribe {
  std::string mailbox;
  bool subscribe = true;  // false: UNSUBSCRIBE
};
struct List {
  bool lsub = false;
  std::vector<std::string> selection;  // SUBSCRIBED REMOTE RECURSIVEMATCH SPECIAL-USE
  std::string reference;
  std::vector<std::string> patterns;
  std::vector<std::string> returns;       // SUBSCRIBED CHILDREN SPECIAL-USE STATUS
  std::vector<std::string> status_items;  // RETURN (STATUS (...)) (RFC 5819)
  bool extended = false;                  // selection or return options were given
};
struct Status {
  std::string mailbox;
  std::vector<std::string> items;  // MESSAGES UIDNEXT UIDVALIDITY UNSEEN DELETED SIZE ...
};
struct AppendMessage {
  std::vector<std::string> flags;
  std::optional<DateTime> date;
  std::string data;
  bool binary = false;  // literal8 (RFC 3516)
};
struct Append {
  std::string mailbox;
  std::vector<AppendMessage> messages;  // more than one: MULTIAPPEND (RFC 3502)
};
struct Idle {};
struct Close {};
struct Unselect {};
struct Expunge {
  std::optional<SequenceSet> uids;  // UID EXPUNGE (RFC 4315)
};
struct Search {
  bool uid = false;
  std::optional<std::string> charset;
  bool extended = false;             // RETURN given: answer with ESEARCH
  std::vector<std::string> returns;  // MIN MAX ALL COUNT SAVE
  SearchKey key;                     // the criteria, ANDed under one key
};

struct Section {
  std::vector<std::uint32_t> part;  // 1.2.3
  std::string text;                 // "", HEADER, HEADER.FIELDS, HEADER.FIELDS.NOT, TEXT, MIME
  std::vector<std::string> fields;  // upper case, for HEADER.FIELDS[.NOT]
  bool operator==(const Section&) const = default;
};
struct FetchItem {
  enum class Kind {
    flags,
    internaldate,
    rfc822_size,
    envelope,
    body,
    bodystructure,
    uid,
    modseq,
    rfc822,
    rfc822_header,
    rfc822_text,
    body_section,
    binary,
    binary_size
  };
  Kind kind = Kind::flags;
  bool peek = false;  // BODY.PEEK / BINARY.PEEK
  Section section;
  std::optional<std::pair<std::uint32_t, std::uint32_t>> partial;  // origin, length
};
struct Fetch {
  bool uid = false;
  SequenceSet set;
  std::vector<FetchItem> items;
  std::optional<std::uint64_t> changedsince;  // CONDSTORE
  bool vanished = false;                      // QRESYNC, UID FETCH only
};
struct Store {
  enum class Mode { replace, add, remove };
  bool uid = false;
  SequenceSet set;
  std::optional<std::uint64_t> unchangedsince;
  Mode mode = Mode::replace;
  bool silent = false;
  std::vector<std::string> flags;
};
struct Copy {
  bool uid = false;
  bool move = false;  // MOVE (RFC 6851)
  SequenceSet set;
  std::string mailbox;
};
// GETQUOTA, GETQUOTAROOT, SETQUOTA (RFC 9208 4).
struct Quota {
  enum class Kind { get, get_root, set };
  Kind kind = Kind::get;
  std::string name;  // the quota root; GETQUOTAROOT: the mailbox, as UTF-8
  std::vector<std::pair<std::string, std::uint64_t>> limits;  // SETQUOTA: resource (upper case), limit
};

using Command = std::variant<Capability, Noop, Logout, Starttls, Authenticate, Login, Enable, Id,
                             Namespace, Select, Create, Delete, Rename, Subscribe, List, Status,
                             Append, Idle, Close, Unselect, Expunge, Search, Fetch, Store, Copy,
                             Quota>;

struct Tagged {
  std::string tag;
  Command command;
};

struct ParseContext {
  bool utf8 = false;  // UTF8=ACCEPT enabled: names are UTF-8, not modified UTF-7
};

// The error of a command that could not be parsed; `tag` empty if unreadable.
struct ParseError {
  std::string tag;
  std::string text;
};

std::variant<Tagged, ParseError> parse_command(std::string_view text,
                                               const ParseContext& context = {});

// The command name as the client spelt it, upper case ("UID FETCH"), for logs.
std::string command_name(const Command& c);

// Per command; each reads the arguments after the name and its space.
Result<Command> parse_authenticate(Reader& r);
Result<Command> parse_login(Reader& r);
Result<Command> parse_enable(Reader& r);
Result<Command> parse_id(Reader& r);
Result<Command> parse_select(Reader& r, const ParseContext& c, bool read_only);
Result<Command> parse_create(Reader& r, const ParseContext& c);
Result<Command> parse_list(Reader& r, const ParseContext& c, bool lsub);
Result<Command> parse_status(Reader& r, const ParseContext& c);
Result<Command> parse_append(Reader& r, const ParseContext& c);
Result<Command> parse_search(Reader& r, bool uid);
Result<Command> parse_fetch(Reader& r, bool uid);
Result<Command> parse_store(Reader& r, bool uid);
Result<Command> parse_copy(Reader& r, const ParseContext& c, bool uid, bool move);
Result<Command> parse_quota(Reader& r, const ParseContext& c, Quota::Kind kind);

Result<std::vector<std::string>> parse_status_items(Reader& r);

// A mailbox argument (astring), decoded to UTF-8.
Result<std::string> read_mailbox(Reader& r, const ParseContext& c);

}  // namespace appliance::imap
