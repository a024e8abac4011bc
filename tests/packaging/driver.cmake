# Runs one packaging test (cmake -P). Inputs: SETTINGS (written by CMakeLists.txt), CONFIG (the
# build type), MODE (install, check_tree, cmake, pkgconfig), and for MODE=cmake: CONSUMER (a
# directory beside this file) and RUN (OFF for a configure-only consumer). Any failure is fatal.
cmake_minimum_required(VERSION 3.25)
include(${SETTINGS})

# The nested builds use the outer build's generator, compiler, build type and dependencies.
set(common_args -G ${GENERATOR} -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_BUILD_TYPE=${CONFIG}
    # Only the staging prefix may satisfy find_package(respio), never a registry entry.
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
    # Each consumer uses only some of the variables it is given.
    --no-warn-unused-cli)
foreach(pair "CMAKE_MAKE_PROGRAM;MAKE_PROGRAM" "Boost_DIR;BOOST_DIR" "OPENSSL_ROOT_DIR;OPENSSL_ROOT")
    list(GET pair 0 var)
    list(GET pair 1 setting)
    if(${setting})
        list(APPEND common_args -D${var}=${${setting}})
    endif()
endforeach()
if(GENERATOR_PLATFORM)
    list(APPEND common_args -A ${GENERATOR_PLATFORM})
endif()
if(GENERATOR_TOOLSET)
    list(APPEND common_args -T ${GENERATOR_TOOLSET})
endif()
set(build_args)
if(CONFIG)
    set(build_args --config ${CONFIG})
endif()

function(run)
    execute_process(COMMAND ${ARGN} COMMAND_ECHO STDOUT COMMAND_ERROR_IS_FATAL ANY)
endfunction()

function(fail)
    string(JOIN "" text ${ARGN})
    message(FATAL_ERROR "${text}")
endfunction()

# Configures, builds and installs the source tree into STAGE, fresh each time so that a header
# removed from the tree cannot linger in the stage.
function(install_stage)
    set(build ${WORK}/respio-build)
    file(REMOVE_RECURSE ${build} ${STAGE})
    run(${CMAKE_COMMAND} -S ${RESPIO_SOURCE_DIR} -B ${build} ${common_args} -DCMAKE_INSTALL_PREFIX=${STAGE}
        -DRESPIO_BUILD_TESTS=OFF -DRESPIO_BUILD_EXAMPLES=OFF -DRESPIO_BUILD_BENCHMARKS=OFF)
    run(${CMAKE_COMMAND} --build ${build} ${build_args})
    run(${CMAKE_COMMAND} --install ${build} ${build_args})
endfunction()

