#include "stackfit/util/duration.hpp"

#include <gtest/gtest.h>

namespace stackfit {
namespace {

TEST(Duration, GoStylePlusDays) {
  EXPECT_EQ(*parse_duration_ms("500ms"), 500);
  EXPECT_EQ(*parse_duration_ms("1s"), 1000);
  EXPECT_EQ(*parse_duration_ms("10m"), 600'000);
  EXPECT_EQ(*parse_duration_ms("1h30m"), 5'400'000);
  EXPECT_EQ(*parse_duration_ms("14d"), 14 * 86'400'000LL);
}

TEST(Duration, InvalidIsAUsageErrorNamingTheText) {
  auto r = parse_duration_ms("10");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::usage);
  EXPECT_EQ(r.error().message, "invalid duration \"10\" (examples: 500ms, 1s, 10m, 1h30m, 14d)");
  EXPECT_FALSE(parse_duration_ms(""));
  EXPECT_FALSE(parse_duration_ms("1x"));
  EXPECT_FALSE(parse_duration_ms("-1s"));
  EXPECT_FALSE(parse_duration_ms("9999999999999d"));
}

}  // namespace
}  // namespace stackfit
