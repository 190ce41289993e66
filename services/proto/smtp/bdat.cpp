// NAME
//   bdat.cpp - BDAT chunk-size [LAST] (RFC 3030) and the chunk accounting.
#include "proto/smtp/body.h"
#include "proto/smtp/command.h"
#include "proto/smtp/syntax.h"

namespace appliance::smtp {

Parsed<Command> parse_bdat(std::string_view args) {
  auto syntax = [] { return make_reply(501, "5.5.4", "Syntax: BDAT size [LAST]"); };
  if (args.size() < 2 || args[0] != ' ') return syntax();
  args.remove_prefix(1);
  std::size_t space = args.find(' ');
  auto size = parse_decimal(args.substr(0, space));
  if (!size) return syntax();
  Bdat bdat{*size, false};
  if (space != std::string_view::npos) {
    if (!iequals(args.substr(space + 1), "LAST")) return syntax();
    bdat.last = true;
  }
  return Command(bdat);
}

void ChunkReader::begin_chunk(std::uint64_t size, bool last) {
  remaining_ = chunk_size_ = size;
  last_ = last;
  if (last && size == 0 && !limits_.binary) note(lines_.finish());
}

std::size_t ChunkReader::feed(std::string_view in) {
  std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(in.size(), remaining_));
  std::string_view piece = in.substr(0, n);
  if (!limits_.binary) {
    for (std::size_t i = 0; i < piece.size();) {
      std::size_t text = lines_.take_text(piece.substr(i));
      i += text;
      if (text == 0) note(lines_.take(piece[i++]));
    }
  }
  remaining_ -= n;
  emit(piece);
  if (remaining_ == 0 && last_ && !limits_.binary) note(lines_.finish());
  return n;
}

}  // namespace appliance::smtp
