# Install rules: headers, libraries, the CMake package (find_package(patron)),
# patron.pc for the C ABI. The Python package installs from bindings/python.
include(CMakePackageConfigHelpers)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/patron DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.hpp")
install(FILES ${PROJECT_BINARY_DIR}/include/patron/version.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/patron)
install(FILES ${PROJECT_SOURCE_DIR}/capi/include/patron.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

install(TARGETS patron patron_c EXPORT patronTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(PATRON_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/patron)
install(EXPORT patronTargets NAMESPACE patron:: DESTINATION ${PATRON_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/patronConfig.cmake.in
  ${PROJECT_BINARY_DIR}/patronConfig.cmake INSTALL_DESTINATION ${PATRON_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/patronConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/patronConfig.cmake ${PROJECT_BINARY_DIR}/patronConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/FindPhoneNumber.cmake
              ${PROJECT_SOURCE_DIR}/cmake/FindCSV.cmake
        DESTINATION ${PATRON_CMAKE_DIR})
install(FILES ${PROJECT_BINARY_DIR}/patron.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
