list(APPEND STACKFIT_LIB_SOURCES
  src/stackfit/plan/builtin_machines.cpp
  src/stackfit/plan/machine_catalog.cpp
  src/stackfit/plan/budget_fit.cpp
  src/stackfit/plan/startup_waves.cpp
)
list(APPEND STACKFIT_TEST_SOURCES
  src/stackfit/plan/machine_catalog_test.cpp
  src/stackfit/plan/budget_fit_test.cpp
  src/stackfit/plan/startup_waves_test.cpp
)
