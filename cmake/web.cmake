# web.cmake -- `adizwatch serve`: libmicrohttpd and the web map compiled into the binary.
#
# The map must work with no internet and no files beside the binary, so its pages and
# the npm packages it uses (Leaflet, topojson-client, Natural Earth land from
# world-atlas) are embedded the way the theater's zones are. The npm packages come from
# web/package-lock.json: scripts/setup.sh runs `npm ci --prefix web` before building.
find_package(Threads REQUIRED)
pkg_check_modules(MHD REQUIRED IMPORTED_TARGET libmicrohttpd)

set(WEB_DIR ${PROJECT_SOURCE_DIR}/web)
set(WEB_MODULES ${WEB_DIR}/node_modules)
if(NOT EXISTS ${WEB_MODULES}/leaflet/dist/leaflet.js OR
   NOT EXISTS ${WEB_MODULES}/topojson-client/dist/topojson-client.min.js OR
   NOT EXISTS ${WEB_MODULES}/world-atlas/land-50m.json)
  message(FATAL_ERROR "web/node_modules is missing or incomplete: the web map embeds Leaflet "
    "and Natural Earth from npm. Run `npm ci --prefix web` (scripts/setup.sh does it), then "
    "configure again.")
endif()

# symbol -> file
set(WEB_ASSETS
  web_index_html ${WEB_DIR}/index.html
  web_app_js ${WEB_DIR}/app.js
  web_app_css ${WEB_DIR}/app.css
  web_leaflet_js ${WEB_MODULES}/leaflet/dist/leaflet.js
  web_leaflet_css ${WEB_MODULES}/leaflet/dist/leaflet.css
  web_topojson_js ${WEB_MODULES}/topojson-client/dist/topojson-client.min.js
  web_land_json ${WEB_MODULES}/world-atlas/land-50m.json)
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
