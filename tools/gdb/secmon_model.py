# SPDX-License-Identifier: BSD-2-Clause
"""The gdb extension's logic, free of gdb: page-table walks, the monitor's
invariant checker and the decoders. Memory comes in through a function
read_table(pa) -> 512 little-endian u64, so the unit tests
(test_secmon_model.py) can feed it a fake memory and corrupted copies.

The names and rules mirror monitor/ptm (ptm_internal.h, ptm_pte.c,
ptm_check.c) and docs/abi.md; keep them in step when those change.
"""

PAGE = 4096
PTE_V, PTE_R, PTE_W, PTE_X = 1 << 0, 1 << 1, 1 << 2, 1 << 3
PTE_U, PTE_G, PTE_A, PTE_D = 1 << 4, 1 << 5, 1 << 6, 1 << 7
PTE_HIGH_MASK = ((1 << 64) - 1) & ~((1 << 54) - 1)  # reserved, PBMT, N
PTE_PBMT_MASK = 3 << 61  # Svpbmt: 0 PMA, 1 NC, 2 IO, 3 reserved
PTE_PPN_MASK = ((1 << 44) - 1) << 10

# enum ptm_state and enum ptm_as_state (monitor/ptm/ptm_internal.h)
PG_FREE, PG_QUARANTINE, PG_ROOT, PG_TABLE, PG_GROOT = 0, 1, 2, 3, 4
PAGE_STATES = {PG_FREE: "FREE", PG_QUARANTINE: "QUARANTINE",
               PG_ROOT: "ROOT", PG_TABLE: "TABLE", PG_GROOT: "GROOT"}
GROOT_PAGES = 4  # an Sv39x4 root: four pages, 16 KiB aligned
AS_FREE, AS_LIVE, AS_ZOMBIE = 0, 1, 2
AS_STATES = {AS_FREE: "FREE", AS_LIVE: "LIVE", AS_ZOMBIE: "ZOMBIE"}

# satp MODE field: name and number of page-table levels.
SATP_MODES = {0: ("Bare", 0), 8: ("Sv39", 3), 9: ("Sv48", 4),
              10: ("Sv57", 5)}


def pte_pa(pte):
    return ((pte & PTE_PPN_MASK) >> 10) << 12


def is_table(pte):
    return bool(pte & PTE_V) and not pte & (PTE_R | PTE_W | PTE_X)


def is_leaf(pte):
    return bool(pte & PTE_V) and bool(pte & (PTE_R | PTE_W | PTE_X))


def pte_flags(pte):
    """'VRWXUGAD' with '-' for clear bits, as the priv spec orders them."""
    return "".join(c if pte >> i & 1 else "-" for i, c in enumerate("VRWXUGAD"))


def decode_satp(satp):
    """(mode name, levels, asid, root PA) of a satp value."""
    mode = satp >> 60
    name, levels = SATP_MODES.get(mode, ("mode %d?" % mode, 0))
    return name, levels, (satp >> 44) & 0xFFFF, (satp & ((1 << 44) - 1)) << 12


def handle_of(gen, root_index):
    return gen << 32 | root_index


class Page:
    """struct ptm_page"""

    def __init__(self, state=PG_FREE, level=0, linked=0, owner=0, count=0):
        self.state, self.level, self.linked = state, level, linked
        self.owner, self.count = owner, count


class Space:
    """struct ptm_as"""

    def __init__(self, gen=1, root=0, pages=0, level_pages=(0, 0, 0),
                 leaf_entries=0, state=AS_FREE, leaf_pages=0):
        self.gen, self.root, self.pages = gen, root, pages
        self.level_pages = list(level_pages)
        self.leaf_entries, self.state, self.leaf_pages = (
            leaf_entries, state, leaf_pages)


