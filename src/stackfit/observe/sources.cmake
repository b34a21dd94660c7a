list(APPEND STACKFIT_LIB_SOURCES
  src/stackfit/observe/cgroup_file.cpp
  src/stackfit/observe/cgroup_format.cpp
  src/stackfit/observe/cgroup_reader.cpp
  src/stackfit/observe/cgroup_v1_reader.cpp
  src/stackfit/observe/cgroup_v2_reader.cpp
  src/stackfit/observe/curl_library.cpp
  src/stackfit/observe/engine_client.cpp
  src/stackfit/observe/engine_http.cpp
  src/stackfit/observe/engine_json.cpp
  src/stackfit/observe/http_client.cpp
  src/stackfit/observe/prometheus_client.cpp
  src/stackfit/observe/prometheus_fold.cpp
  src/stackfit/observe/prometheus_history.cpp
  src/stackfit/observe/prometheus_json.cpp
)
list(APPEND STACKFIT_TEST_SOURCES
  src/stackfit/observe/engine_client_test.cpp
  src/stackfit/observe/engine_http_test.cpp
  src/stackfit/observe/engine_json_test.cpp
  src/stackfit/observe/cgroup_format_test.cpp
  src/stackfit/observe/cgroup_reader_test.cpp
  src/stackfit/observe/cgroup_v1_live_test.cpp
  src/stackfit/observe/cgroup_v1_reader_test.cpp
  src/stackfit/observe/cgroup_v2_reader_test.cpp
  src/stackfit/observe/prometheus_fold_test.cpp
  src/stackfit/observe/prometheus_json_test.cpp
)
