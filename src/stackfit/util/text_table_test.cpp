#include "stackfit/util/text_table.hpp"

#include <gtest/gtest.h>

namespace stackfit {
namespace {

TextTable sample() {
  TextTable t({"SERVICE", "MEMORY"}, {Align::left, Align::right});
  t.add_row({"db", "512 MiB"});
  t.add_row({"a|b", "1 GiB"});
  return t;
}

TEST(TextTable, AlignsColumns) {
  EXPECT_EQ(sample().to_text(),
            "SERVICE   MEMORY\n"
            "----------------\n"
            "db       512 MiB\n"
            "a|b        1 GiB\n");
}

TEST(TextTable, MarkdownEscapesPipes) {
  EXPECT_EQ(sample().to_markdown(),
            "| SERVICE | MEMORY |\n| --- | ---: |\n| db | 512 MiB |\n| a\\|b | 1 GiB |\n");
}

TEST(TextTable, CsvQuotesWhereNeeded) {
  TextTable t({"a", "b"}, {Align::left, Align::left});
  t.add_row({"x,y", "say \"hi\""});
  EXPECT_EQ(t.to_csv(), "a,b\r\n\"x,y\",\"say \"\"hi\"\"\"\r\n");
}

TEST(TextTable, WidthCountsCodePointsNotBytes) { EXPECT_EQ(display_width("µs"), 2u); }

}  // namespace
}  // namespace stackfit
