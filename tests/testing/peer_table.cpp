#include "testing/peer_table.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "testing/temp_dir.hpp"

namespace stackfit::testing {

std::vector<PeerCase> read_peer_table(const std::string& name) {
  std::vector<PeerCase> cases;
  std::ifstream in(source_path("tests/fixtures/peers/" + name));
  if (!in) {
    ADD_FAILURE() << "cannot read tests/fixtures/peers/" << name;
    return cases;
  }
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    PeerCase c{number, {}};
    std::size_t start = 0;
    for (std::size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1) {
      c.fields.push_back(line.substr(start, tab - start));
    }
    c.fields.push_back(line.substr(start));
    cases.push_back(std::move(c));
  }
  return cases;
}

}  // namespace stackfit::testing
