# Warnings and sanitizer flags come from one INTERFACE target (cf. ccache).
add_library(stackfit_warnings INTERFACE)
target_compile_options(stackfit_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align
  -Wunused -Woverloaded-virtual -Wimplicit-fallthrough)
# CI builds with every warning an error (scripts/build.sh sets it when CI=true;
# .ci/run does): a warning shown in a local build fails the CI one.
option(STACKFIT_WERROR "Treat compiler warnings as errors" OFF)
if(STACKFIT_WERROR)
  target_compile_options(stackfit_warnings INTERFACE -Werror)
endif()
if(STACKFIT_SANITIZE)
  target_compile_options(stackfit_warnings INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(stackfit_warnings INTERFACE -fsanitize=address,undefined)
endif()
