# Install rules: headers, exported targets (respio::respio always, respio::tls in its own file so a
# consumer without OpenSSL can still load the package), a version file and a pkg-config file.
include(CMakePackageConfigHelpers)

set(RESPIO_INSTALL_CMAKEDIR ${CMAKE_INSTALL_DATADIR}/cmake/respio
    CACHE STRING "Where respio's CMake package files are installed (relative to the prefix)")

# Headers only: a stray editor backup or build artefact under include/ must not ship.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
    FILES_MATCHING PATTERN "*.hpp" PATTERN "*.ipp")
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/respio)

install(TARGETS respio EXPORT respio-targets)
install(EXPORT respio-targets NAMESPACE respio:: DESTINATION ${RESPIO_INSTALL_CMAKEDIR})
if(TARGET respio_tls)
    install(TARGETS respio_tls EXPORT respio-tls-targets)
    install(EXPORT respio-tls-targets NAMESPACE respio:: DESTINATION ${RESPIO_INSTALL_CMAKEDIR})
endif()

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/respio-config.cmake.in
    ${PROJECT_BINARY_DIR}/respio-config.cmake INSTALL_DESTINATION ${RESPIO_INSTALL_CMAKEDIR})
# Header-only: the package fits any architecture.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/respio-config-version.cmake
    COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES ${PROJECT_BINARY_DIR}/respio-config.cmake ${PROJECT_BINARY_DIR}/respio-config-version.cmake
    DESTINATION ${RESPIO_INSTALL_CMAKEDIR})

# pkg-config: header-only, so Cflags only; `respio-tls` adds OpenSSL. Installed under share/ because
# nothing in them depends on the architecture. The prefix is found from the .pc file's own place
# (${pcfiledir}), so the installed tree can be moved; the way back up depends on CMAKE_INSTALL_DATADIR.
set(_respio_pc_dir ${CMAKE_INSTALL_DATADIR}/pkgconfig)
if(IS_ABSOLUTE ${_respio_pc_dir})
    set(RESPIO_PC_PREFIX ${CMAKE_INSTALL_PREFIX})
else()
    file(RELATIVE_PATH RESPIO_PC_PREFIX /prefix/${_respio_pc_dir} /prefix) # "../.." for share/pkgconfig
    set(RESPIO_PC_PREFIX "\${pcfiledir}/${RESPIO_PC_PREFIX}")
endif()
if(IS_ABSOLUTE ${CMAKE_INSTALL_INCLUDEDIR})
    set(RESPIO_PC_INCLUDEDIR ${CMAKE_INSTALL_INCLUDEDIR})
else()
    set(RESPIO_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
set(_respio_pcs respio)
if(TARGET respio_tls)
    # respio-tls.pc promises what respio::tls does; without OpenSSL there is no such variant.
    list(APPEND _respio_pcs respio-tls)
endif()
foreach(pc IN LISTS _respio_pcs)
    configure_file(${PROJECT_SOURCE_DIR}/cmake/${pc}.pc.in ${PROJECT_BINARY_DIR}/${pc}.pc @ONLY)
    install(FILES ${PROJECT_BINARY_DIR}/${pc}.pc DESTINATION ${_respio_pc_dir})
endforeach()
