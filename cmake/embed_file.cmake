# embed_file.cmake -- turn a data file into a C source holding its bytes.
#
# Run as `cmake -DINPUT=file -DOUTPUT=file.c -DSYMBOL=name -P embed_file.cmake`. The
# built-in theater must work from any directory, installed or not, so its GeoJSON is
# compiled into the library instead of being looked up at run time.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
# One line per 32 bytes keeps the generated file readable by compilers and people.
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){32})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUTPUT}"
  "/* Generated from ${INPUT} by cmake/embed_file.cmake; do not edit. */\n"
  "#include <stddef.h>\n"
  "const unsigned char ${SYMBOL}[] = {\n${bytes}0x00};\n"
  "const size_t ${SYMBOL}_size = ${size};\n")
