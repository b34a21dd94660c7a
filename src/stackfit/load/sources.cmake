list(APPEND STACKFIT_LIB_SOURCES
  src/stackfit/load/recommend_json_reader.cpp
  src/stackfit/load/usage_csv_reader.cpp
  src/stackfit/load/yaml_node.cpp
  src/stackfit/load/yaml_parser.cpp
)
list(APPEND STACKFIT_TEST_SOURCES
  src/stackfit/load/recommend_json_reader_test.cpp
  src/stackfit/load/usage_csv_reader_test.cpp
  src/stackfit/load/yaml_parser_test.cpp
)
