#!/usr/bin/env python3
"""Code size per crate/module of a wasm file with a name section (the
pre-wasm-opt build in target/wasm32-unknown-unknown/release/, or better
that build after `wasm-bindgen --target web --out-dir DIR`, which drops
the code only its CLI reads): which
dependency or module costs how many bytes of function bodies.

usage: wasm-breakdown.py FILE [DEPTH [GROUP]]
  DEPTH: path segments to group by (default 1); GROUP: list that group's
  largest functions instead. Legacy (stable) and v0 (nightly) symbols.
"""
import re, sys
from collections import Counter

def leb(data, pos):
    result = shift = 0
    while True:
        byte = data[pos]; pos += 1
        result |= (byte & 0x7f) << shift; shift += 7
        if byte < 0x80: return result, pos

def sections(data):
    pos = 8
    while pos < len(data):
        sid = data[pos]; size, pos = leb(data, pos + 1)
        yield sid, data[pos:pos + size]; pos += size

ESCAPES = {'$LT$': '<', '$GT$': '>', '$u20$': ' ', '$RF$': '&', '$BP$': '*',
           '$C$': ',', '$u7b$': '{', '$u7d$': '}', '$u5b$': '[', '$u5d$': ']',
           '$u27$': "'", '$LP$': '(', '$RP$': ')', '$u3b$': ';', '$u21$': '!'}

def demangle_segment(segment):
    for code, text in ESCAPES.items():
        segment = segment.replace(code, text)
    return segment.replace('..', '::').lstrip('_')

V0_IDENT = re.compile(r'C(?:s[0-9A-Za-z]*_)?(\d+)_?|(?<=[A-Za-z])(\d+)_?')

def v0_path_of(name):
    """Crate and following identifiers of a v0-mangled symbol (`_R...`):
    the first crate root and the names after it, in order."""
    segments, pos, seen_crate, last_end = [], 2, False, -1
    while pos < len(name):
        m = re.compile(r'C(?:s[0-9A-Za-z]*_)?(\d+)_?').match(name, pos)
        if m:
            n = int(m.group(1)); start = m.end(); ident = name[start:start + n]
            if not seen_crate:
                segments.append(ident); seen_crate = True
            pos = last_end = start + n; continue
        m = re.compile(r'(\d+)_?').match(name, pos)
        if m and seen_crate and (pos == last_end or name[pos - 1] in 'tvCNs_'):
            n = int(m.group(1)); start = m.end()
            segments.append(name[start:start + n]); pos = last_end = start + n; continue
        pos += 1
    return segments or [name]

def path_of(name):
    """Path segments of a legacy-mangled Rust symbol; `<T as Trait>` is
    attributed to T's crate when T is a path, else to the trait's."""
    if name.startswith('_R'):
        return v0_path_of(name)
    if re.search(r'\[[0-9a-f]{16}\]', name):
        # Demangled by wasm-bindgen: `<crate[hash]::path::Type as Trait>::f`.
        plain = re.sub(r'\[[0-9a-f]{16}\]', '', name).lstrip('<&* ')
        plain = re.sub(r'^(mut |dyn |_ as )+', '', plain)
        return [part for part in re.split(r'::|<| as ', plain.split('>')[0]) if part][:8]
    if not name.startswith('_ZN'):
        return [name.split('::')[0].split('(')[0]]
    pos, segments = 3, []
    while pos < len(name) and name[pos].isdigit():
        digits = re.match(r'\d+', name[pos:]).group(); pos += len(digits)
        segments.append(demangle_segment(name[pos:pos + int(digits)])); pos += int(digits)
    if segments and segments[0].startswith('<'):
        inner = segments[0][1:-1]
        target, _, trait_ = inner.partition(' as ')
        target = target.lstrip('&* ').removeprefix('mut ').removeprefix('dyn ')
        head = target if '::' in target else trait_
        segments = head.split('<')[0].split('::') + segments[1:]
    return [s for s in segments if s and not re.fullmatch(r'h[0-9a-f]{16}', s)]

def main():
    data = open(sys.argv[1], 'rb').read()
    depth = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    imported = 0; bodies = []; names = {}
    for sid, body in sections(data):
        if sid == 2:
            count, p = leb(body, 0)
            for _ in range(count):
                for _ in range(2):
                    n, p = leb(body, p); p += n
                kind = body[p]; p += 1
                if kind == 0: _, p = leb(body, p); imported += 1
                elif kind == 1: p += 1; flags, p = leb(body, p); _, p = leb(body, p); p = leb(body, p)[1] if flags & 1 else p
                elif kind == 2: flags, p = leb(body, p); _, p = leb(body, p); p = leb(body, p)[1] if flags & 1 else p
                elif kind == 3: p += 2
                else: _, p = leb(body, p)
        elif sid == 10:
            count, p = leb(body, 0)
            for _ in range(count):
                size, p = leb(body, p); bodies.append(size); p += size
        elif sid == 0:
            n, p = leb(body, 0); name = body[p:p + n].decode(errors='replace'); p += n
            if name != 'name': continue
            while p < len(body):
                sub = body[p]; size, p = leb(body, p + 1); end = p + size
                if sub == 1:
                    count, q = leb(body, p)
                    for _ in range(count):
                        idx, q = leb(body, q); n, q = leb(body, q)
                        names[idx] = body[q:q + n].decode(errors='replace'); q += n
                p = end
    groups = Counter(); members = Counter()
    only = sys.argv[3] if len(sys.argv) > 3 else None
    for i, size in enumerate(bodies):
        name = names.get(i + imported, '?')
        parts = path_of(name)
        group = '::'.join(parts[:depth]) or '?'
        groups[group] += size
        if group == only:
            members[name] += size
    if only is not None:
        for name, size in members.most_common(40):
            print(f'{size:>9} {name}')
        return
    total = sum(bodies)
    print(f'{total:>9} total function bodies ({len(bodies)} functions)')
    for key, size in groups.most_common(40):
        print(f'{size:>9} {100*size/total:5.1f}% {key}')

main()
