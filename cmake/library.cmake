# library.cmake -- libadizwatch.so beside the static library, and what `cmake --install`
# puts in place: binary, libraries, headers, adizwatch.pc, man pages, bash completion.
include(GNUInstallDirs)

# The shared library is the static one's objects whole (so nothing is compiled twice and
# the two cannot differ), with the soname carrying the major version.
# (A target needs a source of its own: an empty one.)
file(CONFIGURE OUTPUT ${PROJECT_BINARY_DIR}/generated/shared_library.c
     CONTENT "/* libadizwatch.so: all of it comes from the static library. */\n")
add_library(adizwatch_shared SHARED ${PROJECT_BINARY_DIR}/generated/shared_library.c)
target_link_libraries(adizwatch_shared PRIVATE "$<LINK_LIBRARY:WHOLE_ARCHIVE,adizwatch_core>")
set_target_properties(adizwatch_shared PROPERTIES OUTPUT_NAME adizwatch
  VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR})
if(NOT ADIZWATCH_SANITIZE) # the sanitizers' runtime lives in the program, not the library
  target_link_options(adizwatch_shared PRIVATE -Wl,--no-undefined)
endif()

# adizwatch.pc: the Requires.private are the pkg-config modules the library links to,
# read from its link list once the whole project is configured (so a dependency added
# anywhere is listed), so that `pkg-config --static` works too. The file is written at
# install time, when the prefix (`cmake --install --prefix P`) is known.
function(aw_write_pc_template)
  get_target_property(links adizwatch_core INTERFACE_LINK_LIBRARIES)
  set(requires "")
  foreach(lib IN LISTS links)
    if(lib MATCHES "^PkgConfig::(.+)$")
      list(APPEND requires ${${CMAKE_MATCH_1}_MODULE_NAME})
    endif()
  endforeach()
  list(REMOVE_DUPLICATES requires)
  list(JOIN requires " " AW_PC_REQUIRES)
  set(AW_PC_PREFIX_AT "@AW_PC_PREFIX@") # filled at install time
  configure_file(${PROJECT_SOURCE_DIR}/cmake/adizwatch.pc.in
                 ${PROJECT_BINARY_DIR}/adizwatch.pc.in @ONLY) # all but the prefix
endfunction()
cmake_language(DEFER DIRECTORY ${PROJECT_SOURCE_DIR} CALL aw_write_pc_template)

install(TARGETS adizwatch RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS adizwatch_shared
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} NAMELINK_SKIP COMPONENT runtime)
install(TARGETS adizwatch_shared
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} NAMELINK_ONLY COMPONENT dev)
install(TARGETS adizwatch_core ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
install(DIRECTORY include/adizwatch DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        COMPONENT dev FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/include/adizwatch/version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/adizwatch COMPONENT dev)
install(CODE "set(AW_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  configure_file(${PROJECT_BINARY_DIR}/adizwatch.pc.in
    \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig/adizwatch.pc\" @ONLY)
  message(STATUS \"Installing: \$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig/adizwatch.pc\")"
  COMPONENT dev)

# The man page adizwatch(1) and the bash completion are printed by the command itself
# from its one description of the command line (src/cli/help.c), so they cannot drift
# from --help; the other two pages are written by hand in man/.
set(AW_GENERATED_DOCS ${PROJECT_BINARY_DIR}/man/adizwatch.1
                      ${PROJECT_BINARY_DIR}/completion/adizwatch)
add_custom_command(OUTPUT ${AW_GENERATED_DOCS}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man
          ${PROJECT_BINARY_DIR}/completion
  COMMAND sh -c "\"$1\" help --man > \"$2\" && \"$1\" help --bash-completion > \"$3\""
          sh $<TARGET_FILE:adizwatch> ${AW_GENERATED_DOCS}
  DEPENDS adizwatch VERBATIM COMMENT "Writing adizwatch.1 and the bash completion")
add_custom_target(adizwatch_docs ALL DEPENDS ${AW_GENERATED_DOCS})

install(FILES ${PROJECT_BINARY_DIR}/man/adizwatch.1
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES man/adizwatch-zones.5 DESTINATION ${CMAKE_INSTALL_MANDIR}/man5)
install(FILES man/libadizwatch.3 DESTINATION ${CMAKE_INSTALL_MANDIR}/man3 COMPONENT dev)
install(FILES ${PROJECT_BINARY_DIR}/completion/adizwatch
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES examples/replay_csv.c examples/classify_points.c examples/own_loop.c
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples COMPONENT dev)
