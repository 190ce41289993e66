#!/usr/bin/env python3
"""Each folder a unit may write under the state directory's run/ is made by
tmpfiles.d/appliance.conf before the unit starts (systemd refuses to start a
unit whose ReadWritePaths does not exist), owned by the unit's own user, a
user of services/common/users.txt."""
import pathlib
import re
import sys

here = pathlib.Path(__file__).resolve().parent
users = set((here.parent / "services" / "common" / "users.txt").read_text().split())
made = {}
for line in (here / "tmpfiles.d" / "appliance.conf").read_text().splitlines():
    if line.strip() and not line.startswith("#"):
        kind, path, mode, user, group, _age = line.split()
        made[path] = (kind, mode, user, group)

faults = []
for unit in sorted((here / "units").glob("*.service")):
    text = unit.read_text()
    user = re.search(r"^User=(\S+)", text, re.M)
    for rw in re.findall(r"^ReadWritePaths=(.*)$", text, re.M):
        for path in rw.split():
            if not path.startswith("/var/lib/appliance/run/health/"):
                continue
            want = ("d", "0755", user.group(1) if user else "root")
            got = made.get(path)
            if got is None:
                faults.append(f"{unit.name}: {path} is not made by tmpfiles.d/appliance.conf")
            elif got[:3] != want:
                faults.append(f"{unit.name}: {path} is made as {got[:3]}, not {want}")
            elif want[2] not in users:
                faults.append(f"{unit.name}: user {want[2]} is not in users.txt")
for path, (_, _, user, _) in made.items():
    if user != "root" and user not in users:
        faults.append(f"tmpfiles.d/appliance.conf: {path}: user {user} is not in users.txt")
print("\n".join(faults) or f"{len(made)} folders, every unit's health folder made")
sys.exit(1 if faults else 0)
