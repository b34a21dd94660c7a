list(APPEND STACKFIT_LIB_SOURCES
  src/stackfit/load/kube/container_reader.cpp
  src/stackfit/load/kube/kube_loader.cpp
  src/stackfit/load/kube/kube_workload_reader.cpp
  src/stackfit/load/kube/manifest_fields.cpp
  src/stackfit/load/kube/pod_resources.cpp
)
list(APPEND STACKFIT_TEST_SOURCES
  src/stackfit/load/kube/pod_resources_test.cpp
  src/stackfit/load/kube/kube_peers_test.cpp
  src/stackfit/load/kube/kube_loader_test.cpp
  src/stackfit/load/kube/kube_loader_errors_test.cpp
  src/stackfit/load/kube/kube_corpus_test.cpp
  src/stackfit/load/kube/kube_fixtures_test.cpp
)