class Monitor:
    """What the extension reads from the monitor: struct ptm_db with the
    page records and address-space slots it points at (the records region),
    plus the platform facts the PTE rules use (RAM ranges, the monitor's
    window and its records region)."""

    def __init__(self, base, pages, spaces, nfree, nquarantine, locked=False,
                 kroot=(0, 0), kstart=0, kend=0, kernel_half=None,
                 ram=(), monitor=(0, 0), hart_satp=(), counters=None,
                 khole=None, mmio=(), devices=(), pbmt=False,
                 records=(0, 0)):
        self.base, self.pages, self.spaces = base, pages, spaces
        self.npages = len(pages)
        self.nfree, self.nquarantine, self.locked = nfree, nquarantine, locked
        self.kroot, self.kstart, self.kend = list(kroot), kstart, kend
        # LOCK's hole: freed image memory users may map writable (abi.md)
        self.khole = list(khole) if khole else [kend, kend]
        self.kernel_half = kernel_half or [0] * 256
        self.ram, self.monitor, self.records = list(ram), monitor, records
        # device memory the OS may map (memmap os_mmio), and the monitor's
        # own devices (memmap device), as (base, size) pairs
        self.mmio, self.devices = list(mmio), list(devices)
        self.pbmt = pbmt  # leaves may carry PBMT (every hart has Svpbmt)
        self.hart_satp = list(hart_satp)
        self.counters = counters or {}

    def pa(self, idx):
        return self.base + idx * PAGE

    def index(self, pa):
        """Pool page index of pa, or None (db_index)."""
        if self.base <= pa < self.base + self.npages * PAGE:
            return (pa - self.base) // PAGE
        return None

    def in_pool(self, pa, size):
        return overlaps(pa, size, self.base, self.npages * PAGE)

    def in_monitor(self, pa, size):
        """The monitor's window or its records (memmap_in_monitor)."""
        return (pa + size > 1 << 64 or overlaps(pa, size, *self.monitor) or
                overlaps(pa, size, *self.records))

    def in_ram(self, pa, size):
        return any(b <= pa and pa + size <= b + s for b, s in self.ram)

    def in_mmio(self, pa, size):
        return any(b <= pa and pa + size <= b + s for b, s in self.mmio)

    def in_device(self, pa, size):
        return any(overlaps(pa, size, b, s) for b, s in self.devices)

    def handle(self, slot):
        sp = self.spaces[slot]
        return handle_of(sp.gen, sp.root)

    def space_of_handle(self, handle):
        """Slot of the live or zombie AS a handle names, or None."""
        idx = handle & 0xFFFFFFFF
        for slot, sp in enumerate(self.spaces):
            if (sp.state != AS_FREE and sp.root == idx
                    and sp.gen == handle >> 32 and not handle >> 63):
                return slot
        return None

    def owner_text(self, pa):
        """One line on what the page database says about a physical page."""
        idx = self.index(pa)
        if idx is None:
            return None
        p = self.pages[idx]
        text = "pool page %d (0x%x): %s" % (idx, self.pa(idx),
                                            PAGE_STATES.get(p.state, p.state))
        if p.state in (PG_ROOT, PG_TABLE, PG_GROOT):
            sp = self.spaces[p.owner]
            text += (" level %d%s, %d valid entries, owner slot %d handle 0x%x"
                     " (%s)" % (p.level, ", linked" if p.linked else "",
                                p.count, p.owner, self.handle(p.owner),
                                AS_STATES.get(sp.state, sp.state)))
        return text


def overlaps(a, alen, b, blen):
    return alen > 0 and blen > 0 and a < b + blen and b < a + alen


# --- the PTE rules (monitor/ptm/ptm_pte.c) --------------------------------

