list(APPEND STACKFIT_LIB_SOURCES
  src/stackfit/serve/http_request.cpp
  src/stackfit/serve/metrics_server.cpp
)
list(APPEND STACKFIT_TEST_SOURCES
  src/stackfit/serve/http_request_test.cpp
  src/stackfit/serve/metrics_server_test.cpp
)
