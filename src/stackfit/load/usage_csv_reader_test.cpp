#include "stackfit/load/usage_csv_reader.hpp"

#include <gtest/gtest.h>

#include "stackfit/util/file_io.hpp"
#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

Expected<UsageSeriesSet> parse(std::string_view text, std::size_t chunk = 7) {
  UsageCsvParser parser("u.csv");
  // Small chunks: lines cut anywhere must read the same.
  for (std::size_t i = 0; i < text.size(); i += chunk) {
    TRY(parser.feed(text.substr(i, chunk)));
  }
  return parser.finish();
}

std::string error_of(std::string_view text) {
  auto r = parse(text);
  EXPECT_FALSE(r);
  if (r) return "";
  EXPECT_EQ(r.error().code, ErrorCode::bad_input);
  return r.error().message;
}

std::vector<UsagePoint> points(const UsageSeriesSet& set, std::size_t i) {
  std::vector<UsagePoint> out;
  set.copy_points(i, out);
  return out;
}

TEST(UsageCsvReader, ReadsInterleavedSeriesWithLimitsInAnyChunking) {
  const std::string text =
      "\xEF\xBB\xBFseries,timestamp_s,bytes,limit_bytes\r\n"
      "web,100,1000,4096\r\n"
      "db,100.5,2e3,\r\n"
      "\n"
      "web,160,1500.4,8192\r\n"
      "db,161,2500,0\r\n";
  for (std::size_t chunk : {1, 3, 7, 1000}) {
    auto set = parse(text, chunk);
    ASSERT_TRUE(set) << set.error().message;
    ASSERT_EQ(set->size(), 2u);
    EXPECT_EQ(set->id(0), "web");
    EXPECT_EQ(set->id(1), "db");
    EXPECT_EQ(set->total_points(), 4u);
    auto web = points(*set, 0);
    ASSERT_EQ(web.size(), 2u);
    EXPECT_EQ(web[0].t_ns, 100'000'000'000);
    EXPECT_EQ(web[0].usage_bytes, 1000);
    EXPECT_EQ(web[0].limit_bytes, 4096);
    EXPECT_EQ(web[1].usage_bytes, 1500);  // rounded to whole bytes
    EXPECT_EQ(web[1].limit_bytes, 8192);
    auto db = points(*set, 1);
    EXPECT_EQ(db[0].t_ns, 100'500'000'000);
    EXPECT_EQ(db[0].usage_bytes, 2000);
    EXPECT_EQ(db[0].limit_bytes, -1);  // empty: not known
    EXPECT_EQ(db[1].limit_bytes, -1);  // 0: no limit
  }
}

TEST(UsageCsvReader, HeaderWithoutLimitColumn) {
  auto set = parse("series,timestamp_s,bytes\na,1,5\n");
  ASSERT_TRUE(set);
  EXPECT_EQ(points(*set, 0)[0].limit_bytes, -1);
  EXPECT_EQ(error_of("series,timestamp_s,bytes\na,1,5,6\n"), "u.csv:2:7: expected 3 columns, found 4");
}

TEST(UsageCsvReader, BrokenInputIsOneLocatedLine) {
  const std::string h = "series,timestamp_s,bytes,limit_bytes\n";
  EXPECT_EQ(error_of(""), "u.csv:1:1: empty input: expected the header series,timestamp_s,bytes,limit_bytes "
                          "(limit_bytes optional)");
  EXPECT_EQ(error_of("a,1,2\n"), "u.csv:1:1: expected the header series,timestamp_s,bytes,limit_bytes "
                                 "(limit_bytes optional), found \"a,1,2\"");
  EXPECT_EQ(error_of(h + "a,1,2\n"), "u.csv:2:6: expected 4 columns, found 3");
  EXPECT_EQ(error_of(h + "a,1,2,3,4\n"), "u.csv:2:9: expected 4 columns, found 5");
  EXPECT_EQ(error_of(h + "a,1,12MiB,\n"), "u.csv:2:5: bytes: expected a non-negative number, found \"12MiB\"");
  EXPECT_EQ(error_of(h + "a,1,-5,\n"), "u.csv:2:5: bytes: expected a non-negative number, found \"-5\"");
  EXPECT_EQ(error_of(h + "a,1,nan,\n"), "u.csv:2:5: bytes: expected a non-negative number, found \"nan\"");
  EXPECT_EQ(error_of(h + "a,1,1e999,\n"), "u.csv:2:5: bytes: expected a non-negative number, found \"1e999\"");
  EXPECT_EQ(error_of(h + "a,1e11,5,\n"),
            "u.csv:2:3: timestamp_s: expected seconds since the Unix epoch, found \"1e11\"");  // past int64 ns
  EXPECT_EQ(error_of(h + "a,yesterday,5,\n"),
            "u.csv:2:3: timestamp_s: expected seconds since the Unix epoch, found \"yesterday\"");
  EXPECT_EQ(error_of(h + "a,1,5,big\n"),
            "u.csv:2:7: limit_bytes: expected a non-negative number or nothing, found \"big\"");
  EXPECT_EQ(error_of(h + ",1,5,\n"), "u.csv:2:1: series: empty");
  EXPECT_EQ(error_of(h + "\"a,b\",1,5,\n"), "u.csv:2:11: expected 4 columns, found 5");
  EXPECT_EQ(error_of(h + "\"a\",1,5,\n"), "u.csv:2:1: series: quoted fields are not supported, found \"\"a\"\"");
}

TEST(UsageCsvReader, TimestampsMustIncreaseWithinASeries) {
  const std::string h = "series,timestamp_s,bytes,limit_bytes\n";
  EXPECT_EQ(error_of(h + "a,10,1,\nb,5,1,\na,9,1,\n"),
            "u.csv:4:3: timestamp_s 9 is not after the previous row of series \"a\" (line 2)");
  EXPECT_EQ(error_of(h + "a,10,1,\na,10,1,\n"),
            "u.csv:3:3: timestamp_s 10 is not after the previous row of series \"a\" (line 2)");
}

TEST(UsageCsvReader, ControlCharactersAreEscapedAndLongTextCut) {
  const std::string h = "series,timestamp_s,bytes,limit_bytes\n";
  EXPECT_EQ(error_of(h + "a,1,\x01" "2,\n"), "u.csv:2:5: bytes: expected a non-negative number, found \"\\x012\"");
  std::string long_value(100, '9');
  long_value += "x";
  EXPECT_EQ(error_of(h + "a,1," + long_value + ",\n"),
            "u.csv:2:5: bytes: expected a non-negative number, found \"" + std::string(40, '9') + "…\"");
}

TEST(UsageCsvReader, AHugeLineIsRefusedWithoutHoldingIt) {
  UsageCsvParser parser("big.csv", 1024);
  ASSERT_TRUE(parser.feed("series,timestamp_s,bytes\na,1,1\n"));
  std::string chunk(600, 'x');
  ASSERT_TRUE(parser.feed(chunk));
  auto r = parser.feed(chunk);  // 1,200 bytes without a newline
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "big.csv:3:1: line longer than 1024 bytes");
}

TEST(UsageCsvReader, ReadsAFileAndRefusesWhatIsNotOne) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/u.csv";
  ASSERT_TRUE(write_file_atomic(path, "series,timestamp_s,bytes\ns,1,2\ns,2,3\n", Overwrite::no));
  auto set = read_usage_csv(path);
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->total_points(), 2u);
  auto missing = read_usage_csv(dir.path() + "/none.csv");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  auto folder = read_usage_csv(dir.path());
  ASSERT_FALSE(folder);
  EXPECT_EQ(folder.error().message, dir.path() + ": not a regular file");
}

}  // namespace
}  // namespace stackfit
