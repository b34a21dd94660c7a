list(APPEND STACKFIT_LIB_SOURCES
  src/stackfit/load/compose/compose_document.cpp
  src/stackfit/load/compose/compose_env_file.cpp
  src/stackfit/load/compose/compose_extends.cpp
  src/stackfit/load/compose/compose_field_readers.cpp
  src/stackfit/load/compose/compose_include.cpp
  src/stackfit/load/compose/compose_interpolation.cpp
  src/stackfit/load/compose/compose_loader.cpp
  src/stackfit/load/compose/compose_merge.cpp
  src/stackfit/load/compose/compose_project.cpp
  src/stackfit/load/compose/compose_resources_reader.cpp
  src/stackfit/load/compose/compose_service_reader.cpp
)
list(APPEND STACKFIT_TEST_SOURCES
  src/stackfit/load/compose/compose_corpus_test.cpp
  src/stackfit/load/compose/compose_env_file_test.cpp
  src/stackfit/load/compose/compose_field_readers_test.cpp
  src/stackfit/load/compose/compose_interpolation_test.cpp
  src/stackfit/load/compose/compose_peers_test.cpp
  src/stackfit/load/compose/compose_loader_test.cpp
  src/stackfit/load/compose/compose_merge_test.cpp
)
