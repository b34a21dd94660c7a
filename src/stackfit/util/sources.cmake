list(APPEND STACKFIT_LIB_SOURCES
  src/stackfit/util/clock.cpp
  src/stackfit/util/duration.cpp
  src/stackfit/util/environment.cpp
  src/stackfit/util/error.cpp
  src/stackfit/util/file_io.cpp
  src/stackfit/util/source_location.cpp
  src/stackfit/util/quoted_excerpt.cpp
  src/stackfit/util/text_table.cpp
)
list(APPEND STACKFIT_TEST_SOURCES
  src/stackfit/util/text_table_test.cpp
  src/stackfit/util/duration_test.cpp
  src/stackfit/util/clock_test.cpp
  src/stackfit/util/file_io_test.cpp
  src/stackfit/util/quoted_excerpt_test.cpp
)
