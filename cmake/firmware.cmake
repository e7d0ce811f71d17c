# The firmware: monitor.elf (full symbols) and monitor.bin (what -bios loads).
option(SECMON_DEBUG "Verbose monitor log (every refused call)" OFF)
set(SECMON_EARLYCON_BASE "0x10000000" CACHE STRING
    "UART used for boot errors before the FDT is read (QEMU virt; 0 = none)")
set(SECMON_EARLY_TEST_BASE "0x100000" CACHE STRING
    "sifive,test used to exit QEMU on a boot error before the FDT is read (0 = none)")

set(FW_FLAGS
  -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany
  -ffreestanding -fno-builtin -fno-common -fno-stack-protector
  -fno-pie -ffunction-sections -fdata-sections -flto -fno-strict-aliasing
  -O2 -g -Wall -Wextra -Wno-unused-parameter
  -DSECMON_HART_CAP=${SECMON_HART_CAP}
  -DSECMON_EARLYCON_BASE=${SECMON_EARLYCON_BASE}
  -DSECMON_EARLY_TEST_BASE=${SECMON_EARLY_TEST_BASE}
  $<$<BOOL:${SECMON_DEBUG}>:-DSECMON_DEBUG>)

# secmon_firmware(NAME DEFINES...): NAME.elf, NAME.bin and NAME.map.
function(secmon_firmware name)
  add_executable(${name}.elf
    boot/entry.S
    boot/boot.c
    monitor/arch/riscv64/trap_entry.S
    monitor/arch/riscv64/arch.c
    monitor/arch/riscv64/hpm.c
    monitor/trap/trap.c
    monitor/trap/fatal.c
    monitor/trap/emulate.c
    monitor/lib/string.c
    ${MONITOR_LOGIC_SOURCES}
    ${LIBFDT_SOURCES})
  # No C library: monitor/lib/include supplies the string.h and stdlib.h
  # that libfdt's stock libfdt_env.h includes.
  target_include_directories(${name}.elf BEFORE PRIVATE monitor/lib/include)
  target_include_directories(${name}.elf PRIVATE
    ${MONITOR_INCLUDE_DIRS} monitor/arch/riscv64 monitor/lib/include
    ${SECMON_LIBFDT_DIR})
  target_compile_options(${name}.elf PRIVATE ${FW_FLAGS})
  target_compile_definitions(${name}.elf PRIVATE ${ARGN})
  target_link_options(${name}.elf PRIVATE
    -nostdlib -nostartfiles -static -Wl,--gc-sections -Wl,--no-relax -Wl,--no-warn-rwx-segments
    -T ${CMAKE_SOURCE_DIR}/boot/monitor.ld -Wl,-Map=${CMAKE_BINARY_DIR}/${name}.map
    -march=rv64imac_zicsr_zifencei -mabi=lp64 -O2 -flto)
  target_link_libraries(${name}.elf PRIVATE gcc)
  set_target_properties(${name}.elf PROPERTIES LINK_DEPENDS
    ${CMAKE_SOURCE_DIR}/boot/monitor.ld)
  add_custom_command(TARGET ${name}.elf POST_BUILD
    COMMAND ${CMAKE_OBJCOPY} -O binary ${name}.elf ${name}.bin
    COMMENT "${name}.bin")
endfunction()

# The compiler may call memset/memcpy behind LTO's back: keep them out of it.
set_source_files_properties(monitor/lib/string.c PROPERTIES
  COMPILE_OPTIONS "-fno-lto")
set_source_files_properties(${LIBFDT_SOURCES} PROPERTIES
  COMPILE_OPTIONS "-Wno-sign-compare;-Wno-unused-parameter")
secmon_firmware(monitor)
# tools/bench's profile: the same monitor, counting its own traps and the
# instructions it retires (SECMON_FEAT_PROFILE), eleven more per trap.
secmon_firmware(monitor-profile SECMON_PROFILE)

# The S-mode test payload (test/payload): boots in place of a kernel and
# checks the SBI implementation from S-mode. It shares the formatter, the
# string functions and libfdt with the monitor.
add_executable(payload.elf
  test/payload/entry.S
  test/payload/main.c
  test/payload/traps.c
  test/payload/cases.c
  test/payload/bench.c
  test/payload/suspend.c
  test/payload/ptm_cases.c
  test/payload/pmu_cases.c
  test/payload/fwft_cases.c
  test/payload/sse_cases.c
  test/payload/dbtr_cases.c
  test/payload/adversary.c
  monitor/console/format.c
  monitor/lib/string.c
  ${LIBFDT_SOURCES})
target_include_directories(payload.elf BEFORE PRIVATE monitor/lib/include)
target_include_directories(payload.elf PRIVATE include monitor/console
  monitor/lib/include test/payload ${SECMON_LIBFDT_DIR})
target_compile_options(payload.elf PRIVATE ${FW_FLAGS})
target_link_options(payload.elf PRIVATE
  -nostdlib -nostartfiles -static -Wl,--gc-sections -Wl,--no-relax
  -Wl,--no-warn-rwx-segments -T ${CMAKE_SOURCE_DIR}/test/payload/payload.ld
  -march=rv64imac_zicsr_zifencei -mabi=lp64)
target_link_libraries(payload.elf PRIVATE gcc)
set_target_properties(payload.elf PROPERTIES LINK_DEPENDS
  ${CMAKE_SOURCE_DIR}/test/payload/payload.ld)
