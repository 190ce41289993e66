"""updated under the supervisor: started with the others as its own user,
idle and ready by default; the store check the supervisor runs at start
leaves a verdict of this boot, which updated's health gate reads (updated
itself never opens the store); a reboot request is shown by `appliance
status`."""
import json
import os
import pwd
import re

import pytest

from conftest import appliancectl, wait_for

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (keyd administration)")


def boot_id():
    with open("/proc/sys/kernel/random/boot_id") as f:
        return f.read().strip()


def verdict(appliance):
    path = appliance.home / "run" / "store-check.json"
    return json.loads(path.read_text()) if path.exists() else None


def updated_status(appliance):
    try:
        return json.loads((appliance.home / "update" / "status.json").read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def slot_b_on_trial(appliance):
    """The state after a reboot into slot b, which has not passed the gate yet."""
    slots = appliance.home / "update" / "slots"
    slots.mkdir(parents=True)
    state = {"active": 1, "booted": 1, "security_floor": 2, "slots": [
        {"security_version": 2, "status": "good", "tries_left": 0, "version": "1.0"},
        {"security_version": 3, "status": "trying", "tries_left": 2, "version": "2.0"}]}
    (slots / "state.json").write_text(json.dumps(state))
    pw = pwd.getpwnam("appliance-updated")
    for path in (slots, slots / "state.json"):
        os.chown(path, pw.pw_uid, pw.pw_gid)


def test_updated_is_supervised_idle_and_ready(appliance):
    appliance.start()
    appliance.wait_ready()
    status = appliance.status()
    assert re.search(r"^updated\s+running\s+\d+\s+0\s+ready: idle: no metadata_url configured",
                     status.stdout, re.M), status.stdout
    pid = int(re.search(r"^updated\s+running\s+(\d+)", status.stdout, re.M).group(1))
    with open(f"/proc/{pid}/status") as f:
        uid = int(re.search(r"^Uid:\s+(\d+)", f.read(), re.M).group(1))
    assert uid == pwd.getpwnam("appliance-updated").pw_uid
    assert "[updated]\nuser = appliance-updated\n" in (
        appliance.home / "etc" / "appliance.conf").read_text()
    assert appliance.stop() == 0


def test_the_store_check_verdict_reaches_the_update_gate(appliance):
    appliance.start()
    appliance.wait_ready()
    wait_for(lambda: verdict(appliance), timeout=60, what="the store check at start")
    v = verdict(appliance)
    assert v["boot_id"] == boot_id() and v["result"] == "ok", v
    assert v["reason"] in ("0 tenants checked, 0 with faults", "no store yet"), v
    assert oct((appliance.home / "run" / "store-check.json").stat().st_mode & 0o777) == "0o644"
    # The job's run is recorded when the command has exited, a moment after its verdict.
    def job_done():
        path = appliance.home / "run" / "jobs.json"
        return path.exists() and json.loads(path.read_text())["store-check"]["last"] == "ok"
    wait_for(job_done, timeout=30, what="the store-check job recorded as done")
    assert appliance.stop() == 0

    # Booted into slot b, on trial; a verdict of an earlier boot does not count.
    slot_b_on_trial(appliance)
    with open(appliance.home / "etc" / "appliance.conf", "a") as conf:
        conf.write("metadata_url = file:///nonexistent/metadata/\n"
                   "target_base_url = file:///nonexistent/targets/\n"
                   "first_check_delay = 86400\ngate_timeout = 3600\n")
    stale = dict(v, boot_id="00000000-0000-0000-0000-000000000000", reason="an earlier boot")
    (appliance.home / "run" / "store-check.json").write_text(json.dumps(stale))
    appliance.start()
    appliance.wait_ready()

    # The supervisor's job writes this boot's verdict; every daemon, keyd among
    # them, leaves a health report updated may read as its own user: the gate
    # passes and slot b is committed.
    def committed():
        st = updated_status(appliance)
        return st and "committed" in st["boot"] and st["boot"]
    boot = wait_for(committed, timeout=90, what="the health gate to pass")
    assert "slot b committed" in boot, boot
    assert verdict(appliance)["boot_id"] == boot_id()
    state = json.loads((appliance.home / "update" / "slots" / "state.json").read_text())
    assert state["slots"][1]["status"] == "good" and state["security_floor"] == 3, state
    for name in ("keyd", "smtpd", "deliverd", "pop3d", "imapd", "webd", "updated"):
        report = appliance.home / "run" / "health" / name / "health.json"
        assert json.loads(report.read_text())["ready"] is True, name
        owner = pwd.getpwuid(report.stat().st_uid).pw_name
        assert owner == f"appliance-{name}", (name, owner)

    # A reboot request is only shown in development.
    request = appliance.home / "update" / "reboot-request"
    request.write_text("slot b marked bad (health gate failed); reboot into slot a\n")
    status = appliance.status()
    assert ("reboot requested: slot b marked bad (health gate failed); reboot into slot a"
            in status.stdout), status.stdout
    assert appliance.stop() == 0


def test_a_store_check_that_cannot_run_leaves_a_failed_verdict(appliance):
    appliance.start()
    appliance.wait_ready()
    assert appliance.stop() == 0
    (appliance.home / "run" / "store-check.json").unlink(missing_ok=True)
    r = appliancectl(appliance, "store", "check", "--verdict")
    assert r.returncode == 1
    v = verdict(appliance)
    assert v["result"] == "failed" and v["boot_id"] == boot_id(), v
    assert v["reason"].startswith("keyd is not running"), v
    refused = appliancectl(appliance, "store", "check", "--verdict", "--tenant", "acme")
    assert refused.returncode != 0 and "excludes" in refused.stderr, refused.stderr
