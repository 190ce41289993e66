// NAME
//   golden_test.cpp - imapd's golden dialogues: every golden/*.in script, run
//   through whole conversations against a real SQLite store, must print its
//   golden/*.ref.
//
// DESCRIPTION
//   Unlike proto/imap's scripts, nothing here is scripted on the server's
//   side: the answers come from imapd's commands and the store. A script has
//   one step per line:
//     # text       a comment, copied
//     @connect     a new client (alice) connects; later steps are its own
//     @client n    later steps are the n-th client's (from 1)
//     @quota n     the administrator sets alice's quota to n bytes
//     > text       the client sends text and CRLF (">" alone: CRLF)
//     >> text      the client sends text as is; \r \n \t \\ \xHH escapes
//   Under each step the transcript has what the client read, as "S: " lines.
//   UIDVALIDITY values, which come from the clock, are printed as
//   <uidvalidity>. Each script starts with a fresh store holding alice and
//   her INBOX. After a deliberate change of behaviour, IMAPD_GOLDEN_UPDATE=1
//   rewrites the .ref files; review the diff before committing it.
#include <charconv>
#include <cstdlib>
#include <sstream>

#include "imapd/testing/dialogue.h"
#include "proto/common/testing/script.h"

namespace appliance::imapd {
namespace {

class GoldenTest : public testing::ImapdTest {
 protected:
  std::string run(std::string_view script) {
    fresh();
    std::ostringstream out;
    std::istringstream lines{std::string(script)};
    testing::Client* current = nullptr;
    for (std::string line; std::getline(lines, line);) {
      out << line << "\n";
      std::string said;
      if (line == "@connect") {
        current = &connect();
        said = std::exchange(current->out, {});
      } else if (line.starts_with("@client ")) {
        current = clients_.at(number(line.substr(8)) - 1).get();
      } else if (line.starts_with("@quota ")) {
        EXPECT_TRUE(t_->set_quota(alice_.id, number(line.substr(7))).ok());
      } else if (line.starts_with(">> ") && current) {
        said = say(*current, script::unescape(line.substr(3)));
      } else if ((line == ">" || line.starts_with("> ")) && current) {
        said = say(*current, line.substr(std::min<std::size_t>(2, line.size())) + "\r\n");
      } else if (!line.empty() && line[0] != '#') {
        ADD_FAILURE() << "not a step (or no client yet): " << line;
      }
      for (const auto& l : script::lines_of(without_uidvalidity(said))) out << "S: " << l << "\n";
    }
    return out.str();
  }

 private:
  // A store of its own for each script.
  void fresh() {
    clients_.clear();
    tasks_.clear();
    TearDown();
    SetUp();
  }
  static std::uint64_t number(std::string_view s) {
    std::uint64_t n = 0;
    std::from_chars(s.data(), s.data() + s.size(), n);
    return n;
  }
  std::string without_uidvalidity(std::string text) {
    auto boxes = t_->mailboxes(alice_.id);
    for (const auto& m : *boxes) {
      std::string v = std::to_string(m.uidvalidity);
      for (auto at = text.find(v); at != std::string::npos; at = text.find(v, at))
        text.replace(at, v.size(), "<uidvalidity>");
    }
    return text;
  }
};

TEST_F(GoldenTest, DialoguesMatchTheirTranscripts) {
  auto dialogues = script::run_dialogues(
      IMAPD_GOLDEN_DIR, [&](std::string_view s) { return run(s); },
      std::getenv("IMAPD_GOLDEN_UPDATE") != nullptr);
  for (const auto& d : dialogues) EXPECT_EQ(d.got, d.expected) << "dialogue " << d.name;
  EXPECT_GE(dialogues.size(), 1u);
}

}  // namespace
}  // namespace appliance::imapd
