list(APPEND STACKFIT_LIB_SOURCES
  src/stackfit/plan/builtin_machines.cpp
  src/stackfit/plan/machine_catalog.cpp
  src/stackfit/plan/budget_fit.cpp
  src/stackfit/plan/startup_waves.cpp
  src/stackfit/plan/target_resolution.cpp
  src/stackfit/plan/cluster_plan.cpp
  src/stackfit/plan/container_split.cpp
  src/stackfit/plan/drop_knapsack.cpp
  src/stackfit/plan/fit_plan.cpp
  src/stackfit/plan/glpk_library.cpp
  src/stackfit/plan/kube_reserve.cpp
  src/stackfit/plan/pack_ilp.cpp
  src/stackfit/plan/pod_packing.cpp
  src/stackfit/plan/tighten.cpp
)
list(APPEND STACKFIT_TEST_SOURCES
  src/stackfit/plan/machine_catalog_test.cpp
  src/stackfit/plan/budget_fit_test.cpp
  src/stackfit/plan/startup_waves_test.cpp
  src/stackfit/plan/target_resolution_test.cpp
  src/stackfit/plan/drop_knapsack_test.cpp
  src/stackfit/plan/fit_plan_test.cpp
  src/stackfit/plan/kube_reserve_test.cpp
  src/stackfit/plan/pod_packing_test.cpp
  src/stackfit/plan/container_split_test.cpp
  src/stackfit/plan/cluster_plan_test.cpp
)
