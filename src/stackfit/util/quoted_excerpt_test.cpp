#include "stackfit/util/quoted_excerpt.hpp"

#include <gtest/gtest.h>

namespace stackfit {
namespace {

TEST(QuotedExcerpt, ShortOneLineValueIsQuotedWhole) {
  EXPECT_EQ(quoted_excerpt("12x"), "\"12x\"");
  EXPECT_EQ(quoted_excerpt(""), "\"\"");
}

TEST(QuotedExcerpt, KeepsOnlyTheFirstLineWithAnEllipsis) {
  EXPECT_EQ(quoted_excerpt("echo $1\nmake ${A\nmore\n"), "\"echo $1…\"");
  EXPECT_EQ(quoted_excerpt("a\r\nb"), "\"a…\"");
}

TEST(QuotedExcerpt, SkipsBlankLeadingLines) {
  EXPECT_EQ(quoted_excerpt("\n\r\n${A\nb"), "\"${A…\"");
  EXPECT_EQ(quoted_excerpt("\n\n"), "\"\"");
}

TEST(QuotedExcerpt, OneTrailingNewlineIsNotACut) {
  EXPECT_EQ(quoted_excerpt("echo ${A\n"), "\"echo ${A\"");
  EXPECT_EQ(quoted_excerpt("x\r\n"), "\"x\"");
}

TEST(QuotedExcerpt, CutsLongLinesAtACharacterBoundary) {
  std::string line(79, 'a');
  line += "\xC3\xA9";  // é straddles byte 80
  line += std::string(100, 'b');
  EXPECT_EQ(quoted_excerpt(line), "\"" + std::string(79, 'a') + "…\"");
  EXPECT_EQ(quoted_excerpt(std::string(80, 'z')), "\"" + std::string(80, 'z') + "\"");
  EXPECT_EQ(quoted_excerpt(std::string(81, 'z')), "\"" + std::string(80, 'z') + "…\"");
}

TEST(QuotedExcerpt, EscapesControlCharactersQuotesAndBackslashes) {
  EXPECT_EQ(quoted_excerpt(std::string("a\tb\x1b[31m\x7f\0z", 11)), "\"a\\tb\\x1b[31m\\x7f\\x00z\"");
  EXPECT_EQ(quoted_excerpt("say \"hi\" \\o/"), "\"say \\\"hi\\\" \\\\o/\"");
  EXPECT_EQ(one_line_excerpt("say \"hi\"\tnow\nmore"), "say \"hi\"\\tnow…");
}

}  // namespace
}  // namespace stackfit
