# SPDX-License-Identifier: BSD-2-Clause
"""Addresses of data symbols from an ELF file's own symbol table.

LTO leaves some of the monitor's static arrays (hsm, harts, nharts) in the
DWARF as "optimized out" although they exist in memory; the ELF symbol
table still has their address and size. LTO may also rename a static
("memmap_state.lto_priv.0"): such a symbol is found by its source name
too, unless two share it.
"""
import re
import struct

_LTO_SUFFIX = re.compile(r"\.lto_priv\.[0-9]+$")

SHT_SYMTAB = 2
STT_OBJECT = 1


def data_symbols(path):
    """{name: (address, size)} of every STT_OBJECT in path's .symtab."""
    with open(path, "rb") as f:
        elf = f.read()
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        raise ValueError("%s: not a little-endian ELF64 file" % path)
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", elf, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize)
                for i in range(shnum)]
    out = {}
    for sh in sections:
        if sh[1] != SHT_SYMTAB:
            continue
        stroff = sections[sh[6]][4]
        for off in range(sh[4], sh[4] + sh[5], sh[9]):
            name, info, _, _, value, size = struct.unpack_from(
                "<IBBHQQ", elf, off)
            if info & 0xF != STT_OBJECT:
                continue
            end = elf.index(b"\0", stroff + name)
            out[elf[stroff + name:end].decode()] = (value, size)
    return _with_source_names(out)


def _with_source_names(syms):
    """Add "x" for a lone "x.lto_priv.N" (no "x" of its own)."""
    renamed = {}
    for name in syms:
        base = _LTO_SUFFIX.sub("", name)
        if base != name and base not in syms:
            renamed.setdefault(base, []).append(name)
    for base, names in renamed.items():
        if len(names) == 1:
            syms[base] = syms[names[0]]
    return syms
