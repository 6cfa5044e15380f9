# A scratch dpkg admin dir the size of a desktop's, for bench/package-query.sh: the real packages
# (status and file lists) plus copies of them under new names, whose files lie under /simN/...
# Usage: python3 bench/dpkg-db-sim.py DIR PACKAGES
import os, re, shutil, sys
src = '/var/lib/dpkg'
dst, target = sys.argv[1], int(sys.argv[2])
shutil.rmtree(dst, ignore_errors=True)
os.makedirs(dst + '/info'); os.makedirs(dst + '/updates')
shutil.copy(f'{src}/info/format', f'{dst}/info/format')
for f in ('available', 'diversions', 'statoverride'):
    if os.path.exists(f'{src}/{f}'): shutil.copy(f'{src}/{f}', f'{dst}/{f}')
status = open(f'{src}/status').read()
stanzas = [s for s in status.split('\n\n') if s.strip()]
installed = [s for s in stanzas if re.search(r'^Status: install ok installed', s, re.M)]
out = list(stanzas)
for s in installed:
    name = re.search(r'^Package: (.+)$', s, re.M).group(1)
    arch = re.search(r'^Architecture: (.+)$', s, re.M)
    for suffix in (f'{name}:{arch.group(1)}.list' if arch else None, f'{name}.list'):
        if suffix and os.path.exists(f'{src}/info/{suffix}'):
            shutil.copy(f'{src}/info/{suffix}', f'{dst}/info/{suffix}'); break
n, copy = len(installed), 0
while n < target:
    copy += 1
    for s in installed:
        if n >= target: break
        name = re.search(r'^Package: (.+)$', s, re.M).group(1)
        lst = None
        for cand in (f'{name}:amd64.list', f'{name}.list'):
            if os.path.exists(f'{src}/info/{cand}'): lst = cand; break
        if lst is None: continue
        new = f'{name}-sim{copy}'
        st = re.sub(r'^Package: .+$', f'Package: {new}', s, count=1, flags=re.M)
        st = re.sub(r'^Architecture: .+$', 'Architecture: all', st, count=1, flags=re.M)
        st = '\n'.join(l for l in st.split('\n') if not re.match(r'^(Depends|Pre-Depends|Conflicts|Breaks|Replaces|Provides|Recommends|Suggests|Conffiles|Multi-Arch)', l) and not l.startswith(' '))
        out.append(st)
        with open(f'{src}/info/{lst}') as a, open(f'{dst}/info/{new}.list', 'w') as b:
            for line in a:
                line = line.rstrip('\n')
                b.write((line if line in ('/.', '/usr', '/usr/share', '/usr/bin', '/usr/lib', '/etc') else line.replace('/', f'/sim{copy}/', 1) if line.startswith('/') else line) + '\n')
        n += 1
open(f'{dst}/status', 'w').write('\n\n'.join(out) + '\n')
print(n, 'packages')
