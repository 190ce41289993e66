"""`appliance up`: first start on an empty directory, supervision, stop,
single instance, status and health."""
import os
import re
import signal
import stat
import subprocess
import time

from conftest import binary, wait_for


def keyd_pid(appliance):
    """(pid, restarts) of keyd once it runs (never pid 0: kill(0) hits our group)."""
    def read():
        m = re.search(r"^keyd\s+\S+\s+(\d+)\s+(\d+)", appliance.status().stdout, re.M)
        return (int(m.group(1)), int(m.group(2))) if m and int(m.group(1)) > 0 else None
    return wait_for(read, what="keyd's pid")


def test_first_start_creates_token_endpoints_and_stops_cleanly(appliance):
    appliance.start()
    appliance.wait_ready()
    home = appliance.home
    pin = home / "secrets" / "token-pin"
    st = pin.stat()
    assert stat.S_IMODE(st.st_mode) == 0o600 and st.st_uid == os.geteuid()
    assert len(pin.read_text()) >= 32
    assert list((home / "token" / "tokens").iterdir()), "no token was created"
    assert appliance.endpoints() is not None
    status = appliance.status()
    assert re.search(r"^keyd\s+running\s+\d+\s+0\s+ready: token 'appliance' open", status.stdout,
                     re.M), status.stdout
    health = subprocess.run([binary("appliancectl"), "--home", str(home), "health"],
                            capture_output=True, text=True, timeout=30)
    assert health.returncode == 0 and "keyd" in health.stdout, health.stdout

    pid, _ = keyd_pid(appliance)
    started = time.monotonic()
    assert appliance.stop(signal.SIGTERM) == 0
    assert time.monotonic() - started < 5.0
    assert not os.path.exists(f"/proc/{pid}"), "keyd outlived the supervisor"
    out = appliance.output.decode()
    assert "The appliance is up" in out and "endpoints.json" in out
    assert re.search(r"^  keyd\s+ready: token 'appliance' open$", out, re.M), out


def test_second_instance_is_refused(appliance):
    appliance.start()
    appliance.wait_ready()
    second = subprocess.run([binary("appliance"), "up", "--home", str(appliance.home)],
                            capture_output=True, text=True, timeout=30)
    assert second.returncode == 1
    assert f"{appliance.home} is already in use by another 'appliance up' (pid " \
        f"{appliance.proc.pid})" in second.stderr
    assert appliance.status().returncode == 0, "the first instance was disturbed"
    assert appliance.stop() == 0


def test_crashed_daemon_is_restarted(appliance):
    appliance.start()
    appliance.wait_ready()
    pid, restarts = keyd_pid(appliance)
    assert restarts == 0
    os.kill(pid, signal.SIGKILL)
    wait_for(lambda: keyd_pid(appliance)[0] != pid and appliance.status().returncode == 0,
             what="keyd restarted and ready")
    assert keyd_pid(appliance)[1] == 1
    assert appliance.stop() == 0
    assert "daemon died" in appliance.output.decode()
    assert "killed by signal SIGKILL" in appliance.output.decode()


def test_daemons_end_with_a_killed_supervisor(appliance):
    """Each daemon keeps its parent-death signal through the privilege drop."""
    appliance.start()
    appliance.wait_ready()
    pids = [int(p) for p in re.findall(r"^\w+\s+running\s+(\d+)", appliance.status().stdout, re.M)]
    assert len(pids) >= 7, appliance.status().stdout
    appliance.proc.kill()
    appliance.proc.wait()

    def gone(pid):
        try:
            with open(f"/proc/{pid}/stat") as f:
                return f.read().split(")")[-1].split()[0] == "Z"  # a zombie has ended
        except FileNotFoundError:
            return True
    try:
        wait_for(lambda: all(gone(p) for p in pids), what="every daemon to end")
    finally:
        for pid in pids:
            if not gone(pid):
                os.kill(pid, signal.SIGKILL)


def test_hung_daemon_is_killed_by_the_watchdog_and_restarted(appliance):
    appliance.start()
    appliance.wait_ready()
    pid, _ = keyd_pid(appliance)
    os.kill(pid, signal.SIGSTOP)  # alive, but no more WATCHDOG=1
    wait_for(lambda: keyd_pid(appliance)[0] not in (pid, 0) and appliance.status().returncode == 0,
             timeout=40, what="keyd killed by the watchdog, restarted and ready")
    assert appliance.stop() == 0
    out = appliance.output.decode()
    assert "watchdog lapsed; killing daemon" in out and "killed by signal SIGKILL" in out


def test_second_start_keeps_the_token(appliance):
    appliance.start()
    appliance.wait_ready()
    pin = (appliance.home / "secrets" / "token-pin").read_bytes()
    assert appliance.stop() == 0
    appliance.start()
    appliance.wait_ready()
    assert (appliance.home / "secrets" / "token-pin").read_bytes() == pin
    assert appliance.stop() == 0


def test_wrong_pin_reports_not_ready_with_reason(appliance):
    appliance.start()
    appliance.wait_ready()
    assert appliance.stop() == 0
    (appliance.home / "secrets" / "token-pin").write_text("0" * 48)
    appliance.start()
    wait_for(lambda: "CKR_PIN_INCORRECT" in appliance.status().stdout, what="keyd's reason")
    status = appliance.status()
    assert status.returncode == 1
    assert re.search(r"^keyd\s+running.*not ready: .*CKR_PIN_INCORRECT", status.stdout, re.M), \
        status.stdout
    assert appliance.stop() == 0
    assert "0" * 48 not in appliance.output.decode(), "the PIN reached a log"


def test_daemon_that_rejects_its_configuration_is_not_restarted(appliance):
    appliance.start()
    appliance.wait_ready()
    assert appliance.stop() == 0
    conf = appliance.home / "etc" / "appliance.conf"
    conf.write_text(conf.read_text().replace("[keyd]\n", "[keyd]\ntoken_lable = typo\n"))
    appliance.start()
    wait_for(lambda: re.search(r"^keyd\s+failed", appliance.status().stdout, re.M),
             what="keyd marked failed")
    time.sleep(1.5)  # longer than the first back-off: a restart would have happened
    status = appliance.status()
    assert status.returncode == 1
    assert re.search(r"^keyd\s+failed\s+0\s+0\s+last exited with status 78", status.stdout,
                     re.M), status.stdout
    assert appliance.stop() == 0
    out = appliance.output.decode()
    assert "unknown key 'token_lable'" in out
    assert "rejected its configuration; not restarting" in out
