# rootsim::warnings: the one place warning flags live (STYLE.md §11).
add_library(rootsim_warnings INTERFACE)
add_library(rootsim::warnings ALIAS rootsim_warnings)
target_compile_options(rootsim_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Woverloaded-virtual -Wold-style-cast -Wcast-qual -Wimplicit-fallthrough
  -Wformat=2
  # GCC 12 reports -Wnull-dereference inside libstdc++ and Boost templates once inlined at -O2/-O3
  # (std::vector copies, program_options' typed_value): false positives, so clang alone checks it.
  $<$<CXX_COMPILER_ID:Clang>:-Wthread-safety -Wnull-dereference>
  # GCC 12 reports impossible sizes for std::string concatenation at -O2/-O3 (GCC bugs 105329,
  # 105651): false positives inside libstdc++, not in our code.
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict -Wno-stringop-overread -Wno-stringop-overflow>)

if(ROOTSIM_SANITIZE)
  add_compile_options(-fsanitize=${ROOTSIM_SANITIZE} -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${ROOTSIM_SANITIZE})
endif()
