# SPDX-License-Identifier: BSD-2-Clause
"""gdb extension for secmon: `source tools/gdb/secmon.py`, then `help secmon`.

Reads the monitor's state from its globals, using build/monitor.elf's
debug info for every layout, and page tables from physical memory through
QEMU's gdbstub. The logic lives in secmon_model.py (no gdb needed, unit
tested); this file is the gdb side: memory, registers, threads, commands.
"""
import contextlib
import os
import re
import sys

import gdb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import secmon_elf  # noqa: E402
import secmon_model as M  # noqa: E402

MASK64 = (1 << 64) - 1

# --- physical memory -------------------------------------------------------

_phys_depth = 0


def _packet(text):
    """Send one gdbstub packet; the reply, or '' if the stub had none."""
    out = gdb.execute("maintenance packet " + text, to_string=True)
    m = re.search(r'received: "(.*)"', out)
    return m.group(1) if m else ""


@contextlib.contextmanager
def physical_memory():
    """QEMU's gdbstub reads through the selected hart's MMU and PMP, so
    with a hart in S/U mode monitor memory and page tables may be out of
    reach. Switch the stub to physical addresses for the duration and put
    back what was there (nested uses switch once)."""
    global _phys_depth
    if _phys_depth:
        _phys_depth += 1
        try:
            yield
        finally:
            _phys_depth -= 1
        return
    old = _packet("qqemu.PhyMemMode")
    if old == "0":
        _packet("Qqemu.PhyMemMode:1")
        gdb.execute("maintenance flush dcache", to_string=True)
    _phys_depth = 1
    try:
        yield
    finally:
        _phys_depth = 0
        if old == "0":
            _packet("Qqemu.PhyMemMode:0")
            gdb.execute("maintenance flush dcache", to_string=True)


def read_phys(pa, size):
    with physical_memory():
        return bytes(gdb.selected_inferior().read_memory(pa, size))


def table_reader():
    """read_table(pa) for the model, caching pages for one command."""
    cache = {}

    def read_table(pa):
        if pa not in cache:
            raw = read_phys(pa, M.PAGE)
            cache[pa] = [int.from_bytes(raw[i:i + 8], "little")
                         for i in range(0, M.PAGE, 8)]
        return cache[pa]
    return read_table


# --- monitor structures from debug info ----------------------------------

_decoders = {}


