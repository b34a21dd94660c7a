// apimachinery's own quantity test cases (tests/fixtures/peers/
// apimachinery_quantity.tsv, docs/peer-tests.md) through stackfit's
// Kubernetes quantity parsers: every mappable case must agree.
#include <gtest/gtest.h>

#include <iostream>
#include <limits>

#include "stackfit/model/quantity.hpp"
#include "testing/peer_table.hpp"

namespace stackfit {
namespace {

constexpr std::int64_t k_max = std::numeric_limits<std::int64_t>::max();
__extension__ typedef __int128 Int128;

// ceil(mantissa * 10^exponent10), capped at the largest int64.
std::int64_t ceil_capped(std::int64_t mantissa, int exponent10) {
  Int128 value = mantissa;
  for (int i = 0; i < exponent10; ++i) {
    value *= 10;
    if (value > k_max) return k_max;
  }
  Int128 divisor = 1;
  for (int i = 0; i < -exponent10; ++i) divisor *= 10;
  Int128 out = (value + divisor - 1) / divisor;
  return out > k_max ? k_max : static_cast<std::int64_t>(out);
}

struct Expected {
  bool error = false;
  std::int64_t bytes = 0;
  std::int64_t millicores = 0;
};

Expected expected_of(const std::string& text) {
  if (text == "error") return {true};
  if (text == "max") return {false, k_max, k_max};
  std::size_t space = text.find(' ');
  std::int64_t mantissa = std::stoll(text.substr(0, space));
  int exponent = std::stoi(text.substr(space + 1));
  return {false, ceil_capped(mantissa, exponent), ceil_capped(mantissa, exponent + 3)};
}

bool agrees(const std::string& input, const Expected& want) {
  auto bytes = parse_k8s_memory(input);
  auto millicores = parse_k8s_cpu(input);
  if (want.error) return !bytes && !millicores;
  return bytes && millicores && bytes->count == want.bytes && millicores->count == want.millicores;
}

TEST(QuantityPeers, ApimachineryCasesAgree) {
  testing::PeerTally tally;
  for (const testing::PeerCase& c : testing::read_peer_table("apimachinery_quantity.tsv")) {
    ASSERT_EQ(c.fields.size(), 3u) << "line " << c.line;
    const std::string& test = c.fields[0];
    const std::string& input = c.fields[1];
    Expected want = expected_of(c.fields[2]);
    ++tally.mapped;
    bool ok = agrees(input, want);
    tally.agreed += ok;
    EXPECT_TRUE(ok) << "line " << c.line << " " << test << " \"" << input << "\"";
    if (test != "quantity_test.go:TestQuantityParse") continue;
    // The peer runs its parse table again with "+" and "-" in front.
    ++tally.mapped;
    bool plus = agrees("+" + input, want);
    tally.agreed += plus;
    EXPECT_TRUE(plus) << "line " << c.line << " \"+" << input << "\"";
    if (want.bytes == 0) {
      ++tally.mapped;
      bool minus_zero = agrees("-" + input, want);
      tally.agreed += minus_zero;
      EXPECT_TRUE(minus_zero) << "line " << c.line << " \"-" << input << "\"";
      continue;
    }
    // Deliberate: a negative amount of memory or CPU is refused (the peer
    // parses it; Kubernetes validation refuses it in requests and limits).
    ++tally.deliberate;
    EXPECT_EQ(parse_k8s_memory("-" + input).error().message,
              "invalid Kubernetes quantity \"-" + input + "\": negative");
  }
  std::cout << "apimachinery quantity_test.go: " << tally.agreed << " of " << tally.mapped
            << " mapped cases agree; " << tally.deliberate << " deliberate differences (negative values)\n";
  EXPECT_EQ(tally.agreed, tally.mapped);
  EXPECT_EQ(tally.mapped, 314);
  EXPECT_EQ(tally.deliberate, 84);
}

}  // namespace
}  // namespace stackfit
