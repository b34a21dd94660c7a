# What `stackfit --version` says about the build (cli/build_info.cpp): the
# project version, the git commit at configure time ("unknown" outside a git
# checkout: a plain tarball builds the same way) and the build type. Only
# build_info.cpp sees these definitions, so a new commit recompiles that one
# file. The build re-runs this configure step when HEAD or the branch it
# names moves, so the commit stays current in a checkout.
set(STACKFIT_GIT_COMMIT unknown)
find_package(Git QUIET)
if(GIT_FOUND)
  execute_process(COMMAND ${GIT_EXECUTABLE} -C ${PROJECT_SOURCE_DIR} rev-parse --show-toplevel
    OUTPUT_VARIABLE stackfit_git_top OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE stackfit_git_rc)
  # Only this checkout's own repository counts: a tarball unpacked inside
  # some other git work tree is still "unknown".
  if(stackfit_git_rc EQUAL 0 AND stackfit_git_top STREQUAL PROJECT_SOURCE_DIR)
    execute_process(COMMAND ${GIT_EXECUTABLE} -C ${PROJECT_SOURCE_DIR} rev-parse --short=12 HEAD
      OUTPUT_VARIABLE STACKFIT_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    # Re-configure when HEAD moves: HEAD itself, packed refs, and the branch
    # HEAD names (a commit on it changes only that file).
    execute_process(COMMAND ${GIT_EXECUTABLE} -C ${PROJECT_SOURCE_DIR} symbolic-ref -q HEAD
      OUTPUT_VARIABLE head_ref OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    foreach(ref HEAD packed-refs ${head_ref})
      execute_process(COMMAND ${GIT_EXECUTABLE} -C ${PROJECT_SOURCE_DIR} rev-parse --path-format=absolute
        --git-path ${ref} OUTPUT_VARIABLE ref_path OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
      if(EXISTS "${ref_path}")
        set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${ref_path}")
      endif()
    endforeach()
  endif()
  if(NOT STACKFIT_GIT_COMMIT)
    set(STACKFIT_GIT_COMMIT unknown)
  endif()
endif()
set_source_files_properties(src/stackfit/cli/build_info.cpp PROPERTIES COMPILE_DEFINITIONS
  "STACKFIT_GIT_COMMIT=\"${STACKFIT_GIT_COMMIT}\";STACKFIT_BUILD_TYPE=\"${CMAKE_BUILD_TYPE}\"")