def check_leaf(mon, level, val):
    """Why a valid leaf at level breaks the rules, or None."""
    pa, size = pte_pa(val), PAGE << (9 * level)
    if val & PTE_W and not val & PTE_R:
        return "W without R"
    if pa & (size - 1):
        return "PPN not aligned to the %d KiB leaf size" % (size >> 10)
    if not val & PTE_U or val & PTE_G:
        return "user leaf without U or with G"
    if mon.in_device(pa, size):
        return "maps the monitor's device 0x%x" % pa
    # Device memory from the tree may overlap RAM: the rules below hold
    # there too (check_target_map).
    if not mon.in_ram(pa, size) and not mon.in_mmio(pa, size):
        return "maps 0x%x, outside RAM and the OS's device memory" % pa
    if mon.in_monitor(pa, size):
        return "maps monitor memory 0x%x" % pa
    if mon.in_pool(pa, size):
        return "maps the page-table pool 0x%x" % pa
    if any(overlaps(pa, size, k, PAGE) for k in mon.kroot if k):
        return "maps a kernel root 0x%x" % pa
    if val & PTE_W and (
            overlaps(pa, size, mon.kstart, mon.khole[0] - mon.kstart) or
            overlaps(pa, size, mon.khole[1], mon.kend - mon.khole[1])):
        return "maps the kernel image writable 0x%x" % pa
    return None


def check_link(mon, slot, level, val):
    """Why a valid non-leaf in a table of level breaks the rules, or None."""
    if level == 0:
        return "table pointer at level 0"
    if val & (PTE_U | PTE_A | PTE_D | PTE_G):
        return "non-leaf with U, A, D or G"
    ci = mon.index(pte_pa(val))
    if ci is None:
        return "points outside the pool at 0x%x" % pte_pa(val)
    c = mon.pages[ci]
    if c.state != PG_TABLE or c.owner != slot or c.level != level - 1:
        return ("points at pool page %d (%s, owner %d, level %d), not a "
                "level-%d table of slot %d" % (
                    ci, PAGE_STATES.get(c.state, c.state), c.owner, c.level,
                    level - 1, slot))
    return None


def check_entry(mon, slot, level, val):
    """pte_check_new() for an entry already in place (old == new)."""
    if not val & PTE_V:
        return None
    high = val & PTE_HIGH_MASK
    if mon.pbmt and not is_table(val):
        if val & PTE_PBMT_MASK == PTE_PBMT_MASK:
            return "reserved PBMT value 3"
        high &= ~PTE_PBMT_MASK
    if high:
        return "reserved, PBMT or N bits set"
    if is_table(val):
        return check_link(mon, slot, level, val)
    return check_leaf(mon, level, val)


# --- the invariant checker (monitor/ptm/ptm_check.c) ----------------------

