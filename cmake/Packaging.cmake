# Installed files and the Debian package (docs/install.md). The man page and
# the completion scripts are written by the binary itself from its command
# table (`stackfit manpage`, `stackfit completion SHELL`), so they list every
# command and flag it parses. Debian wants man pages gzip -9n (no name, no
# time: reproducible).
set(STACKFIT_SHARE_DIR ${PROJECT_BINARY_DIR}/share)
set(STACKFIT_GENERATED
  ${STACKFIT_SHARE_DIR}/stackfit.1 ${STACKFIT_SHARE_DIR}/stackfit.1.gz ${STACKFIT_SHARE_DIR}/stackfit.bash
  ${STACKFIT_SHARE_DIR}/_stackfit ${STACKFIT_SHARE_DIR}/stackfit.fish)
# The plugins' links (below) are made by the same command; they dangle in the
# build folder (relative to the installed binary), so they are not OUTPUTs,
# which ninja would find missing and rebuild every time.
add_custom_command(OUTPUT ${STACKFIT_GENERATED}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${STACKFIT_SHARE_DIR}
  COMMAND sh -c "cd '${STACKFIT_SHARE_DIR}' && '$<TARGET_FILE:stackfit>' manpage >stackfit.1 \
&& gzip -9nc stackfit.1 >stackfit.1.gz \
&& '$<TARGET_FILE:stackfit>' completion bash >stackfit.bash \
&& '$<TARGET_FILE:stackfit>' completion zsh >_stackfit \
&& '$<TARGET_FILE:stackfit>' completion fish >stackfit.fish \
&& ln -sfn ../../../bin/stackfit docker-stackfit && ln -sfn stackfit kubectl-stackfit"
  DEPENDS stackfit VERBATIM)
add_custom_target(stackfit_share ALL DEPENDS ${STACKFIT_GENERATED})

install(TARGETS stackfit RUNTIME DESTINATION bin)
install(FILES ${STACKFIT_SHARE_DIR}/stackfit.1.gz DESTINATION share/man/man1)
install(FILES ${STACKFIT_SHARE_DIR}/stackfit.bash DESTINATION share/bash-completion/completions RENAME stackfit)
# Debian's zsh searches vendor-completions (upstream's site-functions is for
# the local admin, /usr/local/share/zsh/site-functions).
install(FILES ${STACKFIT_SHARE_DIR}/_stackfit DESTINATION share/zsh/vendor-completions)
install(FILES ${STACKFIT_SHARE_DIR}/stackfit.fish DESTINATION share/fish/vendor_completions.d)
install(FILES packaging/copyright DESTINATION share/doc/stackfit)
# The plugins are symbolic links to the binary (cli/cli_plugin): `docker
# stackfit` (Debian's docker.io searches /usr/libexec/docker/cli-plugins) and
# `kubectl stackfit` (kubectl runs kubectl-* found on PATH).
install(FILES ${STACKFIT_SHARE_DIR}/docker-stackfit DESTINATION libexec/docker/cli-plugins)
install(FILES ${STACKFIT_SHARE_DIR}/kubectl-stackfit DESTINATION bin)

# The static build for other distributions (docs/install.md), build/static/
# stackfit: not part of `all` (`ninja -C build stackfit_static`). Every
# library from Debian's own archives (libc.a, libstdc++.a, libfyaml.a,
# libsqlite3.a). The library target is linked by file, not as a target, so
# its interface's shared libraries stay out of the link.
if(NOT STACKFIT_SANITIZE)
  find_library(FYAML_STATIC_LIBRARY libfyaml.a)
  add_executable(stackfit_static EXCLUDE_FROM_ALL src/stackfit/cli/main.cpp)
  add_dependencies(stackfit_static stackfit_lib)
  target_include_directories(stackfit_static PRIVATE src $<TARGET_PROPERTY:stackfit_deps,INTERFACE_INCLUDE_DIRECTORIES>)
  target_link_libraries(stackfit_static PRIVATE stackfit_warnings $<TARGET_FILE:stackfit_lib>
    ${FYAML_STATIC_LIBRARY} ${SQLITE3_STATIC_LIBRARY} m dl pthread)
  target_link_options(stackfit_static PRIVATE -static -s)
  set_target_properties(stackfit_static PROPERTIES OUTPUT_NAME stackfit
    RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/static)
endif()

# `cpack -G DEB` in the build folder: dpkg-shlibdeps computes Depends from
# the binary's NEEDED entries; libcurl and GLPK are dlopen'ed (no NEEDED
# entry), so they are Recommends: without them only the engine/Prometheus
# commands and `plan --node-type` fail, with one line.
set(CPACK_PACKAGE_NAME stackfit)
set(CPACK_PACKAGE_VENDOR "the stackfit authors")
set(CPACK_PACKAGE_CONTACT "stackfit maintainers <stackfit@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "right-size the memory and CPU of Compose and Kubernetes stacks")
set(CPACK_PACKAGE_DESCRIPTION "stackfit reads Docker Compose files and Kubernetes manifests, records
container usage into SQLite, recommends memory and CPU limits and plans
whether a stack fits a machine or cluster.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libcurl4, libglpk40")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "docker.io | podman, kubectl")
set(CPACK_GENERATOR DEB)
include(CPack)