# What a packager or a user would look at in the installed tree.
function(check_tree)
    set(cmake_dir ${STAGE}/share/cmake/respio)
    set(expected ${cmake_dir}/respio-config.cmake ${cmake_dir}/respio-config-version.cmake
        ${cmake_dir}/respio-targets.cmake ${STAGE}/share/pkgconfig/respio.pc ${STAGE}/share/doc/respio/LICENSE)
    if(RESPIO_HAVE_TLS)
        list(APPEND expected ${cmake_dir}/respio-tls-targets.cmake ${STAGE}/share/pkgconfig/respio-tls.pc)
    endif()

    # Every header of the tree (include/respio.hpp and include/respio/**), and nothing but headers.
    file(GLOB_RECURSE source_headers RELATIVE ${RESPIO_SOURCE_DIR}/include
        ${RESPIO_SOURCE_DIR}/include/*.hpp ${RESPIO_SOURCE_DIR}/include/respio/*.ipp)
    list(TRANSFORM source_headers PREPEND ${STAGE}/include/)
    list(APPEND expected ${source_headers})
    foreach(file IN LISTS expected)
        if(NOT EXISTS ${file})
            list(APPEND problems "missing: ${file}")
        endif()
    endforeach()
    file(GLOB_RECURSE installed_includes ${STAGE}/include/*)
    foreach(file IN LISTS installed_includes)
        if(NOT file IN_LIST source_headers)
            list(APPEND problems "not a header of the source tree: ${file}")
        endif()
    endforeach()
    if(EXISTS ${STAGE}/share/doc/respio/LICENSE)
        file(SHA256 ${STAGE}/share/doc/respio/LICENSE installed_license)
        file(SHA256 ${RESPIO_SOURCE_DIR}/LICENSE source_license)
        if(NOT installed_license STREQUAL source_license)
            list(APPEND problems "share/doc/respio/LICENSE differs from the source tree's LICENSE")
        endif()
    endif()

    # The installed package must stay valid once the prefix is moved or packaged: no path of the
    # machine that built it. (The stage is inside the build dir, itself often inside the source dir.)
    file(GLOB_RECURSE package_files ${STAGE}/*.cmake ${STAGE}/*.pc)
    foreach(file IN LISTS package_files)
        file(STRINGS ${file} lines)
        foreach(path IN ITEMS ${STAGE} ${WORK} ${RESPIO_BINARY_DIR} ${RESPIO_SOURCE_DIR})
            foreach(line IN LISTS lines)
                string(FIND "${line}" "${path}" at)
                if(at GREATER_EQUAL 0)
                    list(APPEND problems "absolute path ${path} in ${file}: ${line}")
                endif()
            endforeach()
        endforeach()
    endforeach()

    # Header-only: the version file must accept a 32-bit consumer as well as a 64-bit one
    # (ARCH_INDEPENDENT), and accept the installed version itself.
    string(REPLACE "." ";" parts ${RESPIO_VERSION})
    list(GET parts 0 PACKAGE_FIND_VERSION_MAJOR)
    list(GET parts 1 PACKAGE_FIND_VERSION_MINOR)
    list(GET parts 2 PACKAGE_FIND_VERSION_PATCH)
    set(PACKAGE_FIND_VERSION ${RESPIO_VERSION})
    set(PACKAGE_FIND_VERSION_COUNT 3)
    foreach(CMAKE_SIZEOF_VOID_P 4 8)
        unset(PACKAGE_VERSION_COMPATIBLE)
        unset(PACKAGE_VERSION_UNSUITABLE)
        include(${cmake_dir}/respio-config-version.cmake OPTIONAL)
        if(NOT PACKAGE_VERSION_COMPATIBLE OR PACKAGE_VERSION_UNSUITABLE)
            math(EXPR bits "${CMAKE_SIZEOF_VOID_P} * 8")
            list(APPEND problems "respio-config-version.cmake rejects version ${RESPIO_VERSION} for a ${bits}-bit consumer")
        endif()
    endforeach()

    if(problems)
        list(JOIN problems "\n  " text)
        fail("installed tree in ${STAGE}:\n  ${text}")
    endif()
    message(STATUS "installed tree in ${STAGE}: ok")
endfunction()

# The consumer executable of a build dir, wherever the generator put it.
function(run_consumer build)
    foreach(candidate ${build}/consumer ${build}/${CONFIG}/consumer)
        if(EXISTS ${candidate} AND NOT IS_DIRECTORY ${candidate})
            run(${candidate})
            return()
        endif()
    endforeach()
    fail("no consumer executable in ${build}")
endfunction()

# A consumer project beside this file: configure (fresh: no cached result of an earlier run may
# stand in for what the package provides now), build, run.
function(cmake_consumer)
    set(build ${WORK}/${CONSUMER})
    file(REMOVE_RECURSE ${build})
    list(PREPEND PREFIX_PATH ${STAGE})
    run(${CMAKE_COMMAND} -S ${PACKAGING_DIR}/${CONSUMER} -B ${build} ${common_args}
        "-DCMAKE_PREFIX_PATH=${PREFIX_PATH}" -DRESPIO_STAGE=${STAGE} -DRESPIO_SOURCE_DIR=${RESPIO_SOURCE_DIR}
        -DRESPIO_EXPECTED_VERSION=${RESPIO_VERSION})
    run(${CMAKE_COMMAND} --build ${build} ${build_args})
    if(NOT DEFINED RUN OR RUN)
        run_consumer(${build})
    endif()
endfunction()

# pkg-config as its users call it: `c++ $(pkg-config --cflags respio) main.cpp $(pkg-config --libs
# respio)`, with the staged .pc files first on the search path.
function(pkgconfig_consumer)
    if(NOT PKG_CONFIG)
        fail("pkg-config was not found when the tests were configured")
    endif()
    set(build ${WORK}/pkgconfig)
    file(REMOVE_RECURSE ${build})
    file(MAKE_DIRECTORY ${build})
    set(ENV{PKG_CONFIG_PATH} ${STAGE}/share/pkgconfig)
    set(boost_flags)
    foreach(dir IN LISTS BOOST_EXTRA_INCLUDES)
        list(APPEND boost_flags -isystem ${dir})
    endforeach()

    set(packages respio)
    if(RESPIO_HAVE_TLS)
        list(APPEND packages respio-tls)
    endif()
    foreach(package IN LISTS packages)
        foreach(query modversion cflags libs includedir)
            set(option --${query})
            if(query STREQUAL "includedir")
                set(option --variable=includedir)
            endif()
            execute_process(COMMAND ${PKG_CONFIG} ${option} ${package} OUTPUT_VARIABLE ${query}
                OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
        endforeach()
        if(NOT modversion STREQUAL RESPIO_VERSION)
            fail("pkg-config --modversion ${package} says ${modversion}, the tree is ${RESPIO_VERSION}")
        endif()
        # ${pcfiledir} must lead back to the staged headers.
        if(NOT EXISTS ${includedir}/respio/version.hpp)
            fail("${package}.pc: includedir ${includedir} holds no respio/version.hpp")
        endif()
        separate_arguments(cflags UNIX_COMMAND "${cflags}")
        separate_arguments(libs UNIX_COMMAND "${libs}")
        set(tls 0)
        if(package STREQUAL "respio-tls")
            set(tls 1)
        endif()
        run(${CXX_COMPILER} ${cflags} ${boost_flags} -DRESPIO_CONSUMER_TLS=${tls} ${PACKAGING_DIR}/consumer.cpp
            -o ${build}/${package} ${libs})
        run(${build}/${package})
    endforeach()
endfunction()

if(MODE STREQUAL "install")
    install_stage()
elseif(MODE STREQUAL "check_tree")
    check_tree()
elseif(MODE STREQUAL "cmake")
    cmake_consumer()
elseif(MODE STREQUAL "pkgconfig")
    pkgconfig_consumer()
else()
    fail("driver.cmake: unknown MODE '${MODE}'")
endif()
