// compose-go's and docker/go-units' own test cases (tests/fixtures/peers/,
// docs/peer-tests.md) through stackfit's Compose loader: every mappable case
// must agree.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include "stackfit/load/compose/compose_interpolation.hpp"
#include "stackfit/load/compose/compose_loader.hpp"
#include "stackfit/util/file_io.hpp"
#include "testing/peer_table.hpp"
#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

using Variables = std::map<std::string, std::string, std::less<>>;

// "A=1,B=" -> {A: "1", B: ""}; "" -> none.
compose::VariableLookup lookup_of(const std::string& list) {
  auto values = std::make_shared<Variables>();
  std::size_t start = 0;
  while (start < list.size()) {
    std::size_t comma = list.find(',', start);
    std::string pair = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    std::size_t eq = pair.find('=');
    (*values)[pair.substr(0, eq)] = pair.substr(eq + 1);
    start = comma == std::string::npos ? list.size() : comma + 1;
  }
  return [values](std::string_view name) -> std::optional<std::string> {
    auto it = values->find(name);
    if (it == values->end()) return std::nullopt;
    return it->second;
  };
}

bool interpolation_agrees(const std::string& variables, const std::string& text, const std::string& want) {
  auto got = compose::substitute_variables(text, lookup_of(variables));
  if (want[0] == '=') return got && *got == want.substr(1);
  if (got) return false;
  if (want == "!invalid") return got.error().message.rfind("invalid interpolation format in ", 0) == 0;
  return got.error().message == want.substr(1);
}

TEST(ComposePeers, InterpolationCasesAgree) {
  testing::PeerTally tally;
  for (const testing::PeerCase& c : testing::read_peer_table("compose_go_interpolation.tsv")) {
    ASSERT_EQ(c.fields.size(), 4u) << "line " << c.line;
    ++tally.mapped;
    bool ok = interpolation_agrees(c.fields[1], c.fields[2], c.fields[3]);
    tally.agreed += ok;
    EXPECT_TRUE(ok) << "line " << c.line << " " << c.fields[0] << " \"" << c.fields[2] << "\"";
  }
  std::cout << "compose-go template_test.go + interpolation_test.go: " << tally.agreed << " of " << tally.mapped
            << " cases agree\n";
  EXPECT_EQ(tally.agreed, tally.mapped);
  EXPECT_EQ(tally.mapped, 112);
}

// The value of `mem_limit: <yaml>` as the loader reads it: bytes, -1 for
// "no amount declared" (compose-go's 0 and -1), or the error.
Expected<std::int64_t> load_mem_limit(const testing::TempDir& dir, const std::string& yaml) {
  std::string file = dir.write("compose.yaml", "services:\n  s:\n    image: x\n    mem_limit: " + yaml + "\n");
  ComposeOptions options;
  options.files = {file};
  auto stack = load_compose(options);
  TRY(stack);
  const auto& limit = stack->services.at(0).resources.memory_limit;
  return limit ? limit->count : -1;
}

TEST(ComposePeers, ByteValueCasesAgree) {
  testing::TempDir dir;
  testing::PeerTally tally;
  for (const testing::PeerCase& c : testing::read_peer_table("compose_bytes.tsv")) {
    ASSERT_EQ(c.fields.size(), 3u) << "line " << c.line;
    const std::string& want = c.fields[2];
    auto got = load_mem_limit(dir, c.fields[1]);
    bool ok = false;
    if (want == "error") {
      ok = !got && got.error().message.find(": services.s.mem_limit: invalid byte value ") != std::string::npos;
    } else {
      std::int64_t bytes = std::stoll(want);
      ok = got && *got == (bytes == 0 ? -1 : bytes);
    }
    ++tally.mapped;
    tally.agreed += ok;
    EXPECT_TRUE(ok) << "line " << c.line << " " << c.fields[0] << " " << c.fields[1] << ": "
                    << (got ? std::to_string(*got) : got.error().message);
  }
  std::cout << "go-units size_test.go + compose-go bytes_test.go: " << tally.agreed << " of " << tally.mapped
            << " cases agree\n";
  EXPECT_EQ(tally.agreed, tally.mapped);
  EXPECT_EQ(tally.mapped, 38);
}

// "# expect: cpu_limit=1500 replicas=3" -> what the service must read as;
// a field not named is not declared (replicas: 1).
std::string describe(const Service& s) {
  std::ostringstream out;
  auto put = [&](const char* key, auto value) {
    if (value) out << " " << key << "=" << value->count;
  };
  put("cpu_limit", s.resources.cpu_limit);
  put("cpu_request", s.resources.cpu_request);
  put("memory_limit", s.resources.memory_limit);
  put("memory_request", s.resources.memory_request);
  if (s.replicas != 1) out << " replicas=" << s.replicas;
  return out.str();
}

TEST(ComposePeers, LoaderCasesAgree) {
  std::vector<std::string> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(testing::source_path("tests/fixtures/peers/compose_go_loader"))) {
    files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  testing::PeerTally tally;
  for (const std::string& file : files) {
    auto text = read_file(file);
    ASSERT_TRUE(text) << text.error().message;
    std::size_t at = text->find("# expect:");
    ASSERT_NE(at, std::string::npos) << file;
    std::string want = text->substr(at + 9, text->find('\n', at) - at - 9);
    ComposeOptions options;
    options.files = {file};
    auto stack = load_compose(options);
    ASSERT_TRUE(stack) << stack.error().message;
    std::string got = describe(stack->services.at(0));
    ++tally.mapped;
    tally.agreed += got == want;
    tally.deliberate += text->find("deliberate") != std::string::npos;
    EXPECT_EQ(got, want) << file;
  }
  std::cout << "compose-go loader/tests: " << tally.agreed << " of " << tally.mapped << " cases agree ("
            << tally.deliberate << " with stackfit's documented rounding)\n";
  EXPECT_EQ(tally.agreed, tally.mapped);
  EXPECT_EQ(tally.mapped, 5);
}

}  // namespace
}  // namespace stackfit