def check(mon, read_table, limit=20):
    """Every violation ptm_check() would find (it stops at the first; this
    goes on, up to limit), plus the leaf_pages books ptm_check leaves
    unchecked. Returns a list of messages; empty means OK."""
    bad = []
    nspace = len(mon.spaces)
    pages = [0] * nspace
    level_pages = [[0, 0, 0] for _ in range(nspace)]
    leaf_entries = [0] * nspace
    leaf_pages = [0] * nspace
    parents = [0] * mon.npages
    nfree = nquarantine = 0
    for idx, p in enumerate(mon.pages):
        if len(bad) >= limit:
            return bad
        if p.state in (PG_FREE, PG_QUARANTINE):
            if p.owner or p.count or p.linked or any(read_table(mon.pa(idx))):
                bad.append("page %d: unowned but not clean" % idx)
            nfree += p.state == PG_FREE
            nquarantine += p.state == PG_QUARANTINE
            continue
        if p.owner >= nspace:
            bad.append("page %d: owner slot %d out of range" % (idx, p.owner))
            continue
        sp = mon.spaces[p.owner]
        if p.state == PG_ROOT:
            if sp.state != AS_LIVE or sp.root != idx or p.level != 2:
                bad.append("page %d: root of slot %d which does not own it"
                           % (idx, p.owner))
                continue
        elif p.state == PG_GROOT:
            if (sp.state != AS_LIVE or sp.root % GROOT_PAGES or
                    not sp.root <= idx < sp.root + GROOT_PAGES or
                    p.level != 2):
                bad.append("page %d: G-stage root page of slot %d which "
                           "does not own it" % (idx, p.owner))
                continue
        elif p.state == PG_TABLE:
            if sp.state == AS_FREE or p.level > 1:
                bad.append("page %d: table of free slot %d or bad level %d"
                           % (idx, p.owner, p.level))
                continue
        else:
            bad.append("page %d: unknown state %d" % (idx, p.state))
            continue
        pages[p.owner] += 1
        level_pages[p.owner][p.level] += 1
        table = read_table(mon.pa(idx))
        valid = 0
        for i, val in enumerate(table):
            valid += val & PTE_V
            if p.state == PG_ROOT and i >= 256:
                if val != mon.kernel_half[i - 256]:
                    bad.append("page %d: root kernel slot %d differs from "
                               "swapper" % (idx, i))
                continue
            why = check_entry(mon, p.owner, p.level, val)
            if why:
                bad.append("page %d slot %d: entry 0x%x breaks a rule: %s"
                           % (idx, i, val, why))
            ci = mon.index(pte_pa(val)) if is_table(val) else None
            if ci is not None:
                parents[ci] += 1
            if is_leaf(val):
                leaf_entries[p.owner] += 1
                leaf_pages[p.owner] += 1 << (9 * p.level)
        if valid != p.count:
            bad.append("page %d: count %d but %d valid entries"
                       % (idx, p.count, valid))
    for idx, p in enumerate(mon.pages):
        want = 1 if p.state == PG_TABLE and p.linked else 0
        if parents[idx] != want:
            bad.append("page %d: %d parents, linked flag %d"
                       % (idx, parents[idx], p.linked))
    for s, sp in enumerate(mon.spaces):
        if sp.pages != pages[s] or sp.leaf_entries != leaf_entries[s]:
            bad.append("slot %d: books say %d pages/%d leaves, pool has %d/%d"
                       % (s, sp.pages, sp.leaf_entries, pages[s],
                          leaf_entries[s]))
        for lvl in range(3):
            if sp.level_pages[lvl] != level_pages[s][lvl]:
                bad.append("slot %d: level %d count wrong" % (s, lvl))
        if sp.leaf_pages != leaf_pages[s]:
            bad.append("slot %d: books say %d leaf pages, pool has %d "
                       "(not checked by ptm_check)"
                       % (s, sp.leaf_pages, leaf_pages[s]))
        if ((sp.state == AS_FREE and sp.pages) or
                (sp.state == AS_ZOMBIE and
                 (not sp.pages or sp.level_pages[2]))):
            bad.append("slot %d: state %d with %d pages"
                       % (s, sp.state, sp.pages))
    if nfree != mon.nfree or nquarantine != mon.nquarantine:
        bad.append("free %d/%d, quarantine %d/%d"
                   % (nfree, mon.nfree, nquarantine, mon.nquarantine))
    return bad[:limit]


# --- page-table walks -----------------------------------------------------

