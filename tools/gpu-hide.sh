#!/usr/bin/env bash
# Runs a command with this machine's packages cut down to what the GPU machine has: every
# installed Debian package that is not in the bundle's base.txt (tools/gpu-bundle.sh), nor
# Essential, nor of priority "required", is hidden. CI runs `tools/gpu-check.sh --build-only`
# this way, so that a package the build needs and the bundle lacks fails here, not on the GPU
# machine.
# How: in a private mount namespace (unshare -m; root), /usr and /etc are overlaid with a
# whiteout over each hidden package's files (a whole folder where the folder holds nothing of a
# kept package). Nothing outside the namespace changes. Files no package owns (/usr/local,
# where the CUDA toolkit lives) stay.
# usage: tools/gpu-hide.sh [--bundle DIR] COMMAND [ARGS...]    (default DIR: gpu-bundle/)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bundle=$root/gpu-bundle
if [[ ${1:-} == --bundle ]]; then bundle=$2; shift 2; fi
(($#)) || { echo "usage: tools/gpu-hide.sh [--bundle DIR] COMMAND [ARGS...]" >&2; exit 2; }
if [[ ! -r $bundle/base.txt ]]; then
  echo "gpu-hide: $bundle/base.txt not found: run tools/gpu-bundle.sh" >&2
  exit 2
fi
[[ $(id -u) -eq 0 ]] || { echo "gpu-hide: needs root (a mount namespace and overlays)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$bundle/base.txt" "$work" <<'EOF'
import glob, os, stat, sys

base_file, work = sys.argv[1], sys.argv[2]
keep = set(open(base_file).read().split())
depends, provides = {}, {}  # of the installed packages
for stanza in open("/var/lib/dpkg/status").read().split("\n\n"):
    fields = dict(line.split(": ", 1) for line in stanza.splitlines() if ": " in line[:40])
    if "install ok installed" not in fields.get("Status", ""):
        continue
    name = fields["Package"]
    depends[name] = ",".join(fields.get(f, "") for f in ("Pre-Depends", "Depends"))
    for virtual in fields.get("Provides", "").split(","):
        if virtual.strip():
            provides.setdefault(virtual.split("(")[0].strip(), set()).add(name)
    if fields.get("Essential") == "yes" or fields.get("Priority") == "required":
        keep.add(name)
installed = set(depends)
todo = list(keep & installed)  # what the kept packages depend on is kept too
while todo:
    for group in depends[todo.pop()].split(","):
        for choice in group.split("|"):
            name = choice.split("(")[0].strip().split(":")[0]
            for package in ({name} & installed) | provides.get(name, set()):
                if package not in keep:
                    keep.add(package)
                    todo.append(package)
hidden = installed - keep

def usr(path):  # /lib, /bin, /sbin are links into /usr (merged /usr)
    for top in ("/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin"):
        if path == top or path.startswith(top + "/"):
            return "/usr" + path
    return path

owners = {}
for listing in glob.glob("/var/lib/dpkg/info/*.list"):
    package = os.path.basename(listing)[: -len(".list")].split(":")[0]
    for line in open(listing, errors="replace"):
        owners.setdefault(usr(line.rstrip("\n")), set()).add(package)
kept_folders = set()  # every folder above a file of a kept package
for path, packages in owners.items():
    if packages - hidden:
        while path not in ("/", ""):
            kept_folders.add(path)
            path = os.path.dirname(path)
count = 0
for path in sorted(owners):
    if not (owners[path] <= hidden) or path in kept_folders:
        continue
    if not (path.startswith("/usr/") or path.startswith("/etc/")):
        continue
    if not os.path.lexists(path):
        continue
    parent, covered = os.path.dirname(path), False
    while parent not in ("/usr", "/etc", "/"):
        if parent in owners and owners[parent] <= hidden and parent not in kept_folders:
            covered = True  # a whiteout over a folder above hides it
            break
        parent = os.path.dirname(parent)
    if covered:
        continue
    top, rest = path[1:].split("/", 1)
    white = os.path.join(work, top, "upper", rest)
    os.makedirs(os.path.dirname(white), exist_ok=True)
    os.mknod(white, stat.S_IFCHR | 0o600, os.makedev(0, 0))
    count += 1
print(f"gpu-hide: {len(hidden)} of {len(installed)} installed packages hidden ({count} whiteouts)")
EOF
for top in usr etc; do mkdir -p "$work/$top/upper" "$work/$top/work"; done
unshare -m --propagation private bash -c '
  for top in usr etc; do
    mount -t overlay overlay -o "lowerdir=/$top,upperdir=$0/$top/upper,workdir=$0/$top/work" "/$top"
  done
  exec "$@"' "$work" "$@"
