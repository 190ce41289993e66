"""The retention job: `appliancectl retention run` applies the [accounts]
limits, and the supervisor runs it as soon as every daemon is up."""
import json
import os

import pytest

from conftest import appliancectl, appliancectl_ok, wait_for

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (keyd administration)")


ctl = appliancectl
ok = appliancectl_ok


def exists(appliance, address):
    return ctl(appliance, "accounts", "show", address).returncode == 0


def job_runs(appliance):
    """Runs of the retention job finished since the supervisor started."""
    path = appliance.home / "run" / "jobs.json"
    return json.loads(path.read_text())["retention"]["runs"] if path.exists() else 0


def start_and_wait_for_the_job(appliance):
    (appliance.home / "run" / "jobs.json").unlink(missing_ok=True)
    appliance.start()
    appliance.wait_ready()
    wait_for(lambda: job_runs(appliance) == 1, timeout=60, what="the retention job at start")
    status = json.loads((appliance.home / "run" / "jobs.json").read_text())["retention"]
    assert status["last"] == "ok", status


def test_retention_run_and_the_daily_job(appliance):
    start_and_wait_for_the_job(appliance)
    ok(appliance, "tenants", "add", "acme")
    ok(appliance, "domains", "add", "example.test", "--tenant", "acme")
    for user in ("kept", "closed", "later"):
        ok(appliance, "accounts", "add", f"{user}@example.test")
    ok(appliance, "accounts", "close", "closed@example.test")

    # The default keeps a closed account 30 days.
    out = ok(appliance, "retention", "run")
    assert "0 accounts closed 30 days ago or more destroyed" in out, out
    assert exists(appliance, "closed@example.test")

    with open(appliance.home / "etc" / "appliance.conf", "a") as conf:
        conf.write("\n[accounts]\nclosed_account_days = 0\nlogin_log_days = 30\n")
    out = ok(appliance, "retention", "run")
    assert "account closed@example.test destroyed" in out, out
    assert "older than 30 days removed" in out, out
    assert not exists(appliance, "closed@example.test")
    assert exists(appliance, "kept@example.test")
    assert "account.destroy" in ok(appliance, "audit", "list")

    # The supervisor's job runs when every daemon is up again.
    assert appliance.stop() == 0
    start_and_wait_for_the_job(appliance)
    ok(appliance, "accounts", "close", "later@example.test")
    assert exists(appliance, "later@example.test")  # closed after the run at start
    assert appliance.stop() == 0
    start_and_wait_for_the_job(appliance)
    assert not exists(appliance, "later@example.test")
    assert exists(appliance, "kept@example.test")
    assert appliance.stop() == 0
    assert b"job done" in appliance.output


def test_bad_retention_setting_is_refused_with_its_line(appliance):
    appliance.start()
    appliance.wait_ready()
    with open(appliance.home / "etc" / "appliance.conf", "a") as conf:
        conf.write("\n[accounts]\nlogin_log_days = forever\n")
    r = ctl(appliance, "retention", "run")
    assert r.returncode == 1
    assert "[accounts] key 'login_log_days': expected an integer" in r.stderr, r.stderr
    appliance.stop()
