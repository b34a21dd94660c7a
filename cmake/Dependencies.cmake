# Every dependency is a Debian package; scripts/setup.sh installs them.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBFYAML REQUIRED IMPORTED_TARGET libfyaml)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(tl-expected REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(CURL REQUIRED)
find_package(GTest REQUIRED)

# GLPK (libglpk-dev) has no pkg-config file: find its header and library.
# The library is dlopen-ed by plan/glpk_library.cpp (only `plan` on a
# cluster uses it); the build needs its header and checks it is installed.
find_path(GLPK_INCLUDE_DIR glpk.h REQUIRED)
find_library(GLPK_LIBRARY glpk REQUIRED)

add_library(stackfit_deps INTERFACE)
target_link_libraries(stackfit_deps INTERFACE
  PkgConfig::LIBFYAML nlohmann_json::nlohmann_json CLI11::CLI11
  tl::expected SQLite::SQLite3 ${CMAKE_DL_LIBS})
# libcurl is dlopen-ed by observe/curl_library.cpp (start-up time); only its
# headers are needed at build time.
target_include_directories(stackfit_deps INTERFACE ${CURL_INCLUDE_DIRS} ${GLPK_INCLUDE_DIR})
