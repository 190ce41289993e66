"""updated under the supervisor: started with the others as its own user,
idle and ready by default."""
import os
import pwd
import re

import pytest

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (users of its own)")


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
