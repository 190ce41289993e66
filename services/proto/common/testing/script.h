// NAME
//   script.h - helpers for golden dialogue scripts (.in/.ref) of the protocol layers.
//
// DESCRIPTION
//   Byte escapes for script lines: \r \n \t \\ and \xHH. unescape() reads a
//   ">>" step; printable() shows server output with control bytes escaped,
//   so a transcript is plain text whatever the session sent. run_dialogues()
//   runs a folder of golden/*.in scripts for a golden test.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace appliance::script {

std::string unescape(std::string_view s);
std::string printable(std::string_view s);
// Splits server output into lines at CRLF (or LF), without the line ends.
std::vector<std::string> lines_of(std::string_view text);

struct Dialogue {
  std::string name;  // the .in file's name
  std::string expected, got;
};

// Runs every *.in script in `dir`; with `update` rewrites each .ref from what
// ran (review the diff before committing it).
std::vector<Dialogue> run_dialogues(const std::string& dir,
                                    const std::function<std::string(std::string_view)>& run,
                                    bool update);

}  // namespace appliance::script