def decoder(t):
    """A fast function(buf, off) -> Python value for gdb type t: structs
    become dicts, arrays lists, scalars ints. Built once per type."""
    t = t.strip_typedefs()
    key = str(t) + ":" + str(t.sizeof)
    if key in _decoders:
        return _decoders[key]
    if t.code == gdb.TYPE_CODE_STRUCT:
        fields = [(f.name, f.bitpos // 8, decoder(f.type))
                  for f in t.fields() if f.name]

        def dec(buf, off):
            return {n: d(buf, off + o) for n, o, d in fields}
    elif t.code == gdb.TYPE_CODE_ARRAY:
        lo, hi = t.range()
        el, stride = decoder(t.target()), t.target().sizeof

        def dec(buf, off):
            return [el(buf, off + i * stride) for i in range(hi - lo + 1)]
    else:
        size, signed = t.sizeof, t.code == gdb.TYPE_CODE_INT and t.is_signed

        def dec(buf, off):
            return int.from_bytes(buf[off:off + size], "little", signed=signed)
    _decoders[key] = dec
    return dec


def monitor_objfile():
    for o in gdb.objfiles():
        sym = o.lookup_global_symbol("ptm")
        if sym and sym.type.strip_typedefs().code == gdb.TYPE_CODE_STRUCT:
            return o
    raise gdb.GdbError("secmon: no monitor symbols loaded (file "
                       "build/monitor.elf)")


_symtabs = {}


def elf_symbols(path):
    """The ELF symbol table of path, read once per file version."""
    key = (path, os.path.getmtime(path))
    if key not in _symtabs:
        _symtabs[key] = secmon_elf.data_symbols(path)
    return _symtabs[key]


def read_var(syms, name, type_name, count=None):
    """A monitor global by its ELF address and its DWARF type; count
    elements of the type if it is an array of unknown length (LTO drops
    some statics' DWARF locations, never their types)."""
    addr, size = syms[name]
    t = gdb.lookup_type(type_name)
    if count is None:
        return decoder(t)(read_phys(addr, t.sizeof), 0)
    n = size // t.sizeof
    raw = read_phys(addr, n * t.sizeof)
    return [decoder(t)(raw, i * t.sizeof) for i in range(n)]


def read_ptr(syms, name):
    """The value of a monitor pointer variable, by its ELF address."""
    return int.from_bytes(read_phys(syms[name][0], 8), "little")


def read_array(addr, type_name, n):
    """n elements of a monitor type at physical address addr (the arrays
    in the records region that struct ptm_db points at)."""
    t = gdb.lookup_type(type_name)
    dec = decoder(t)
    raw = read_phys(addr, n * t.sizeof) if n else b""
    return [dec(raw, i * t.sizeof) for i in range(n)]


class State:
    """One snapshot of the monitor: the model's Monitor plus harts."""

    def __init__(self):
        syms = elf_symbols(monitor_objfile().filename)
        with physical_memory():
            db = read_var(syms, "ptm", "struct ptm_db")
            plat = read_var(syms, "plat", "struct plat_info")
            mm = read_var(syms, "memmap_state", "struct memmap_state")
            window = mm["monitor"]
            # Per-hart arrays: pointers into the per-hart region, nharts
            # entries each, in hart-index order (ascending hartid).
            self.nharts = int.from_bytes(read_phys(syms["nharts"][0], 4),
                                         "little")
            self.hsm = read_array(read_ptr(syms, "hsm"), "struct hsm_hart",
                                  self.nharts)
            self.mail = read_array(read_ptr(syms, "harts"), "struct hart",
                                   self.nharts)
            satps = read_array(db["hart_satp"], "unsigned long",
                                   db["nharts"])
            # The records region: one record per pool page, nslots slots.
            page_recs = read_array(db["page"], "struct ptm_page",
                                   db["npages"])
            slot_recs = read_array(db["as"], "struct ptm_as", db["nslots"])
        self.plat = plat
        pages = [M.Page(p["state"], p["level"], p["linked"], p["owner"],
                        p["count"]) for p in page_recs]
        spaces = [M.Space(a["gen"], a["root"], a["pages"], a["level_pages"],
                          a["leaf_entries"], a["state"], a["leaf_pages"])
                  for a in slot_recs]
        counters = {k: db[k] for k in ("calls", "refused", "satp_writes",
                                       "satp_refused", "sfences", "flushes")}
        self.mon = M.Monitor(
            db["base"], pages, spaces, db["nfree"], db["nquarantine"],
            bool(db["locked"]), db["kroot"], db["kstart"], db["kend"],
            db["kernel_half"],
            [(m["base"], m["size"]) for m in plat["mem"][:plat["nmem"]]],
            (window["base"], window["size"]), satps, counters,
            db["khole"],
            [(r["base"], r["size"]) for r in mm["os_mmio"][:mm["nos_mmio"]]],
            [(d["base"], d["size"]) for d in mm["device"][:mm["ndevice"]]],
            bool(db["pbmt"]),
            (mm["records"]["base"], mm["records"]["size"]))

    def present(self):
        """Hart indices; on QEMU virt each is also the hartid."""
        return list(range(self.nharts))

    def root_text(self, root, mode):
        """Whose root is this: kernel, an address space, or unprotected."""
        mon = self.mon
        if mode == "Bare":
            return "paging off"
        if root and root == mon.kroot[0]:
            return "kernel root (swapper)"
        if root and root == mon.kroot[1]:
            return "kernel root (trampoline)"
        idx = mon.index(root)
        if idx is None:
            return "not a pool page (unprotected)"
        p = mon.pages[idx]
        if p.state == M.PG_ROOT:
            return "AS slot %d handle 0x%x" % (p.owner, mon.handle(p.owner))
        return "pool page %d in state %s (not a root!)" % (
            idx, M.PAGE_STATES.get(p.state, p.state))


# --- harts, registers, vmlinux ------------------------------------------

def hart_threads():
    """{hart: gdb thread}: QEMU lists CPUs in hart order, thread N = hart
    N-1 on QEMU virt."""
    return {t.num - 1: t for t in gdb.selected_inferior().threads()}


@contextlib.contextmanager
def on_thread(thread):
    """Run with another thread selected, then restore thread and frame."""
    old = gdb.selected_thread()
    try:
        frame = gdb.selected_frame()
    except gdb.error:
        frame = None
    thread.switch()
    try:
        yield
    finally:
        old.switch()
        if frame is not None and frame.is_valid():
            frame.select()


def read_reg(name):
    """A register of the selected thread, or None if the stub refuses it
    (QEMU refuses satp to a debugger while TVM traps S-mode access)."""
    try:
        return int(gdb.newest_frame().read_register(name)) & MASK64
    except (gdb.error, RuntimeError):
        return None


PRIV = {0: "U", 1: "S", 3: "M"}


def current_hart():
    return gdb.selected_thread().num - 1


def hart_satp(state, hart):
    """(satp, where it came from) for a hart."""
    threads = hart_threads()
    value = None
    if hart in threads:
        with on_thread(threads[hart]):
            value = read_reg("satp")
    if value is not None:
        return value, "register"
    if state.mon.locked and hart < len(state.mon.hart_satp):
        return state.mon.hart_satp[hart], "monitor's record ptm.hart_satp"
    raise gdb.GdbError("secmon: cannot read satp of hart %d" % hart)


def vmlinux_objfile():
    for o in gdb.objfiles():
        if os.path.basename(o.filename).startswith("vmlinux"):
            return o
    return None


def linux_linear_map(state):
    """(page_offset, va_pa_offset) from Linux's kernel_map, or None.

    PAGE_OFFSET is kernel_map.page_offset on riscv64 6.12, chosen at boot:
    0xff60000000000000 for Sv57, 0xffffaf8000000000 Sv48, 0xffffffd600000000
    Sv39 (arch/riscv/include/asm/page.h). It is read virtually (S-mode), else
    through the current hart's page tables."""
    o = vmlinux_objfile()
    if o is None:
        return None
    va = elf_symbols(o.filename).get("kernel_map", (None,))[0]
    if va is None:
        return None
    try:
        raw = bytes(gdb.selected_inferior().read_memory(va, 48))
    except (gdb.MemoryError, gdb.error):
        satp, _ = hart_satp(state, current_hart())
        mode, levels, _, root = M.decode_satp(satp)
        if not levels:
            return None
        _, pa, _ = M.translate(table_reader(), root, levels, va)
        if pa is None:
            return None
        raw = read_phys(pa, 48)
    # struct kernel_mapping: page_offset first, va_pa_offset sixth.
    return (int.from_bytes(raw[0:8], "little"),
            int.from_bytes(raw[40:48], "little"))


def symbolize(addr):
    """'<name+off in objfile>' from every loaded symbol file, or '?'."""
    out = gdb.execute("info symbol 0x%x" % addr, to_string=True).strip()
    if out.startswith("No symbol"):
        return "<?>"
    m = re.match(r"(\S+(?: \+ \d+)?) in section \S+(?: of (\S+))?", out)
    if not m:
        return out
    where = os.path.basename(m.group(2)) if m.group(2) else ""
    return "<%s%s>" % (m.group(1).replace(" ", ""),
                       " in " + where if where else "")


def parse_int(text):
    return int(gdb.parse_and_eval(text)) & MASK64


# --- commands ----------------------------------------------------------------

class Secmon(gdb.Command):
    """secmon: inspect the secmon monitor and the page tables it guards.

Subcommands: harts, pool, as, ptwalk, check, fault, catch.
Type "help secmon SUBCOMMAND" for each. Physical memory is read through
QEMU's gdbstub physical mode (Qqemu.PhyMemMode), switched on around each
read and put back afterwards."""

    def __init__(self):
        super().__init__("secmon", gdb.COMMAND_USER, prefix=True)


class Harts(gdb.Command):
    """secmon harts: per hart, HSM state, privilege, satp and mailbox.

For every hart the monitor knows: its HSM state (monitor's hsm[]), the
privilege mode QEMU reports (priv), satp with mode, ASID and root, and
whose root that is (a kernel root, an address space's handle, or a page
outside the pool = unprotected), then the mailbox: pending request bits
(SSIP, FENCE_I, SFENCE_VMA, WAKE, RESYNC) and request/done tickets; a
request count above the done count is an IPI or fence not yet served."""

    def __init__(self):
        super().__init__("secmon harts", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        st = State()
        threads = hart_threads()
        present = st.present()
        print("harts: %d present (monitor nharts %d), %d gdb threads"
              % (len(present), st.nharts, len(threads)))
        for h in present:
            priv = None
            if h in threads:
                with on_thread(threads[h]):
                    priv = read_reg("priv")
            hsm = st.hsm[h]["state"]
            satp, src = hart_satp(st, h)
            mode, _, asid, root = M.decode_satp(satp)
            print("hart %d (thread %d): HSM %s, priv %s, satp 0x%x %s ASID %d "
                  "root 0x%x: %s%s" % (
                      h, h + 1, M.HSM_STATES.get(hsm, hsm),
                      PRIV.get(priv, "?"), satp, mode, asid, root,
                      st.root_text(root, mode),
                      "" if src == "register" else " [from %s]" % src))
            box = st.mail[h]
            print("  mailbox: pending %s, requests %d, done %d, outstanding "
                  "%d, rounds served %d" % (
                      M.mailbox_text(box["pending"]), box["req_seq"],
                      box["done_seq"], box["req_seq"] - box["done_seq"],
                      box["stats"]["ipis_served"]))


class Pool(gdb.Command):
    """secmon pool: the page-table pool's range and pages per state.

Counts pages from the page database's records (FREE, QUARANTINE, ROOT,
TABLE per level), shows the monitor's own free/quarantine books, and one
line in the form of the payload's global STATS print:
"pool P free F quarantine Q roots R tables T live L zombie Z"."""

    def __init__(self):
        super().__init__("secmon pool", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        mon = State().mon
        if not mon.npages:
            print("pool: none (the monitor found no room for one)")
            return
        by = {s: 0 for s in M.PAGE_STATES}
        levels = [0, 0, 0]
        for p in mon.pages:
            by[p.state] = by.get(p.state, 0) + 1
            if p.state == M.PG_TABLE:
                levels[min(p.level, 2)] += 1
        live = sum(s.state == M.AS_LIVE for s in mon.spaces)
        zombie = sum(s.state == M.AS_ZOMBIE for s in mon.spaces)
        size = mon.npages * M.PAGE
        print("pool: 0x%x-0x%x, %d MiB, %d pages" % (
            mon.base, mon.base + size - 1, size >> 20, mon.npages))
        rbase, rsize = mon.records
        print("records: 0x%x-0x%x, %d KiB, %d address-space slots" % (
            rbase, rbase + rsize - 1, rsize >> 10, len(mon.spaces)))
        print("pages: free %d, quarantine %d, root %d, table %d (level 1: "
              "%d, level 0: %d)" % (by[M.PG_FREE], by[M.PG_QUARANTINE],
                                    by[M.PG_ROOT] + by[M.PG_GROOT],
                                    by[M.PG_TABLE], levels[1], levels[0]))
        print("free pages (free + quarantine): %d; books: nfree %d, "
              "nquarantine %d" % (by[M.PG_FREE] + by[M.PG_QUARANTINE],
                                  mon.nfree, mon.nquarantine))
        print("pool %d free %d quarantine %d roots %d tables %d live %d "
              "zombie %d" % (mon.npages, mon.nfree, mon.nquarantine,
                             by[M.PG_ROOT] + by[M.PG_GROOT], by[M.PG_TABLE],
                             live, zombie))
        c = mon.counters
        print("calls %d, refused %d, satp writes %d (refused %d), sfence.vma "
              "emulated %d, quarantine flushes %d" % (
                  c["calls"], c["refused"], c["satp_writes"],
                  c["satp_refused"], c["sfences"], c["flushes"]))
        if mon.locked:
            print("locked: swapper 0x%x, trampoline 0x%x, kernel 0x%x-0x%x"
                  % (mon.kroot[0], mon.kroot[1], mon.kstart, mon.kend))
        else:
            print("locked: no (no kernel has called LOCK)")


def books_summary(sp):
    """A space's books in ptwalk's summary form (what STATS reports)."""
    w = M.Walk(3)
    w.tables = list(sp.level_pages)
    w.leaf_pages = w.user_leaf_pages = sp.leaf_pages
    w.leaf_entries = sp.leaf_entries
    return w.summary() + ["Leaf entries: %d" % sp.leaf_entries]


class AddressSpaces(gdb.Command):
    """secmon as [HANDLE]: list the address spaces, or one in detail.

Without an argument: every live or zombie slot with its handle, root,
table pages per level, leaf entries and leaf pages (the monitor's books).
With a handle: the same, the books in ptwalk's summary form (= STATS),
the harts whose satp holds its root, and every pool page it owns. The
monitor counts calls globally only, so those are the global counts."""

    def __init__(self):
        super().__init__("secmon as", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        st = State()
        mon = st.mon
        args = gdb.string_to_argv(arg)
        if not args:
            used = [s for s, sp in enumerate(mon.spaces)
                    if sp.state != M.AS_FREE]
            print("address spaces: %d live, %d zombie" % (
                sum(mon.spaces[s].state == M.AS_LIVE for s in used),
                sum(mon.spaces[s].state == M.AS_ZOMBIE for s in used)))
            for s in used:
                print("  " + self.line(mon, s))
            return
        handle = parse_int(args[0])
        slot = mon.space_of_handle(handle)
        if slot is None:
            raise gdb.GdbError("secmon: 0x%x is no live or zombie address "
                               "space's handle (stale or never made)" % handle)
        sp = mon.spaces[slot]
        print(self.line(mon, slot))
        for line in books_summary(sp):
            print("  " + line)
        on = [h for h, v in enumerate(mon.hart_satp)
              if v and (v & ((1 << 44) - 1)) << 12 == mon.pa(sp.root)]
        print("  in satp of harts: %s" % (", ".join(map(str, on)) or "none"))
        print("  calls (global; not kept per address space): %d, refused %d"
              % (mon.counters["calls"], mon.counters["refused"]))
        for idx, p in enumerate(mon.pages):
            if (p.state in (M.PG_ROOT, M.PG_TABLE, M.PG_GROOT) and
                    p.owner == slot):
                print("  " + mon.owner_text(mon.pa(idx)))

    @staticmethod
    def line(mon, s):
        sp = mon.spaces[s]
        return ("slot %d handle 0x%x %s root 0x%x pages %d (L2 %d, L1 %d, L0 "
                "%d) leaf entries %d leaf pages %d" % (
                    s, mon.handle(s), M.AS_STATES.get(sp.state, sp.state),
                    mon.pa(sp.root), sp.pages, sp.level_pages[2],
                    sp.level_pages[1], sp.level_pages[0], sp.leaf_entries,
                    sp.leaf_pages))


MODES = {"sv39": 3, "sv48": 4, "sv57": 5}


def resolve_root(st, spec, mode):
    """(root PA, levels, description) for ROOT_PA | satp | HART."""
    if spec in ("satp", "HART"):
        hart = current_hart()
    else:
        value = parse_int(spec)
        hart = value if value < st.nharts else None
        if hart is None:
            return value, MODES[mode or "sv39"], "root PA 0x%x, %s" % (
                value, (mode or "sv39").capitalize())
    satp, src = hart_satp(st, hart)
    name, levels, asid, root = M.decode_satp(satp)
    if not levels:
        raise gdb.GdbError("secmon: hart %d satp 0x%x: %s, nothing to walk"
                           % (hart, satp, name))
    return root, levels, "root 0x%x, %s, from hart %d satp 0x%x ASID %d (%s)" \
        % (root, name, hart, satp, asid, src)


def ptwalk(spec, mode=None, kernel_half=False):
    """The Walk for a ROOT_PA | satp | HART spec (also for test scripts)."""
    st = State()
    root, levels, desc = resolve_root(st, spec, mode)
    return st, root, levels, desc, M.walk(table_reader(), root, levels,
                                          st.mon, kernel_half)


class PtWalk(gdb.Command):
    """secmon ptwalk ROOT_PA|satp|HART [--va VA] [--verbose] [--kernel-half] [--mode sv39|sv48|sv57]

Walks a page-table tree through physical memory and prints:
  Level 2 (VPN[2]) pages, Level 1, Level 0 (more levels for Sv48/Sv57),
  Total page table pages (and KiB), Total leaf data pages in 4 KiB units
  (a 2 MiB leaf is 512; bitmap size = one bit each, rounded up to bytes),
  Total user leaf pages (leaves with U=1).
By default it walks the user half only (root slots 0-255), exactly what
the monitor's STATS counts for an address space: the root and the tables
under it, and the leaves they hold. The kernel half (slots 256-511) is
swapper's, shared by every process; --kernel-half walks and counts it too.

satp = the selected hart's satp, HART (a small number) = that hart's satp
(under TVM, where QEMU hides satp, the monitor's record of it); any other
number is a root PA (Sv39 unless --mode). If the root is a pool page, every
table is checked against the page database (in the pool, a TABLE of the
same address space, the right level, linked); otherwise the address space
is unprotected and those checks are skipped. User-half leaves are checked
in both cases: U=1, no W without R, aligned, not mapping the monitor or the
pool. --va VA prints the translation of VA with every entry decoded;
--verbose lists every table page."""

    def __init__(self):
        super().__init__("secmon ptwalk", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        opts = {"--va": None, "--mode": None}
        flags, pos = set(), []
        while args:
            a = args.pop(0)
            if a in opts and args:
                opts[a] = args.pop(0)
            elif a in ("--verbose", "--kernel-half"):
                flags.add(a)
            elif a.startswith("--"):
                raise gdb.GdbError("secmon ptwalk: unknown option %s" % a)
            else:
                pos.append(a)
        if len(pos) != 1:
            raise gdb.GdbError("usage: secmon ptwalk ROOT_PA|satp|HART "
                               "[--va VA] [--verbose] [--kernel-half]")
        mode = opts["--mode"] and opts["--mode"].lower()
        if mode and mode not in MODES:
            raise gdb.GdbError("secmon ptwalk: --mode is sv39, sv48 or sv57")
        st, root, levels, desc, w = ptwalk(pos[0], mode,
                                           "--kernel-half" in flags)
        print("ptwalk: " + desc)
        for note in w.notes:
            print("ptwalk: " + note)
        print("ptwalk: counting %s" % (
            "both halves (root slots 0-511)" if "--kernel-half" in flags else
            "the user half (root slots 0-255), as STATS does"))
        for line in w.summary():
            print(line)
        print("Leaf entries: %d" % w.leaf_entries)
        if "--verbose" in flags:
            for level, pa, va, nvalid, nleaf in w.table_list:
                owner = st.mon.owner_text(pa) or "not a pool page"
                end = va + (M.PAGE << (9 * (level + 1))) - 1
                span = "root" if level == levels - 1 else \
                    "VA 0x%x-0x%x" % (va, end & MASK64)
                print("  level %d table 0x%x (%s): %d valid, %d leaves; %s"
                      % (level, pa, span, nvalid, nleaf, owner))
        print("Invariant violations: %d" % len(w.violations))
        for v in w.violations:
            print("  VIOLATION: " + v)
        if opts["--va"] is not None:
            show_translation(st, root, levels, parse_int(opts["--va"]))


def show_translation(st, root, levels, va):
    vpn = ["VPN[%d]=%d" % (lvl, va >> (12 + 9 * lvl) & 511)
           for lvl in reversed(range(levels))]
    print("VA 0x%x: %s offset 0x%x%s" % (
        va, " ".join(vpn), va & 0xFFF,
        "" if M.canonical(va, levels) else " (not canonical!)"))
    steps, pa, why = M.translate(table_reader(), root, levels, va)
    for level, index, epa, pte in steps:
        owner = st.mon.owner_text(epa & ~0xFFF) or "not a pool page"
        kind = ("leaf" if M.is_leaf(pte) else
                "table" if M.is_table(pte) else "invalid")
        print("  L%d [%3d] @0x%x = 0x%016x %s %s PPN 0x%x -> 0x%x  (%s)"
              % (level, index, epa, pte, M.pte_flags(pte), kind,
                 pte_ppn(pte), M.pte_pa(pte), owner))
    print("  => %s" % ("PA 0x%x (%s)" % (pa, why) if pa is not None else why))
    if pa is not None:
        owner = st.mon.owner_text(pa)
        if owner:
            print("  => the PA is " + owner)


def pte_ppn(pte):
    return (pte & M.PTE_PPN_MASK) >> 10


class Check(gdb.Command):
    """secmon check [--limit N]: the monitor's invariant checker, in Python.

Re-does monitor/ptm/ptm_check.c from the monitor's structures and the pool
bytes: free and quarantined pages zeroed and unowned; roots owned by a live
slot at level 2 with the kernel half equal to swapper's; tables of a used
slot at level 0/1; every valid entry passing the PTE rules (docs/abi.md);
count = valid entries; each linked table has exactly one parent, unlinked
ones none; per-slot page, level and leaf books (plus leaf pages, which the
C checker does not check); free and quarantine totals. Prints OK or every
violation (up to N, default 20). It runs nothing in the target: monitor
code would run under S-mode paging and PMP there."""

    def __init__(self):
        super().__init__("secmon check", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        limit = int(args[1]) if len(args) == 2 and args[0] == "--limit" else 20
        mon = State().mon
        bad = M.check(mon, table_reader(), limit)
        owned = sum(p.state in (M.PG_ROOT, M.PG_TABLE, M.PG_GROOT)
                    for p in mon.pages)
        if not bad:
            print("secmon check: OK (%d pool pages, %d owned, %d live and %d "
                  "zombie address spaces)" % (
                      mon.npages, owned,
                      sum(s.state == M.AS_LIVE for s in mon.spaces),
                      sum(s.state == M.AS_ZOMBIE for s in mon.spaces)))
            return
        print("secmon check: FAILED, %d violation%s%s" % (
            len(bad), "s" if len(bad) > 1 else "",
            " (stopped at the limit)" if len(bad) >= limit else ""))
        for b in bad:
            print("  " + b)


class Fault(gdb.Command):
    """secmon fault [ADDR]: decode the selected hart's last trap (or ADDR).

Prints mcause/mepc/mtval (the last trap into the monitor) and
scause/sepc/stval (the last trap into S-mode) with cause names and
symbols from every loaded symbol file (monitor, vmlinux, payload). For a
faulting address it says what it is: a pool page (state, level, owner
address space), monitor memory, a PA in Linux's linear map (PAGE_OFFSET
from kernel_map, when vmlinux is loaded), or a user address, translated
through the hart's satp with each table's owner named. With ADDR (say,
the address of an oops' "Unable to handle kernel paging request"), only
that address is described, the same way."""

    def __init__(self):
        super().__init__("secmon fault", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        st = State()
        hart = current_hart()
        if arg.strip():
            addr = parse_int(arg)
            print("address 0x%x %s" % (addr, symbolize(addr)))
            for line in describe_address(st, hart, addr, True):
                print("  " + line)
            return
        priv = read_reg("priv")
        print("hart %d (thread %d), priv %s, pc 0x%x %s" % (
            hart, hart + 1, PRIV.get(priv, "?"), read_reg("pc") or 0,
            symbolize(read_reg("pc") or 0)))
        for level in ("m", "s"):
            cause = read_reg(level + "cause")
            epc, tval = read_reg(level + "epc"), read_reg(level + "tval")
            if cause is None:
                print("%scause: unreadable" % level)
                continue
            print("%scause 0x%x (%s), %sepc 0x%x %s, %stval 0x%x" % (
                level, cause, M.cause_name(cause), level, epc or 0,
                symbolize(epc or 0), level, tval or 0))
            if M.tval_is_address(cause) and tval is not None:
                for line in describe_address(st, hart, tval, level == "m"):
                    print("  " + line)
        status = read_reg("mstatus")
        if status is not None:
            print("mstatus 0x%x: MPP %s, SPP %s, MPRV %d, SUM %d, TVM %d" % (
                status, PRIV.get(status >> 11 & 3, "?"),
                "S" if status >> 8 & 1 else "U", status >> 17 & 1,
                status >> 18 & 1, status >> 20 & 1))


def describe_address(st, hart, addr, maybe_physical):
    """Lines naming the physical page behind a faulting address."""
    mon, out = st.mon, []
    if maybe_physical or addr < 1 << 39 and mon.in_ram(addr, 1):
        owner = mon.owner_text(addr & ~0xFFF)
        if owner:
            out.append("as a PA: " + owner)
        elif mon.monitor[1] and mon.in_monitor(addr, 1):
            out.append("as a PA: monitor memory %s" % symbolize(addr))
    lin = linux_linear_map(st)
    if lin and addr >= lin[0]:
        pa = (addr - lin[1]) & MASK64
        what = mon.owner_text(pa & ~0xFFF)
        if what is None:
            what = ("RAM, not a pool page" if mon.in_ram(pa, 1)
                    else "outside RAM")
        out.append("Linux linear map (PAGE_OFFSET 0x%x): PA 0x%x: %s"
                   % (lin[0], pa, what))
        return out
    try:
        satp, _ = hart_satp(st, hart)
    except gdb.GdbError:
        return out
    mode, levels, _, root = M.decode_satp(satp)
    if levels and M.canonical(addr, levels):
        steps, pa, why = M.translate(table_reader(), root, levels, addr)
        out.append("through satp (%s, root 0x%x: %s): %s" % (
            mode, root, st.root_text(root, mode),
            "PA 0x%x" % pa if pa is not None else why))
        for level, index, epa, pte in steps:
            owner = mon.owner_text(epa & ~0xFFF) or "not a pool page"
            out.append("  L%d [%d] entry 0x%x = 0x%x %s (%s)" % (
                level, index, epa, pte, M.pte_flags(pte), owner))
    return out


class Catch(gdb.Command):
    """secmon catch: breakpoints on trap entries (QEMU does not stop on traps).

Sets breakpoints on the monitor's trap_entry (every trap into M-mode:
ecalls, timer, IPIs, emulated satp/sfence.vma) and trap_fatal (the monitor
itself faulted), and, if vmlinux is loaded, Linux's handle_exception (every
trap into S-mode) and die_kernel_fault ("Unable to handle kernel paging
request"). Delete them with "delete" as usual."""

    def __init__(self):
        super().__init__("secmon catch", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        specs = ["trap_entry", "trap_fatal"]
        if vmlinux_objfile() is not None:
            specs += ["handle_exception", "die_kernel_fault"]
        for spec in specs:
            try:
                bp = gdb.Breakpoint(spec)
            except (gdb.error, RuntimeError) as e:
                print("secmon catch: no breakpoint on %s: %s" % (spec, e))
                continue
            print("secmon catch: breakpoint %d on %s" % (bp.number, spec))
        if vmlinux_objfile() is None:
            print("secmon catch: no vmlinux loaded, no Linux breakpoints")


for _cmd in (Secmon, Harts, Pool, AddressSpaces, PtWalk, Check, Fault, Catch):
    _cmd()
