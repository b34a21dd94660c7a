list(APPEND STACKFIT_LIB_SOURCES
  src/stackfit/analyze/finding.cpp
  src/stackfit/analyze/runtime_size_syntax.cpp
  src/stackfit/analyze/runtime_kind.cpp
  src/stackfit/analyze/runtime_hint_detector.cpp
  src/stackfit/analyze/sizing_rules.cpp
  src/stackfit/analyze/stack_verify.cpp
  src/stackfit/analyze/usage_summary.cpp
  src/stackfit/analyze/two_pass_percentile.cpp
  src/stackfit/analyze/workload_usage.cpp
  src/stackfit/analyze/decaying_histogram.cpp
  src/stackfit/analyze/recommendation.cpp
  src/stackfit/analyze/runtime_knobs.cpp
  src/stackfit/analyze/startup_profile.cpp
)
list(APPEND STACKFIT_TEST_SOURCES
  src/stackfit/analyze/runtime_size_syntax_test.cpp
  src/stackfit/analyze/runtime_hint_detector_test.cpp
  src/stackfit/analyze/sizing_rules_test.cpp
  src/stackfit/analyze/stack_verify_test.cpp
  src/stackfit/analyze/usage_summary_test.cpp
  src/stackfit/analyze/two_pass_percentile_test.cpp
  src/stackfit/analyze/decaying_histogram_test.cpp
  src/stackfit/analyze/recommendation_test.cpp
  src/stackfit/analyze/runtime_knobs_test.cpp
  src/stackfit/analyze/startup_profile_test.cpp
)
