#include "stackfit/model/quantity.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace stackfit {
namespace {

std::int64_t k8s_bytes(const char* text) {
  auto v = parse_k8s_memory(text);
  EXPECT_TRUE(v.has_value()) << text << ": " << (v ? "" : v.error().message);
  return v ? v->count : -1;
}
std::int64_t k8s_milli(const char* text) {
  auto v = parse_k8s_cpu(text);
  EXPECT_TRUE(v.has_value()) << text << ": " << (v ? "" : v.error().message);
  return v ? v->count : -1;
}
std::int64_t compose_bytes(const char* text) {
  auto v = parse_compose_bytes(text);
  EXPECT_TRUE(v.has_value()) << text << ": " << (v ? "" : v.error().message);
  return v ? v->count : -1;
}

TEST(K8sQuantity, BinarySuffixes) {
  EXPECT_EQ(k8s_bytes("128Mi"), 128 * k_mib);
  EXPECT_EQ(k8s_bytes("1Gi"), k_gib);
  EXPECT_EQ(k8s_bytes("1.5Gi"), 3 * k_gib / 2);
  EXPECT_EQ(k8s_bytes("64Ki"), 64 * 1024);
  EXPECT_EQ(k8s_bytes("2Ti"), 2 * 1024 * k_gib);
  EXPECT_EQ(k8s_bytes("1Ei"), std::int64_t{1} << 60);
}

TEST(K8sQuantity, DecimalSuffixesAndExponents) {
  EXPECT_EQ(k8s_bytes("1k"), 1000);
  EXPECT_EQ(k8s_bytes("128M"), 128'000'000);
  EXPECT_EQ(k8s_bytes("1G"), 1'000'000'000);
  EXPECT_EQ(k8s_bytes("1e3"), 1000);
  EXPECT_EQ(k8s_bytes("1E6"), 1'000'000);
  EXPECT_EQ(k8s_bytes("12e-1"), 2);  // 1.2 rounds up
  EXPECT_EQ(k8s_bytes("129e6"), 129'000'000);
  EXPECT_EQ(k8s_bytes("+5"), 5);
  EXPECT_EQ(k8s_bytes(".5"), 1);
  EXPECT_EQ(k8s_bytes("5."), 5);
  EXPECT_EQ(k8s_bytes("0"), 0);
  EXPECT_EQ(k8s_bytes("-0"), 0);
}

TEST(K8sQuantity, RoundsUpLikeApimachinery) {
  EXPECT_EQ(k8s_bytes("1500m"), 2);   // 1.5 bytes
  EXPECT_EQ(k8s_bytes("0.1"), 1);
  EXPECT_EQ(k8s_bytes("1n"), 1);
  EXPECT_EQ(k8s_milli("0.0001"), 1);  // MilliValue rounds up
  EXPECT_EQ(k8s_milli("1u"), 1);
}

TEST(K8sQuantity, Cpu) {
  EXPECT_EQ(k8s_milli("500m"), 500);
  EXPECT_EQ(k8s_milli("0.5"), 500);
  EXPECT_EQ(k8s_milli("2"), 2000);
  EXPECT_EQ(k8s_milli("1e3"), 1'000'000);
  EXPECT_EQ(k8s_milli("100m"), 100);
  EXPECT_EQ(k8s_milli("1.25"), 1250);
}

TEST(K8sQuantity, InvalidValuesNameTheTextAndReason) {
  EXPECT_EQ(parse_k8s_memory("12Zi").error().message,
            "invalid Kubernetes quantity \"12Zi\": unknown suffix \"Zi\"");
  EXPECT_EQ(parse_k8s_memory("-5Mi").error().message, "invalid Kubernetes quantity \"-5Mi\": negative");
  EXPECT_EQ(parse_k8s_memory("1K").error().message,
            "invalid Kubernetes quantity \"1K\": unknown suffix \"K\"");
  EXPECT_EQ(parse_k8s_memory("abc").error().message, "invalid Kubernetes quantity \"abc\": not a number");
  EXPECT_EQ(parse_k8s_memory("").error().message, "empty Kubernetes quantity");
  EXPECT_EQ(parse_k8s_memory("1 Gi").error().message, "invalid Kubernetes quantity \"1 Gi\": unknown suffix \" Gi\"");
  EXPECT_EQ(parse_k8s_memory(" \t ").error().message, "empty Kubernetes quantity");
  EXPECT_EQ(parse_k8s_memory("1Gi\nx").error().message,
            "invalid Kubernetes quantity \"1Gi…\": unknown suffix \"Gi…\"");
  EXPECT_EQ(parse_k8s_memory("1\x1b[0m").error().message,
            "invalid Kubernetes quantity \"1\\x1b[0m\": unknown suffix \"\\x1b[0m\"");
  EXPECT_FALSE(parse_k8s_memory("1e").has_value());
  EXPECT_FALSE(parse_k8s_memory("1e1234567").has_value());
  EXPECT_FALSE(parse_k8s_memory(".").has_value());
  EXPECT_EQ(k8s_bytes("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(k8s_bytes("1e-999999"), 1);
}

// apimachinery's Quantity.UnmarshalJSON trims spaces around the text.
TEST(K8sQuantity, SpacesAroundAreTrimmed) {
  EXPECT_EQ(k8s_bytes(" 1"), 1);
  EXPECT_EQ(k8s_bytes("512Mi "), 512 * k_mib);
  EXPECT_EQ(k8s_milli("\t250m\r\n"), 250);
}

// apimachinery caps a binary quantity past int64 at the largest int64; the
// decimal forms are capped the same way (it keeps them as inf.Dec, whose
// Value() is then not an int64).
TEST(K8sQuantity, ValuesPastInt64ClampToTheLargest) {
  for (const char* text : {"9Ei", "8Ei", "9223372036854775807Ki", "9223372036854775808", "10E", "1e19", "1e999999"}) {
    EXPECT_EQ(k8s_bytes(text), INT64_MAX) << text;
    EXPECT_EQ(k8s_milli(text), INT64_MAX) << text;
  }
  EXPECT_EQ(k8s_milli("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(k8s_milli("9223372036854775m"), 9223372036854775);
}

// On a command line a size past int64 is a mistake: refused, not capped.
TEST(MemoryArgument, PastInt64IsRefused) {
  EXPECT_EQ(parse_memory_argument("9Ei").error().message, "invalid size \"9Ei\" (examples: 1Gi, 512Mi, 1GiB, 1g)");
  EXPECT_EQ(parse_memory_argument("10E").error().message, "invalid size \"10E\" (examples: 1Gi, 512Mi, 1GiB, 1g)");
}

TEST(ComposeBytes, GoUnitsGrammarBase1024) {
  EXPECT_EQ(compose_bytes("512m"), 512 * k_mib);
  EXPECT_EQ(compose_bytes("1g"), k_gib);
  EXPECT_EQ(compose_bytes("1gb"), k_gib);
  EXPECT_EQ(compose_bytes("1GiB"), k_gib);
  EXPECT_EQ(compose_bytes("1G"), k_gib);
  EXPECT_EQ(compose_bytes("1.5g"), 3 * k_gib / 2);
  EXPECT_EQ(compose_bytes("1.5G"), 3 * k_gib / 2);
  EXPECT_EQ(compose_bytes("300M"), 300 * k_mib);
  EXPECT_EQ(compose_bytes("1024"), 1024);
  EXPECT_EQ(compose_bytes("100b"), 100);
  EXPECT_EQ(compose_bytes("64 k"), 64 * 1024);
  EXPECT_EQ(compose_bytes("1e3"), 1000);
  EXPECT_EQ(compose_bytes("0.5k"), 512);
  EXPECT_EQ(compose_bytes("1.0000001"), 1);  // truncates like int64(float)
}

TEST(ComposeBytes, Invalid) {
  EXPECT_EQ(parse_compose_bytes("abc").error().message, "invalid byte value \"abc\"");
  EXPECT_EQ(parse_compose_bytes("12x").error().message, "invalid byte value \"12x\": unknown unit \"x\"");
  EXPECT_EQ(parse_compose_bytes("1gib2").error().message, "invalid byte value \"1gib2\"");
  EXPECT_EQ(parse_compose_bytes("-5m").error().message, "invalid byte value \"-5m\": negative");
  EXPECT_EQ(parse_compose_bytes("1mbb").error().message, "invalid byte value \"1mbb\": unknown unit \"mbb\"");
  EXPECT_EQ(parse_compose_bytes("1.5.5g").error().message, "invalid byte value \"1.5.5g\"");
  EXPECT_EQ(parse_compose_bytes("99999999999t").error().message, "invalid byte value \"99999999999t\": too large");
  EXPECT_FALSE(parse_compose_bytes("").has_value());
}

TEST(ComposeCpus, Decimal) {
  EXPECT_EQ(parse_compose_cpus("0.5")->count, 500);
  EXPECT_EQ(parse_compose_cpus("2")->count, 2000);
  EXPECT_EQ(parse_compose_cpus("0.25")->count, 250);
  EXPECT_EQ(parse_compose_cpus("1.0005")->count, 1001);
  EXPECT_EQ(parse_compose_cpus("abc").error().message, "invalid cpus value \"abc\"");
  EXPECT_EQ(parse_compose_cpus("-1").error().message, "invalid cpus value \"-1\": negative");
  EXPECT_FALSE(parse_compose_cpus("1m").has_value());
}

TEST(QuantityFormat, EachEcosystemItsOwnWay) {
  EXPECT_EQ(format_k8s_memory(Bytes{256 * k_mib}), "256Mi");
  EXPECT_EQ(format_k8s_memory(Bytes{k_gib}), "1Gi");
  EXPECT_EQ(format_k8s_memory(Bytes{1536 * k_mib}), "1536Mi");
  EXPECT_EQ(format_k8s_memory(Bytes{1000}), "1000");
  EXPECT_EQ(format_k8s_memory(Bytes{0}), "0");
  EXPECT_EQ(format_k8s_cpu(Millicores{250}), "250m");
  EXPECT_EQ(format_k8s_cpu(Millicores{2000}), "2");
  EXPECT_EQ(format_compose_bytes(Bytes{256 * k_mib}), "256m");
  EXPECT_EQ(format_compose_bytes(Bytes{k_gib}), "1g");
  EXPECT_EQ(format_compose_bytes(Bytes{1536 * k_mib}), "1536m");
  EXPECT_EQ(format_compose_cpus(Millicores{500}), "0.5");
  EXPECT_EQ(format_compose_cpus(Millicores{125}), "0.125");
  EXPECT_EQ(format_human_bytes(Bytes{256 * k_mib}), "256 MiB");
  EXPECT_EQ(format_human_bytes(Bytes{3 * k_gib / 2}), "1.5 GiB");
  EXPECT_EQ(format_human_bytes(Bytes{900}), "900 B");
  EXPECT_EQ(format_human_bytes(Bytes{1024}), "1 KiB");
  EXPECT_EQ(format_human_cpu(Millicores{2000}), "2");
  EXPECT_EQ(format_human_cpu(Millicores{1250}), "1.25");
}

TEST(MemoryArgument, AcceptsEachEcosystemsSpelling) {
  EXPECT_EQ(parse_memory_argument("1Gi")->count, k_gib);
  EXPECT_EQ(parse_memory_argument("1GiB")->count, k_gib);
  EXPECT_EQ(parse_memory_argument("512MiB")->count, 512 * k_mib);
  EXPECT_EQ(parse_memory_argument("1G")->count, 1'000'000'000);
  EXPECT_EQ(parse_memory_argument("1g")->count, k_gib);
  EXPECT_EQ(parse_memory_argument("1gb")->count, k_gib);
  // Regression: "512m" was read as the Kubernetes milli suffix (1 byte).
  EXPECT_EQ(parse_memory_argument("512m")->count, 512 * k_mib);
  EXPECT_EQ(parse_memory_argument("lots").error().message,
            "invalid size \"lots\" (examples: 1Gi, 512Mi, 1GiB, 1g)");
  EXPECT_EQ(parse_memory_argument("-1Gi").error().code, ErrorCode::usage);
}

TEST(QuantityArithmetic, SaturatesInsteadOfWrapping) {
  EXPECT_EQ(saturating_mul(Bytes{INT64_MAX / 2}, 3).count, INT64_MAX);
  EXPECT_EQ(saturating_add(Bytes{INT64_MAX}, Bytes{1}).count, INT64_MAX);
  EXPECT_EQ(saturating_mul(Millicores{500}, 3).count, 1500);
}

}  // namespace
}  // namespace stackfit

namespace stackfit {
namespace {

// The examples of docs/quantities.md.
TEST(QuantityRounding, KubernetesFractionsRoundUpAsDocumented) {
  EXPECT_EQ(parse_k8s_memory("0.5")->count, 1);
  EXPECT_EQ(parse_k8s_memory("100.035Ki")->count, 102436);
  EXPECT_EQ(parse_k8s_memory("0.000000000001Ki")->count, 1);
  EXPECT_EQ(parse_k8s_cpu("5n")->count, 1);
  EXPECT_EQ(parse_k8s_cpu("0.0005")->count, 1);
  EXPECT_EQ(parse_k8s_cpu("1.0001")->count, 1001);
  EXPECT_EQ(parse_k8s_cpu("-0")->count, 0);
}

TEST(QuantityRounding, ComposeFractionsTruncateAsDocumented) {
  EXPECT_EQ(parse_compose_bytes("32.3")->count, 32);
  EXPECT_EQ(parse_compose_bytes("0.3MB")->count, 314572);
  EXPECT_EQ(parse_compose_cpus("0.0001")->count, 1);
  EXPECT_EQ(parse_compose_bytes("-2").error().message, "invalid byte value \"-2\": negative");
}

// A saturated count is a bound, not a value: said so, as saturated bytes are.
TEST(FormatCount, ExactUnlessSaturated) {
  EXPECT_EQ(format_count(0), "0");
  EXPECT_EQ(format_count(3), "3");
  EXPECT_EQ(format_count(std::numeric_limits<std::int64_t>::max() - 1), "9223372036854775806");
  EXPECT_EQ(format_count(std::numeric_limits<std::int64_t>::max()), "\u2265 9223372036854775807 (overflow)");
  EXPECT_EQ(format_human_bytes(Bytes{std::numeric_limits<std::int64_t>::max()}), "\u2265 8192 PiB (overflow)");
}

}  // namespace
}  // namespace stackfit
