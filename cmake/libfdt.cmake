# libfdt comes from Debian's linux-source-6.12 (scripts/dtc/libfdt, libfdt
# 1.7.0). It is extracted into the build tree at configure time and never
# committed. Both the firmware and the host tests compile these same files.
set(SECMON_LINUX_SOURCE_TARBALL "/usr/src/linux-source-6.12.tar.xz"
    CACHE FILEPATH "Debian linux-source-6.12 tarball (provides libfdt)")
set(SECMON_LIBFDT_DIR "" CACHE PATH
    "Directory with libfdt sources (default: extracted from the tarball)")

if(NOT SECMON_LIBFDT_DIR)
  set(_out "${CMAKE_BINARY_DIR}/libfdt-src")
  set(_dir "${_out}/linux-source-6.12/scripts/dtc/libfdt")
  if(NOT EXISTS "${_dir}/fdt.c")
    if(NOT EXISTS "${SECMON_LINUX_SOURCE_TARBALL}")
      message(FATAL_ERROR "libfdt: ${SECMON_LINUX_SOURCE_TARBALL} not found. "
        "Run ./tools/setup (installs linux-source-6.12).")
    endif()
    message(STATUS "libfdt: extracting scripts/dtc/libfdt from ${SECMON_LINUX_SOURCE_TARBALL}")
    file(MAKE_DIRECTORY "${_out}")
    execute_process(
      COMMAND tar -xJf "${SECMON_LINUX_SOURCE_TARBALL}" -C "${_out}"
              linux-source-6.12/scripts/dtc/libfdt
      RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0)
      message(FATAL_ERROR "libfdt: extracting from ${SECMON_LINUX_SOURCE_TARBALL} failed (${_rc})")
    endif()
  endif()
  set(SECMON_LIBFDT_DIR "${_dir}" CACHE PATH "libfdt sources" FORCE)
endif()

set(LIBFDT_SOURCES
  ${SECMON_LIBFDT_DIR}/fdt.c
  ${SECMON_LIBFDT_DIR}/fdt_ro.c
  ${SECMON_LIBFDT_DIR}/fdt_rw.c
  ${SECMON_LIBFDT_DIR}/fdt_wip.c
  ${SECMON_LIBFDT_DIR}/fdt_sw.c
  ${SECMON_LIBFDT_DIR}/fdt_strerror.c
  ${SECMON_LIBFDT_DIR}/fdt_addresses.c
  ${SECMON_LIBFDT_DIR}/fdt_empty_tree.c)
