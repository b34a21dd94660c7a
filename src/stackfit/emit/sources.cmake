list(APPEND STACKFIT_LIB_SOURCES
  src/stackfit/emit/check_report.cpp
  src/stackfit/emit/compose_override_writer.cpp
  src/stackfit/emit/inspect_report.cpp
  src/stackfit/emit/json_fields.cpp
  src/stackfit/emit/output_format.cpp
  src/stackfit/emit/plan_report.cpp
  src/stackfit/emit/prometheus_metrics.cpp
  src/stackfit/emit/record_report.cpp
  src/stackfit/emit/runtime_knob_rewriter.cpp
  src/stackfit/emit/yaml_out.cpp
)
list(APPEND STACKFIT_TEST_SOURCES
  src/stackfit/emit/check_report_test.cpp
  src/stackfit/emit/compose_override_writer_test.cpp
  src/stackfit/emit/inspect_report_test.cpp
  src/stackfit/emit/plan_report_test.cpp
  src/stackfit/emit/prometheus_metrics_test.cpp
  src/stackfit/emit/runtime_knob_rewriter_test.cpp
  src/stackfit/emit/yaml_out_test.cpp
)
