# deliver.cmake -- alerts: rules (libinih), the outbox, and the sinks' client libraries
# (libcurl, found by the top CMakeLists.txt; libmosquitto; libnats), each used in its
# sink's file alone (src/deliver/).
find_package(Threads REQUIRED)
pkg_check_modules(INIH REQUIRED IMPORTED_TARGET inih)
pkg_check_modules(MOSQUITTO REQUIRED IMPORTED_TARGET libmosquitto)
pkg_check_modules(NATS REQUIRED IMPORTED_TARGET libnats)
file(GLOB DELIVER_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/deliver/*.c)
target_sources(adizwatch_core PRIVATE ${DELIVER_SOURCES})
target_link_libraries(adizwatch_core PUBLIC PkgConfig::INIH PkgConfig::CURL
                      PkgConfig::MOSQUITTO PkgConfig::NATS Threads::Threads)
