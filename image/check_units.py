#!/usr/bin/env python3
"""Every daemon that runs worker threads (net::Workers, directly or through
net::MailBase) lowers them to SCHED_BATCH (services/net/workers.cpp), so its
unit must allow sched_setscheduler, which its filter otherwise denies with
@resources: without it the daemon would be killed at start (SIGSYS)."""
import pathlib
import re
import sys

here = pathlib.Path(__file__).resolve().parent
services = here.parent / "services"
with_workers = sorted({p.parent.name for p in services.glob("*/*.cpp")
                       if p.parent.name != "net" and not p.name.endswith("_test.cpp")
                       and re.search(r"net::Workers|MailBase::open", p.read_text())})
faults = []
for daemon in with_workers:
    unit = here / "units" / f"{daemon}.service"
    if not unit.exists():
        faults.append(f"{daemon} runs workers but has no unit {unit.name}")
    elif not re.search(r"^SystemCallFilter=sched_setscheduler$", unit.read_text(), re.M):
        faults.append(f"{unit.name}: {daemon} runs workers; SystemCallFilter=sched_setscheduler missing")
print("\n".join(faults) or f"{', '.join(with_workers)}: each unit allows sched_setscheduler")
sys.exit(1 if faults else 0)
