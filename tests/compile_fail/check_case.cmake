# One compile_fail case: cmake -DCXX=<compiler> -DSOURCE=<case.cpp> -DINCLUDES=<dir|dir|...> -P check_case.cmake
# The case's first line is `// expect: <regex>` (it must fail to compile, with diagnostics matching
# the regex) or `// expect: compiles` (it must compile). The first include directory is respio's;
# the others (Boost) are passed as system directories.
foreach(var CXX SOURCE INCLUDES)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "check_case.cmake: -D${var}=... is required")
    endif()
endforeach()

file(STRINGS "${SOURCE}" first_line LIMIT_COUNT 1)
if(NOT first_line MATCHES "^// expect: (.+)$")
    message(FATAL_ERROR "${SOURCE}: the first line must be `// expect: <regex>` or `// expect: compiles`")
endif()
set(expect "${CMAKE_MATCH_1}")

string(REPLACE "|" ";" dirs "${INCLUDES}")
list(POP_FRONT dirs respio_include)
set(flags -std=c++20 -fsyntax-only -I${respio_include})
foreach(dir IN LISTS dirs)
    # /usr/include is searched anyway; naming it again would reorder the system headers.
    if(dir AND NOT dir STREQUAL "/usr/include")
        list(APPEND flags -isystem ${dir})
    endif()
endforeach()

execute_process(COMMAND ${CXX} ${flags} ${SOURCE}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(diagnostics "${out}${err}")

if(expect STREQUAL "compiles")
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${SOURCE} must compile, but:\n${diagnostics}")
    endif()
    message(STATUS "compiles, as it must")
    return()
endif()

if(rc EQUAL 0)
    message(FATAL_ERROR "${SOURCE} compiled, but it must fail with a diagnostic matching: ${expect}")
endif()
if(NOT diagnostics MATCHES "${expect}")
    # The first lines are the ones that say what went wrong.
    string(SUBSTRING "${diagnostics}" 0 3000 head)
    message(FATAL_ERROR "${SOURCE} failed to compile, but without a diagnostic matching: ${expect}\n${head}")
endif()
message(STATUS "fails to compile with: ${CMAKE_MATCH_0}")
