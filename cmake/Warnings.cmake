# Compiler warnings, linked privately into each target of this project.
add_library(safetywash_warnings INTERFACE)
target_compile_options(safetywash_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
if(SAFETYWASH_WARNINGS_AS_ERRORS)
    target_compile_options(safetywash_warnings INTERFACE -Werror)
endif()

# AddressSanitizer and UndefinedBehaviorSanitizer for every target that links
# the warnings target; any report stops the program (no recovery).
option(SAFETYWASH_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(SAFETYWASH_SANITIZE)
    target_compile_options(safetywash_warnings INTERFACE
        -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
    target_link_options(safetywash_warnings INTERFACE -fsanitize=address,undefined)
endif()
