# Host build: the monitor's logic against the host arch fake, unit tests
# under CTest, and the firmware as an external project.
include(ExternalProject)
enable_testing()

set(SECMON_SANITIZE ON CACHE BOOL "Build host tests with ASan and UBSan")
# The host tests hold the cpu-node cap at 8 so that a 9-hart tree tests
# the skip rule; hartids themselves are not bounded by it.
set(HOST_FLAGS -Wall -Wextra -Wno-unused-parameter -g -O1
  -DSECMON_HART_CAP=8)
if(SECMON_SANITIZE)
  list(APPEND HOST_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer
    -fno-sanitize-recover=all)
  set(HOST_LINK -fsanitize=address,undefined)
endif()

add_library(libfdt_host STATIC ${LIBFDT_SOURCES})
target_include_directories(libfdt_host PUBLIC ${SECMON_LIBFDT_DIR})
target_compile_options(libfdt_host PRIVATE -g -O1)

add_library(monitor_host STATIC ${MONITOR_LOGIC_SOURCES}
  monitor/arch/host/arch_host.c)
target_include_directories(monitor_host PUBLIC ${MONITOR_INCLUDE_DIRS}
  monitor/arch/host)
target_compile_options(monitor_host PUBLIC ${HOST_FLAGS})
# lock.h lives with the firmware's libc stand-ins; -iquote finds it for
# #include "lock.h" without letting monitor/lib/include/string.h shadow the
# host's <string.h>. Public: the unit tests read ptm_internal.h, which
# needs it too.
target_compile_options(monitor_host PUBLIC
  -iquote ${CMAKE_SOURCE_DIR}/monitor/lib/include)
target_link_options(monitor_host PUBLIC ${HOST_LINK})
target_link_libraries(monitor_host PUBLIC libfdt_host)

add_subdirectory(test/unit)

ExternalProject_Add(firmware
  SOURCE_DIR ${CMAKE_SOURCE_DIR}
  BINARY_DIR ${CMAKE_BINARY_DIR}/firmware
  CMAKE_ARGS
    -DCMAKE_TOOLCHAIN_FILE=${CMAKE_SOURCE_DIR}/cmake/riscv64-elf.cmake
    -DCMAKE_BUILD_TYPE=
    -DSECMON_LIBFDT_DIR=${SECMON_LIBFDT_DIR}
    -DSECMON_HART_CAP=${SECMON_HART_CAP}
  BUILD_ALWAYS ON
  INSTALL_COMMAND ${CMAKE_COMMAND} -E copy
    ${CMAKE_BINARY_DIR}/firmware/monitor.elf
    ${CMAKE_BINARY_DIR}/firmware/monitor.bin
    ${CMAKE_BINARY_DIR}/firmware/monitor.map
    ${CMAKE_BINARY_DIR}/firmware/monitor-profile.elf
    ${CMAKE_BINARY_DIR}/firmware/monitor-profile.bin
    ${CMAKE_BINARY_DIR}/firmware/payload.elf
    ${CMAKE_BINARY_DIR}/)

# The page-table fuzzer (test/fuzz) needs clang's libFuzzer, so it is a
# separate build with clang, whatever compiles the rest. CTest runs it for
# a bounded, seeded time; test/fuzz/README.md has the long run. Its AFL++
# and coverage builds (fuzz_ptm_afl, fuzz_ptm_cov) are built only when
# asked for (tools/fuzz does).
find_program(SECMON_CLANG clang)
find_program(SECMON_AFL_CC afl-clang-fast)
function(secmon_fuzz_build name dir engine cc)
  string(REPLACE ";" "|" _fz_sources "${MONITOR_LOGIC_SOURCES}")
  string(REPLACE ";" "|" _fz_fdt "${LIBFDT_SOURCES}")
  string(REPLACE ";" "|" _fz_inc "${MONITOR_INCLUDE_DIRS}")
  ExternalProject_Add(${name}
    SOURCE_DIR ${CMAKE_SOURCE_DIR}/test/fuzz
    BINARY_DIR ${CMAKE_BINARY_DIR}/${dir}
    LIST_SEPARATOR |
    CMAKE_ARGS
      -DCMAKE_C_COMPILER=${cc}
      -DCMAKE_BUILD_TYPE=
      -DSECMON_FUZZ_ENGINE=${engine}
      -DSECMON_ROOT=${CMAKE_SOURCE_DIR}
      -DSECMON_MONITOR_SOURCES=${_fz_sources}
      -DSECMON_LIBFDT_SOURCES=${_fz_fdt}
      -DSECMON_INCLUDE_DIRS=${_fz_inc}
      -DSECMON_HART_CAP=${SECMON_HART_CAP}
    BUILD_ALWAYS ON
    INSTALL_COMMAND ""
    ${ARGN})
endfunction()
if(SECMON_CLANG)
  secmon_fuzz_build(fuzz_ptm fuzz libfuzzer ${SECMON_CLANG})
  secmon_fuzz_build(fuzz_ptm_cov fuzz-cov coverage ${SECMON_CLANG}
    EXCLUDE_FROM_ALL TRUE)
  if(SECMON_AFL_CC)
    secmon_fuzz_build(fuzz_ptm_afl fuzz-afl afl ${SECMON_AFL_CC}
      EXCLUDE_FROM_ALL TRUE)
  endif()
  add_test(NAME fuzz_ptm
    COMMAND ${CMAKE_BINARY_DIR}/fuzz/fuzz_ptm -seed=1 -runs=150000
            -max_total_time=60 -print_final_stats=1
            -artifact_prefix=${CMAKE_BINARY_DIR}/fuzz/
    WORKING_DIRECTORY ${CMAKE_BINARY_DIR}/fuzz)
  set_tests_properties(fuzz_ptm PROPERTIES TIMEOUT 90)
else()
  message(WARNING "clang not found: no fuzz_ptm target (run tools/setup)")
endif()

# cmake --install build --prefix P (after cmake --build build): the
# firmware, its symbols, the gdb extension and the docs, for a QEMU command
# line of the user's own (README "Install").
include(GNUInstallDirs)
install(FILES ${CMAKE_BINARY_DIR}/monitor.bin ${CMAKE_BINARY_DIR}/monitor.elf
  DESTINATION ${CMAKE_INSTALL_DATADIR}/secmon)
install(FILES tools/gdb/secmon.py tools/gdb/secmon_elf.py
  tools/gdb/secmon_model.py
  DESTINATION ${CMAKE_INSTALL_DATADIR}/secmon/gdb)
file(GLOB SECMON_DOCS ${CMAKE_SOURCE_DIR}/docs/*.md)
install(FILES README.md ${SECMON_DOCS} DESTINATION ${CMAKE_INSTALL_DOCDIR})
