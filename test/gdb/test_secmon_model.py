#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Unit tests of tools/gdb/secmon_model.py (no gdb, no QEMU).

A fake machine: 256 MiB of RAM at 0x80000000, the monitor's window at the
bottom, a 16-page pool at 0x8f000000 holding one address space built the
way the monitor books it. Each test corrupts a copy and expects the checker
or the walker to say so. Prints PASS/FAIL per test; exits 1 on any FAIL.
"""
import copy
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "tools", "gdb"))
import secmon_model as M  # noqa: E402

POOL, NPAGES, RAM = 0x8F000000, 16, (0x80000000, 0x10000000)
RECORDS = POOL - 0x1000  # the monitor's page records, right below the pool
DATA = 0x80600000
KHALF = [0] * 256
KHALF[254] = (0x80000000 >> 12) << 10 | 0xEF  # a kernel gigapage (V R W X G A D)


def leaf(pa, bits=M.PTE_U | M.PTE_R | M.PTE_W):
    return (pa >> 12) << 10 | M.PTE_V | M.PTE_A | M.PTE_D | bits


def link(pa):
    return (pa >> 12) << 10 | M.PTE_V


class Machine:
    """Pool bytes and the monitor's records of one address space:
    root (page 0) -> PMD (page 1) -> PTE table (page 2) with 5 leaves,
    plus a 2 MiB leaf in the PMD; page 3 is quarantined."""

    def __init__(self):
        self.mem = {POOL + i * M.PAGE: [0] * 512 for i in range(NPAGES)}
        root, pmd, pte = (POOL + i * M.PAGE for i in range(3))
        self.mem[root][0] = link(pmd)
        self.mem[root][256:] = list(KHALF)
        self.mem[pmd][0] = link(pte)
        self.mem[pmd][3] = leaf(0x80800000, M.PTE_U | M.PTE_R)
        for i in range(5):
            self.mem[pte][i] = leaf(DATA + i * M.PAGE)
        pages = [M.Page() for _ in range(NPAGES)]
        pages[0] = M.Page(M.PG_ROOT, 2, 0, 0, 2)
        pages[1] = M.Page(M.PG_TABLE, 1, 1, 0, 2)
        pages[2] = M.Page(M.PG_TABLE, 0, 1, 0, 5)
        pages[3] = M.Page(M.PG_QUARANTINE)
        spaces = [M.Space() for _ in range(4)]
        spaces[0] = M.Space(1, 0, 3, (1, 1, 1), 6, M.AS_LIVE, 512 + 5)
        self.mon = M.Monitor(POOL, pages, spaces, nfree=NPAGES - 4,
                             nquarantine=1, locked=True,
                             kroot=(0x80224000, 0x80223000),
                             kstart=0x80200000, kend=0x80226000,
                             kernel_half=list(KHALF), ram=[RAM],
                             monitor=(0x80000000, 0x40000),
                             records=(RECORDS, 0x1000))

    def read_table(self, pa):
        if pa not in self.mem:
            self.mem[pa] = [0] * 512  # RAM outside the pool reads as zero
        return self.mem[pa]

    def check(self):
        return M.check(self.mon, self.read_table)

    def walk(self, **kw):
        return M.walk(self.read_table, POOL, 3, self.mon, **kw)


RESULTS = []


def test(name):
    def wrap(fn):
        try:
            why = fn()
        except Exception as e:  # a crash is a failure with its reason
            why = "%s: %s" % (type(e).__name__, e)
        RESULTS.append((name, why))
        return fn
    return wrap


def expect(problems, text):
    """None if some message contains text, else why not."""
    if any(text in p for p in problems):
        return None
    return "no message with %r in %r" % (text, problems)


@test("check-clean-machine-passes")
def _():
    bad = Machine().check()
    return "unexpected: %s" % bad if bad else None


def corrupted(change, text):
    m = Machine()
    change(m)
    return expect(m.check(), text)


@test("check-count-mismatch")
def _():
    return corrupted(lambda m: setattr(m.mon.pages[2], "count", 4),
                     "page 2: count 4 but 5 valid entries")


@test("check-free-page-not-zero")
def _():
    return corrupted(lambda m: m.mem[POOL + 5 * M.PAGE].__setitem__(7, 1),
                     "page 5: unowned but not clean")


@test("check-quarantine-page-owned")
def _():
    return corrupted(lambda m: setattr(m.mon.pages[3], "owner", 2),
                     "page 3: unowned but not clean")


@test("check-leaf-maps-monitor")
def _():
    return corrupted(
        lambda m: m.mem[POOL + 2 * M.PAGE].__setitem__(9, leaf(0x80001000)),
        "maps monitor memory")


@test("check-leaf-maps-monitor-records")
def _():
    return corrupted(
        lambda m: m.mem[POOL + 2 * M.PAGE].__setitem__(9, leaf(RECORDS)),
        "maps monitor memory 0x%x" % RECORDS)


@test("walk-leaf-maps-monitor-records")
def _():
    m = Machine()
    m.mem[POOL + 2 * M.PAGE][9] = leaf(RECORDS)
    m.mon.pages[2].count += 1
    w = m.walk()
    return expect(w.violations, "maps monitor memory")


def with_devices(m):
    m.mon.mmio = [(0x10000000, 0x1000)]
    m.mon.devices = [(0x2000000, 0x10000)]
    # one more valid leaf on the PTE table, as the monitor would count it
    m.mem[POOL + 2 * M.PAGE][9] = leaf(0x10000000)
    m.mon.pages[2].count += 1
    m.mon.spaces[0].leaf_entries += 1
    m.mon.spaces[0].leaf_pages += 1


@test("check-leaf-maps-os-device-memory-passes")
def _():
    m = Machine()
    with_devices(m)
    bad = m.check()
    return "unexpected: %s" % bad if bad else None


@test("check-leaf-in-os-device-memory-over-ram")
def _():
    def change(m):
        # a tree whose device range covers RAM, and a 1 GiB leaf in it
        m.mon.mmio = [(0x80000000, 0x40000000)]
        m.mem[POOL][3] = leaf(0x80000000)
    return corrupted(change, "maps monitor memory")


@test("check-leaf-maps-monitor-device")
def _():
    def change(m):
        with_devices(m)
        m.mem[POOL + 2 * M.PAGE][9] = leaf(0x2000000)
    return corrupted(change, "maps the monitor's device")


@test("check-leaf-outside-ram-and-device-memory")
def _():
    def change(m):
        with_devices(m)
        m.mem[POOL + 2 * M.PAGE][9] = leaf(0x20000000)
    return corrupted(change, "outside RAM and the OS's device memory")


@test("check-pbmt-leaf-with-svpbmt-passes")
def _():
    m = Machine()
    m.mon.pbmt = True
    m.mem[POOL + 2 * M.PAGE][0] |= 2 << 61  # IO
    bad = m.check()
    return "unexpected: %s" % bad if bad else None


@test("check-pbmt-reserved-value")
def _():
    def change(m):
        m.mon.pbmt = True
        m.mem[POOL + 2 * M.PAGE][0] |= 3 << 61
    return corrupted(change, "reserved PBMT value 3")


@test("check-pbmt-without-svpbmt")
def _():
    return corrupted(
        lambda m: m.mem[POOL + 2 * M.PAGE].__setitem__(
            0, m.mem[POOL + 2 * M.PAGE][0] | 1 << 61),
        "reserved, PBMT or N bits set")


def with_hole(m):
    """The image 0x80200000-0x80226000 with LOCK's hole 0x80210000-0x80212000,
    and a writable leaf inside the hole (allowed)."""
    m.mon.khole = [0x80210000, 0x80212000]
    m.mem[POOL + 2 * M.PAGE][9] = leaf(0x80211000)
    m.mon.pages[2].count += 1
    m.mon.spaces[0].leaf_entries += 1
    m.mon.spaces[0].leaf_pages += 1


@test("check-writable-leaf-in-lock-hole-passes")
def _():
    m = Machine()
    with_hole(m)
    bad = m.check()
    return "unexpected: %s" % bad if bad else None


@test("check-writable-leaf-outside-lock-hole")
def _():
    def change(m):
        with_hole(m)
        m.mem[POOL + 2 * M.PAGE][9] = leaf(0x80212000)
    return corrupted(change, "maps the kernel image writable 0x80212000")


@test("check-leaf-maps-pool")
def _():
    return corrupted(
        lambda m: m.mem[POOL + 2 * M.PAGE].__setitem__(9, leaf(POOL)),
        "maps the page-table pool")


@test("check-leaf-without-user")
def _():
    return corrupted(lambda m: m.mem[POOL + 2 * M.PAGE].__setitem__(
        0, leaf(DATA, M.PTE_R)), "user leaf without U or with G")


@test("check-kernel-half-differs")
def _():
    return corrupted(lambda m: m.mem[POOL].__setitem__(300, link(DATA)),
                     "root kernel slot 300 differs from swapper")


@test("check-link-to-other-space")
def _():
    def change(m):
        m.mon.pages[2].owner = 1
        m.mon.spaces[1] = M.Space(2, 9, 1, (1, 0, 0), 0, M.AS_LIVE, 0)
    return corrupted(change, "not a level-0 table of slot 0")


@test("check-linked-flag-without-parent")
def _():
    return corrupted(lambda m: m.mem[POOL + M.PAGE].__setitem__(0, 0),
                     "page 2: 0 parents, linked flag 1")


@test("check-books-leaf-entries")
def _():
    return corrupted(lambda m: setattr(m.mon.spaces[0], "leaf_entries", 7),
                     "slot 0: books say 3 pages/7 leaves, pool has 3/6")


@test("check-books-leaf-pages")
def _():
    return corrupted(lambda m: setattr(m.mon.spaces[0], "leaf_pages", 5),
                     "books say 5 leaf pages, pool has 517")


@test("check-free-total")
def _():
    return corrupted(lambda m: setattr(m.mon, "nfree", 3), "free 12/3")


@test("check-zombie-with-root")
def _():
    return corrupted(lambda m: setattr(m.mon.spaces[0], "state",
                                       M.AS_ZOMBIE),
                     "root of slot 0 which does not own it")


@test("walk-summary-lines")
def _():
    got = Machine().walk().summary()
    want = ["Level 2 (VPN[2]) pages: 1", "Level 1 (VPN[1]) pages: 1",
            "Level 0 (VPN[0]) pages: 1",
            "Total page table pages: 3 (size = 12 KiB)",
            "Total leaf data pages: 517 (bitmap size = 65 bytes)",
            "Total user leaf pages: 517"]
    return None if got == want else "got %r" % got


@test("walk-equals-books-and-clean")
def _():
    m = Machine()
    w = m.walk()
    sp = m.mon.spaces[0]
    if (w.tables, w.leaf_pages, w.leaf_entries) != (
            sp.level_pages, sp.leaf_pages, sp.leaf_entries):
        return "walk %r/%d/%d vs books %r/%d/%d" % (
            w.tables, w.leaf_pages, w.leaf_entries, sp.level_pages,
            sp.leaf_pages, sp.leaf_entries)
    return "violations: %s" % w.violations if w.violations else None


@test("walk-kernel-half-counts-kernel-gigapage")
def _():
    w = Machine().walk(kernel_half=True)
    want = (517 + 512 * 512, 517)
    got = (w.leaf_pages, w.user_leaf_pages)
    return None if got == want else "got %r want %r" % (got, want)


@test("walk-flags-table-of-other-space")
def _():
    m = Machine()
    m.mon.pages[2].owner = 1
    return expect(m.walk().violations, "owned by slot 1")


@test("walk-flags-table-outside-pool")
def _():
    m = Machine()
    m.mem[POOL + M.PAGE][1] = link(DATA)
    return expect(m.walk().violations, "table 0x80600000 (level 0): outside "
                  "the pool")


@test("walk-flags-user-half-leaf-without-u")
def _():
    m = Machine()
    m.mem[POOL + 2 * M.PAGE][0] = leaf(DATA, M.PTE_R)
    return expect(m.walk().violations, "has U=0 in the user half")


@test("walk-flags-leaf-mapping-pool")
def _():
    m = Machine()
    m.mem[POOL + 2 * M.PAGE][8] = leaf(POOL + M.PAGE)
    return expect(m.walk().violations, "maps the page-table pool")


@test("walk-flags-table-pointer-at-level-0")
def _():
    m = Machine()
    m.mem[POOL + 2 * M.PAGE][8] = link(DATA)
    return expect(m.walk().violations, "table pointer at level 0")


@test("walk-survives-a-loop")
def _():
    m = Machine()
    m.mem[POOL + M.PAGE][2] = link(POOL + M.PAGE)  # the PMD links itself
    return expect(m.walk().violations, "linked twice")


@test("walk-unprotected-root-skips-ownership")
def _():
    m = Machine()
    root = 0x80300000
    m.mem[root] = copy.copy(m.mem[POOL])
    w = M.walk(m.read_table, root, 3, m.mon)
    if w.violations:
        return "violations: %s" % w.violations
    return expect(w.notes, "root is not a pool page: unprotected address "
                  "space; ownership checks skipped")


@test("translate-4k-and-2m")
def _():
    m = Machine()
    _, pa, _ = M.translate(m.read_table, POOL, 3, 0x4123)
    _, pa2, _ = M.translate(m.read_table, POOL, 3, 3 << 21 | 0x12345)
    _, none, why = M.translate(m.read_table, POOL, 3, 0x9000)
    got = (pa, pa2, none)
    want = (DATA + 4 * M.PAGE + 0x123, 0x80800000 + 0x12345, None)
    return None if got == want and "V=0" in why else "got %r" % (got,)


@test("decode-satp-and-causes")
def _():
    got = (M.decode_satp(0x800000000008F000),
           M.decode_satp(0xA000000000080ABC)[:2], M.cause_name(13),
           M.cause_name(1 << 63 | 5), M.pte_flags(0xC7))
    want = (("Sv39", 3, 0, 0x8F000000), ("Sv57", 5), "load page fault",
            "S timer interrupt", "VRW---AD")
    return None if got == want else "got %r" % (got,)


def main():
    failed = 0
    for name, why in RESULTS:
        if why:
            failed += 1
            print("FAIL gdbext/model/%s: %s" % (name, why))
        else:
            print("PASS gdbext/model/%s" % name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
