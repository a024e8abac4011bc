# Install rules: headers, exported targets (respio::respio always, respio::tls in its own file so a
# consumer without OpenSSL can still load the package), a version file and a pkg-config file.
include(CMakePackageConfigHelpers)

set(RESPIO_CMAKE_DIR ${CMAKE_INSTALL_DATADIR}/cmake/respio
    CACHE STRING "Where respio's CMake package files are installed (relative to the prefix)")

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/respio)

install(TARGETS respio EXPORT respio-targets)
install(EXPORT respio-targets NAMESPACE respio:: DESTINATION ${RESPIO_CMAKE_DIR})
if(TARGET respio_tls)
    install(TARGETS respio_tls EXPORT respio-tls-targets)
    install(EXPORT respio-tls-targets NAMESPACE respio:: DESTINATION ${RESPIO_CMAKE_DIR})
endif()

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/respio-config.cmake.in
    ${PROJECT_BINARY_DIR}/respio-config.cmake INSTALL_DESTINATION ${RESPIO_CMAKE_DIR})
# Header-only: the package fits any architecture.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/respio-config-version.cmake
    COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES ${PROJECT_BINARY_DIR}/respio-config.cmake ${PROJECT_BINARY_DIR}/respio-config-version.cmake
    DESTINATION ${RESPIO_CMAKE_DIR})

# pkg-config: header-only, so Cflags only; `respio-tls` adds OpenSSL. Installed under share/ because
# nothing in them depends on the architecture.
foreach(pc respio respio-tls)
    configure_file(${PROJECT_SOURCE_DIR}/cmake/${pc}.pc.in ${PROJECT_BINARY_DIR}/${pc}.pc @ONLY)
    install(FILES ${PROJECT_BINARY_DIR}/${pc}.pc DESTINATION ${CMAKE_INSTALL_DATADIR}/pkgconfig)
endforeach()
