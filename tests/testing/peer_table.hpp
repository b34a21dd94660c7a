// The peers' own test cases, kept as data in tests/fixtures/peers/*.tsv
// (docs/peer-tests.md): one case a line, tab-separated fields, '#' comments.
#pragma once

#include <string>
#include <vector>

namespace stackfit::testing {

struct PeerCase {
  int line = 0;                     // in the .tsv, for failure messages
  std::vector<std::string> fields;  // as written (no escapes are decoded)
};

// Every case of tests/fixtures/peers/<name>; fails the current test (and
// returns nothing) when the file cannot be read.
[[nodiscard]] std::vector<PeerCase> read_peer_table(const std::string& name);

// Agreement counts, printed once per table so the figures in
// docs/peer-tests.md can be checked.
struct PeerTally {
  int mapped = 0;
  int agreed = 0;
  int deliberate = 0;  // cases where stackfit differs on purpose (listed in docs)
};

}  // namespace stackfit::testing
