# safetywash_embed(OUTPUT NAME FILE [NAME FILE ...])
# Generates OUTPUT, a C++ source that defines safetywash::embedded_file(name),
# returning the bytes of each FILE under NAME. The files are re-embedded when
# they change.
function(safetywash_embed output)
    set(pairs ${ARGN})
    set(files "")
    list(LENGTH pairs count)
    math(EXPR last "${count} - 1")
    foreach(i RANGE 1 ${last} 2)
        list(GET pairs ${i} file)
        list(APPEND files ${file})
    endforeach()
    add_custom_command(
        OUTPUT ${output}
        COMMAND ${CMAKE_COMMAND} -DOUTPUT=${output} "-DPAIRS=${pairs}"
                -P ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/EmbedScript.cmake
        DEPENDS ${files} ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/EmbedScript.cmake
        COMMENT "Embedding data files"
        VERBATIM)
endfunction()
