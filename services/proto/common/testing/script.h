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
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace appliance::script {

std::string unescape(std::string_view s);
std::string printable(std::string_view s);
// Splits server output into lines at CRLF (or LF), without the line ends.
std::vector<std::string> lines_of(std::string_view text);

// Drives one dialogue: copies every script line to the transcript; "@config"
// lines (before the first step) make the configuration; the session is built
// at the first step; `step(session, line)` runs a step and `print(out, event)`
// writes each event the session emitted after it.
template <class Session, class ReadConfig, class Step, class Print>
std::string run_steps(std::string_view script, ReadConfig read_config, Step step, Print print) {
  std::ostringstream out;
  std::istringstream lines{std::string(script)};
  auto config = read_config("");
  std::optional<Session> session;
  for (std::string line; std::getline(lines, line);) {
    out << line << "\n";
    if (line.starts_with("@config")) config = read_config(line);
    if (line.empty() || line[0] == '#' || line.starts_with("@config")) continue;
    if (!session) session.emplace(config);
    step(*session, line);
    for (const auto& e : session->take_events()) print(out, e);
  }
  return out.str();
}

// The text of every Send event, in order: what the client would read.
template <class Send, class Event>
std::string sent(const std::vector<Event>& events) {
  std::string out;
  for (const auto& e : events)
    if (auto* s = std::get_if<Send>(&e)) out += s->text;
  return out;
}

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
