# rootsim::warnings: the one place warning flags live (STYLE.md §11).
add_library(rootsim_warnings INTERFACE)
add_library(rootsim::warnings ALIAS rootsim_warnings)
target_compile_options(rootsim_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Woverloaded-virtual -Wold-style-cast -Wcast-qual -Wnull-dereference -Wimplicit-fallthrough
  -Wformat=2
  $<$<CXX_COMPILER_ID:Clang>:-Wthread-safety>)

if(ROOTSIM_SANITIZE)
  add_compile_options(-fsanitize=${ROOTSIM_SANITIZE} -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${ROOTSIM_SANITIZE})
endif()
