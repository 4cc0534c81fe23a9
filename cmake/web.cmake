# web.cmake -- `adizwatch serve`: libmicrohttpd and the web map compiled into the library.
#
# The map must work with no internet and no files beside the binary, and the build must
# need neither npm nor the network: Leaflet comes from Debian's libjs-leaflet, and the
# Natural Earth land that the web map and the report maps draw is built here from Debian's
# r-cran-rnaturalearthdata (tools/land/natural_earth_land.py, with R and python3-shapely).
# The TopoJSON decoding the map needs is the project's own (web/app.js). npm remains only
# for the browser test's driver (tests/cli_web.sh skips without it).
find_package(Threads REQUIRED)
pkg_check_modules(MHD REQUIRED IMPORTED_TARGET libmicrohttpd)

set(WEB_DIR ${PROJECT_SOURCE_DIR}/web)
set(ADIZWATCH_LEAFLET_DIR /usr/share/javascript/leaflet CACHE PATH
    "Where leaflet.js and leaflet.css are (Debian: libjs-leaflet)")
if(NOT EXISTS ${ADIZWATCH_LEAFLET_DIR}/leaflet.js OR NOT EXISTS ${ADIZWATCH_LEAFLET_DIR}/leaflet.css)
  message(FATAL_ERROR "Leaflet not found in ${ADIZWATCH_LEAFLET_DIR}: install Debian's "
    "libjs-leaflet (scripts/setup.sh does), or set ADIZWATCH_LEAFLET_DIR.")
endif()
find_program(RSCRIPT Rscript)
set(PYTHON3 /usr/bin/python3)
execute_process(COMMAND ${PYTHON3} -c "import shapely" RESULT_VARIABLE no_shapely
                OUTPUT_QUIET ERROR_QUIET)
if(RSCRIPT)
  execute_process(COMMAND ${RSCRIPT} -e "stopifnot(nzchar(system.file(package='rnaturalearthdata')), nzchar(system.file(package='sp')))"
                  RESULT_VARIABLE no_ne OUTPUT_QUIET ERROR_QUIET)
endif()
if(NOT RSCRIPT OR no_ne OR no_shapely)
  message(FATAL_ERROR "The maps' land is built from Natural Earth as Debian packages it: "
    "install r-cran-rnaturalearthdata and python3-shapely (scripts/setup.sh does).")
endif()
set(WEB_LAND ${PROJECT_BINARY_DIR}/generated/land-50m.json)
add_custom_command(OUTPUT ${WEB_LAND}
  COMMAND ${PYTHON3} ${PROJECT_SOURCE_DIR}/tools/land/natural_earth_land.py ${WEB_LAND}
  DEPENDS ${PROJECT_SOURCE_DIR}/tools/land/natural_earth_land.py
  COMMENT "Building the land from Natural Earth (r-cran-rnaturalearthdata)")

# symbol -> file
set(WEB_ASSETS
  web_index_html ${WEB_DIR}/index.html
  web_app_js ${WEB_DIR}/app.js
  web_app_css ${WEB_DIR}/app.css
  web_leaflet_js ${ADIZWATCH_LEAFLET_DIR}/leaflet.js
  web_leaflet_css ${ADIZWATCH_LEAFLET_DIR}/leaflet.css
  web_land_json ${WEB_LAND})
set(WEB_SOURCES)
list(LENGTH WEB_ASSETS n)
math(EXPR last "${n} - 1")
foreach(i RANGE 0 ${last} 2)
  math(EXPR j "${i} + 1")
  list(GET WEB_ASSETS ${i} symbol)
  list(GET WEB_ASSETS ${j} input)
  set(output ${PROJECT_BINARY_DIR}/generated/${symbol}.c)
  add_custom_command(OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${input} -DOUTPUT=${output} -DSYMBOL=${symbol}
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_file.cmake
    DEPENDS ${input} ${PROJECT_SOURCE_DIR}/cmake/embed_file.cmake
    COMMENT "Embedding ${input}")
  list(APPEND WEB_SOURCES ${output})
endforeach()
target_sources(adizwatch_core PRIVATE ${WEB_SOURCES})
target_link_libraries(adizwatch_core PUBLIC PkgConfig::MHD Threads::Threads)
