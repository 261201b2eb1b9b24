# High, clean warnings for the project's own targets.
add_library(patron_warnings INTERFACE)
target_compile_options(patron_warnings INTERFACE
  $<$<COMPILE_LANG_AND_ID:CXX,GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion
      -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough>
  $<$<COMPILE_LANG_AND_ID:C,GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wstrict-prototypes>)
option(PATRON_WERROR "Treat warnings as errors" OFF)
if(PATRON_WERROR)
  target_compile_options(patron_warnings INTERFACE -Werror)
endif()
