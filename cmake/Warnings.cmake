# Compiler warnings, linked privately into each target of this project.
add_library(safetywash_warnings INTERFACE)
target_compile_options(safetywash_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
if(SAFETYWASH_WARNINGS_AS_ERRORS)
    target_compile_options(safetywash_warnings INTERFACE -Werror)
endif()
