list(APPEND STACKFIT_LIB_SOURCES
  src/stackfit/store/container_starts.cpp
  src/stackfit/store/lifecycle_counts.cpp
  src/stackfit/store/sample_store.cpp
  src/stackfit/store/series_loader.cpp
  src/stackfit/store/sqlite_statement.cpp
  src/stackfit/store/store_schema.cpp
  src/stackfit/store/usage_stream.cpp
)
list(APPEND STACKFIT_TEST_SOURCES
  src/stackfit/store/container_starts_test.cpp
  src/stackfit/store/lifecycle_counts_test.cpp
  src/stackfit/store/sample_store_test.cpp
  src/stackfit/store/series_loader_test.cpp
  src/stackfit/store/store_schema_test.cpp
  src/stackfit/store/usage_stream_test.cpp
)
