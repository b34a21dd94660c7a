list(APPEND STACKFIT_LIB_SOURCES
  src/stackfit/record/check_usage.cpp
  src/stackfit/record/history_store.cpp
  src/stackfit/record/kube_node_discovery.cpp
  src/stackfit/record/plan_history.cpp
  src/stackfit/record/recorder.cpp
  src/stackfit/record/recording_summary.cpp
)
list(APPEND STACKFIT_TEST_SOURCES
  src/stackfit/record/kube_node_discovery_test.cpp
  src/stackfit/record/recorder_test.cpp
  src/stackfit/record/recording_summary_test.cpp
)
