list(APPEND STACKFIT_LIB_SOURCES
  src/stackfit/model/quantity.cpp
  src/stackfit/model/names.cpp
  src/stackfit/model/resource_target.cpp
  src/stackfit/model/usage_series.cpp
  src/stackfit/model/cpu_throttling.cpp
)
list(APPEND STACKFIT_TEST_SOURCES
  src/stackfit/model/quantity_test.cpp
  src/stackfit/model/quantity_peers_test.cpp
  src/stackfit/model/cpu_throttling_test.cpp
)
