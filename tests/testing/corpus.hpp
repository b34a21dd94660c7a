// Tests that compare against the shared real-world corpus (../shared/corpus
// beside the checkout, present in CI, absent on a plain clone) start with
// STACKFIT_REQUIRE_CORPUS(): where the corpus is absent the test is reported
// skipped (GTEST_SKIP; ctest lists it as "Skipped") with one line saying why,
// never failed and never silently passed.
#pragma once

#include <gtest/gtest.h>

#include "testing/temp_dir.hpp"

namespace stackfit::testing {

// True when corpus_path("") is a directory.
[[nodiscard]] bool corpus_present();

}  // namespace stackfit::testing

// A macro, not a function: GTEST_SKIP() returns from the test body (or from
// SetUp(), which skips the test) it is written in.
#define STACKFIT_REQUIRE_CORPUS()                                                                   \
  do {                                                                                              \
    if (!::stackfit::testing::corpus_present()) {                                                   \
      GTEST_SKIP() << "needs the shared corpus at " << ::stackfit::testing::corpus_path("")         \
                   << ", which is absent (a plain clone): skipped";                                 \
    }                                                                                               \
  } while (false)