class Walk:
    """Totals of one walk, in the units of STATS (docs/abi.md)."""

    def __init__(self, levels):
        self.levels = levels
        self.tables = [0] * levels  # table pages per level
        self.leaf_entries = 0
        self.leaf_pages = 0  # 4 KiB units
        self.user_leaf_pages = 0
        self.violations = []
        self.notes = []
        self.table_list = []  # (level, pa, first VA, valid entries, leaves)

    @property
    def table_pages(self):
        return sum(self.tables)

    def summary(self):
        """The six lines (more for Sv48/Sv57) the issue specifies."""
        lines = ["Level %d (VPN[%d]) pages: %d" % (lvl, lvl, self.tables[lvl])
                 for lvl in reversed(range(self.levels))]
        lines.append("Total page table pages: %d (size = %d KiB)"
                     % (self.table_pages, self.table_pages * 4))
        lines.append("Total leaf data pages: %d (bitmap size = %d bytes)"
                     % (self.leaf_pages, (self.leaf_pages + 7) // 8))
        lines.append("Total user leaf pages: %d" % self.user_leaf_pages)
        return lines


def walk(read_table, root, levels, mon=None, kernel_half=False):
    """Walk the tree at root (levels 3/4/5 for Sv39/48/57).

    By default only the user half (root slots 0-255) is walked, as STATS
    counts: the kernel half is swapper's, shared by every process. With
    kernel_half, slots 256-511 are walked and counted too.

    With mon (the page database), every table is checked against it when
    the root is a pool page; a root outside the pool is an unprotected
    address space, whose tables are not the monitor's business.
    """
    w = Walk(levels)
    slot = None
    if mon is not None:
        ridx = mon.index(root)
        if ridx is None:
            w.notes.append("root is not a pool page: unprotected address "
                           "space; ownership checks skipped")
        elif mon.pages[ridx].state != PG_ROOT:
            w.violations.append("root 0x%x is pool page %d in state %s, not "
                                "a ROOT" % (root, ridx, PAGE_STATES.get(
                                    mon.pages[ridx].state)))
        else:
            slot = mon.pages[ridx].owner
            w.notes.append("root is pool page %d: address space slot %d, "
                           "handle 0x%x" % (ridx, slot, mon.handle(slot)))
    seen = set()

    def visit(pa, level, user, va):
        if pa in seen:
            w.violations.append("table 0x%x is linked twice" % pa)
            return
        seen.add(pa)
        w.tables[level] += 1
        entry = len(w.table_list)  # pre-order; counts filled in below
        w.table_list.append(None)
        if slot is not None and pa != root:
            own = owner_problem(mon, pa, level, slot, levels)
            if own:
                w.violations.append("table 0x%x (level %d): %s"
                                    % (pa, level, own))
        table = read_table(pa)
        nvalid = nleaf = 0
        top = level == levels - 1
        for i, pte in enumerate(table):
            if top and i >= 256 and not kernel_half:
                break
            if not pte & PTE_V:
                continue
            nvalid += 1
            in_user = user and not (top and i >= 256)
            where = "table 0x%x (level %d) slot %d" % (pa, level, i)
            if is_table(pte):
                if level == 0:
                    w.violations.append("%s: table pointer at level 0" % where)
                    continue
                visit(pte_pa(pte), level - 1, in_user,
                      sign_extend(va + (i << (12 + 9 * level)), levels))
                continue
            nleaf += 1
            pages = 1 << (9 * level)
            w.leaf_entries += 1
            w.leaf_pages += pages
            if pte & PTE_U:
                w.user_leaf_pages += pages
            if in_user:
                why = leaf_problem(mon, level, pte, levels)
                if why:
                    w.violations.append("%s: leaf 0x%x %s" % (where, pte, why))
        w.table_list[entry] = (level, pa, va, nvalid, nleaf)

    visit(root, levels - 1, True, 0)
    return w


def sign_extend(va, levels):
    """The canonical form of a VA of 12 + 9 * levels bits."""
    bits = 12 + 9 * levels
    va &= (1 << bits) - 1
    return va | (((1 << 64) - 1) & ~((1 << bits) - 1)) if va >> (bits - 1) \
        else va


def owner_problem(mon, pa, level, slot, levels):
    """What is wrong with a table of a protected AS, per the database."""
    idx = mon.index(pa)
    if idx is None:
        return "outside the pool"
    p = mon.pages[idx]
    if p.state != PG_TABLE:
        return "pool page %d is %s, not a TABLE" % (
            idx, PAGE_STATES.get(p.state, p.state))
    if p.owner != slot:
        return "owned by slot %d (handle 0x%x), not slot %d" % (
            p.owner, mon.handle(p.owner), slot)
    if levels == 3 and p.level != level:
        return "the database says level %d" % p.level
    if not p.linked:
        return "reached by a link but its linked flag is 0"
    return None


def leaf_problem(mon, level, pte, levels):
    """The user-half leaf rules that make sense without the database too."""
    if not pte & PTE_U:
        return "has U=0 in the user half"
    if pte & PTE_W and not pte & PTE_R:
        return "has W without R"
    if pte_pa(pte) & ((PAGE << (9 * level)) - 1):
        return "is a misaligned superpage"
    if mon is None:
        return None
    size = PAGE << (9 * level)
    if (mon.monitor[1] or mon.records[1]) and mon.in_monitor(pte_pa(pte),
                                                              size):
        return "maps monitor memory"
    if mon.npages and mon.in_pool(pte_pa(pte), size):
        return "maps the page-table pool"
    return None


def translate(read_table, root, levels, va):
    """The walk of one VA: a list of (level, index, entry PA, PTE) and the
    final PA (None if the walk faults), plus why it stopped."""
    steps = []
    pa = root
    for level in reversed(range(levels)):
        index = va >> (12 + 9 * level) & 511
        pte = read_table(pa)[index]
        steps.append((level, index, pa + index * 8, pte))
        if not pte & PTE_V:
            return steps, None, "invalid entry (V=0): page fault"
        if is_leaf(pte):
            off = va & ((PAGE << (9 * level)) - 1)
            return steps, pte_pa(pte) + off, "leaf at level %d" % level
        pa = pte_pa(pte)
    return steps, None, "no leaf at level 0: page fault"


def canonical(va, levels):
    """Is va sign-extended from bit 12 + 9 * levels - 1?"""
    bits = 12 + 9 * levels
    top = va >> (bits - 1)
    return top == 0 or top == (1 << (65 - bits)) - 1


# --- trap causes (priv spec v1.12, Tables 3.6 and 4.2) --------------------

EXCEPTIONS = {
    0: "instruction address misaligned", 1: "instruction access fault",
    2: "illegal instruction", 3: "breakpoint", 4: "load address misaligned",
    5: "load access fault", 6: "store/AMO address misaligned",
    7: "store/AMO access fault", 8: "ecall from U-mode",
    9: "ecall from S-mode", 11: "ecall from M-mode",
    12: "instruction page fault", 13: "load page fault",
    15: "store/AMO page fault", 18: "software check", 19: "hardware error"}
INTERRUPTS = {1: "S software interrupt", 3: "M software interrupt",
              5: "S timer interrupt", 7: "M timer interrupt",
              9: "S external interrupt", 11: "M external interrupt",
              13: "counter overflow interrupt"}


def cause_name(cause):
    if cause >> 63:
        return INTERRUPTS.get(cause & 0xFF, "interrupt %d" % (cause & 0xFF))
    return EXCEPTIONS.get(cause, "exception %d" % cause)


def tval_is_address(cause):
    """Does the cause put a faulting address in xtval?"""
    return not cause >> 63 and cause in (0, 1, 4, 5, 6, 7, 12, 13, 15)


HSM_STATES = {0: "STARTED", 1: "STOPPED", 2: "START_PENDING",
              3: "STOP_PENDING", 4: "SUSPENDED", 5: "SUSPEND_PENDING",
              6: "RESUME_PENDING", 100: "START_PENDING (claimed)"}
# HART_MSG_* in monitor/hart/hart.h
MAILBOX_BITS = ["SSIP", "FENCE_I", "SFENCE_VMA", "WAKE", "RESYNC"]


def mailbox_text(bits):
    names = [n for i, n in enumerate(MAILBOX_BITS) if bits >> i & 1]
    rest = bits & ~((1 << len(MAILBOX_BITS)) - 1)
    if rest:
        names.append("0x%x" % rest)
    return "|".join(names) or "none"
