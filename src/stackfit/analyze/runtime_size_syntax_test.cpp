#include "stackfit/analyze/runtime_size_syntax.hpp"

#include <gtest/gtest.h>

namespace stackfit {
namespace {

std::int64_t bytes_or_minus_one(std::optional<Bytes> b) { return b ? b->count : -1; }

TEST(JvmSize, SuffixesAreBase1024AndCaseInsensitive) {
  EXPECT_EQ(bytes_or_minus_one(parse_jvm_size("512m")), 512 * k_mib);
  EXPECT_EQ(bytes_or_minus_one(parse_jvm_size("512M")), 512 * k_mib);
  EXPECT_EQ(bytes_or_minus_one(parse_jvm_size("2g")), 2 * k_gib);
  EXPECT_EQ(bytes_or_minus_one(parse_jvm_size("2G")), 2 * k_gib);
  EXPECT_EQ(bytes_or_minus_one(parse_jvm_size("1024k")), k_mib);
  EXPECT_EQ(bytes_or_minus_one(parse_jvm_size("1t")), 1024 * k_gib);
  EXPECT_EQ(bytes_or_minus_one(parse_jvm_size("1048576")), k_mib);
}

TEST(JvmSize, RefusesWhatHotSpotRefuses) {
  EXPECT_FALSE(parse_jvm_size(""));
  EXPECT_FALSE(parse_jvm_size("12q"));
  EXPECT_FALSE(parse_jvm_size("1.5g"));
  EXPECT_FALSE(parse_jvm_size("512mb"));
  EXPECT_FALSE(parse_jvm_size("m"));
  EXPECT_FALSE(parse_jvm_size("-1m"));
  EXPECT_FALSE(parse_jvm_size("99999999999999999999"));
  EXPECT_FALSE(parse_jvm_size("9000000000000g"));
}

TEST(RedisSize, KiloIsThousandAndKbIs1024) {
  EXPECT_EQ(bytes_or_minus_one(parse_redis_size("1k")), 1000);
  EXPECT_EQ(bytes_or_minus_one(parse_redis_size("1kb")), 1024);
  EXPECT_EQ(bytes_or_minus_one(parse_redis_size("100m")), 100'000'000);
  EXPECT_EQ(bytes_or_minus_one(parse_redis_size("100mb")), 100 * k_mib);
  EXPECT_EQ(bytes_or_minus_one(parse_redis_size("1g")), 1'000'000'000);
  EXPECT_EQ(bytes_or_minus_one(parse_redis_size("1gb")), k_gib);
  EXPECT_EQ(bytes_or_minus_one(parse_redis_size("1GB")), k_gib);
  EXPECT_EQ(bytes_or_minus_one(parse_redis_size("1Gb")), k_gib);
  EXPECT_EQ(bytes_or_minus_one(parse_redis_size("256MB")), 256 * k_mib);
  EXPECT_EQ(bytes_or_minus_one(parse_redis_size("4096")), 4096);
  EXPECT_EQ(bytes_or_minus_one(parse_redis_size("10b")), 10);
  EXPECT_EQ(bytes_or_minus_one(parse_redis_size("0")), 0);
}

TEST(RedisSize, RefusesUnknownUnitsFractionsAndSigns) {
  EXPECT_FALSE(parse_redis_size("1t"));
  EXPECT_FALSE(parse_redis_size("1gib"));
  EXPECT_FALSE(parse_redis_size("1.5gb"));
  EXPECT_FALSE(parse_redis_size("-1"));
  EXPECT_FALSE(parse_redis_size("50%"));
  EXPECT_FALSE(parse_redis_size(""));
}

TEST(PostgresMemory, UnitsAreCaseSensitiveBase1024) {
  EXPECT_EQ(bytes_or_minus_one(parse_postgres_memory("256MB", k_postgres_page_bytes)), 256 * k_mib);
  EXPECT_EQ(bytes_or_minus_one(parse_postgres_memory("1GB", k_postgres_page_bytes)), k_gib);
  EXPECT_EQ(bytes_or_minus_one(parse_postgres_memory("128kB", k_postgres_page_bytes)), 128 * k_kib);
  EXPECT_EQ(bytes_or_minus_one(parse_postgres_memory("1TB", k_postgres_page_bytes)), 1024 * k_gib);
  EXPECT_EQ(bytes_or_minus_one(parse_postgres_memory("256 MB", k_postgres_page_bytes)), 256 * k_mib);
  EXPECT_FALSE(parse_postgres_memory("256mb", k_postgres_page_bytes));
  EXPECT_FALSE(parse_postgres_memory("256Mb", k_postgres_page_bytes));
  EXPECT_FALSE(parse_postgres_memory("1KB", k_postgres_page_bytes));
  EXPECT_FALSE(parse_postgres_memory("lots", k_postgres_page_bytes));
  EXPECT_FALSE(parse_postgres_memory("", k_postgres_page_bytes));
}

TEST(PostgresMemory, BareNumberCountsPagesAndFractionsRoundToPages) {
  EXPECT_EQ(bytes_or_minus_one(parse_postgres_memory("16384", k_postgres_page_bytes)), 128 * k_mib);
  EXPECT_EQ(bytes_or_minus_one(parse_postgres_memory("1.5GB", k_postgres_page_bytes)), 3 * k_gib / 2);
  // 10 kB is 1.25 pages: PostgreSQL rounds to the nearest page.
  EXPECT_EQ(bytes_or_minus_one(parse_postgres_memory("10kB", k_postgres_page_bytes)), 8 * k_kib);
  EXPECT_EQ(bytes_or_minus_one(parse_postgres_memory("14kB", k_postgres_page_bytes)), 16 * k_kib);
}

TEST(Neo4jSize, BinaryUnitsAnyCase) {
  EXPECT_EQ(bytes_or_minus_one(parse_neo4j_size("512m")), 512 * k_mib);
  EXPECT_EQ(bytes_or_minus_one(parse_neo4j_size("1G")), k_gib);
  EXPECT_EQ(bytes_or_minus_one(parse_neo4j_size("2GiB")), 2 * k_gib);
  EXPECT_EQ(bytes_or_minus_one(parse_neo4j_size("64kb")), 64 * k_kib);
  EXPECT_EQ(bytes_or_minus_one(parse_neo4j_size("100")), 100);
  EXPECT_FALSE(parse_neo4j_size("1x"));
  EXPECT_FALSE(parse_neo4j_size("1gibibyte"));
  EXPECT_FALSE(parse_neo4j_size("big"));
}

TEST(SplitWords, ShellLikeQuotingAndEscapes) {
  using V = std::vector<std::string>;
  EXPECT_EQ(split_words("redis-server --save 60 1 --maxmemory 256mb"),
            (V{"redis-server", "--save", "60", "1", "--maxmemory", "256mb"}));
  EXPECT_EQ(split_words("  a   'b c'  \"d \\\"e\\\"\" f\\ g "), (V{"a", "b c", "d \"e\"", "f g"}));
  EXPECT_EQ(split_words("--save ''"), (V{"--save", ""}));
  EXPECT_EQ(split_words(""), V{});
  EXPECT_EQ(split_words("'unterminated quote"), (V{"unterminated quote"}));
}

}  // namespace
}  // namespace stackfit
