"""`appliancectl accounts export`: an account's mail, read back by Python's own
mbox and maildir readers, with its settings and logs and never a secret."""
import json
import mailbox
import os
import re

import pytest

from conftest import appliancectl, appliancectl_ok as ok

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (keyd administration)")

MESSAGES = [
    b"From: bob@example.test\r\nSubject: first\r\n\r\nFrom the start of a line\r\nbye\r\n",
    b"From: carol@example.test\r\nSubject: second\r\n\r\n>From quoted already\r\n",
]


@pytest.fixture
def alice(appliance, tmp_path):
    appliance.start()
    appliance.wait_ready()
    ok(appliance, "tenants", "add", "acme")
    ok(appliance, "domains", "add", "example.test", "--tenant", "acme")
    ok(appliance, "accounts", "add", "alice@example.test")
    ok(appliance, "aliases", "add", "al@example.test", "alice@example.test")
    made = ok(appliance, "accounts", "app-passwords", "add", "alice@example.test", "--name",
              "phone", "--protocols", "imap")
    appliance.app_password = re.search(r"^(apw_\S+)$", made, re.M).group(1)
    for i, m in enumerate(MESSAGES):
        path = tmp_path / f"m{i}.eml"
        path.write_bytes(m)
        ok(appliance, "mail", "import", "alice@example.test", str(path))
    yield appliance
    appliance.stop()


def bodies(box):
    return sorted(m.get_payload(decode=False) for m in box)


def test_export_as_mbox_and_maildir(alice, tmp_path):
    out = ok(alice, "accounts", "export", "alice@example.test", str(tmp_path / "mbox"))
    assert re.search(r"6 folders, 2 messages \(\d+ bytes\) as mbox", out), out
    inbox = mailbox.mbox(str(tmp_path / "mbox" / "mail" / "INBOX.mbox"))
    assert sorted(m["Subject"] for m in inbox) == ["first", "second"]
    # mboxrd: a line reading ">*From " gains one '>' (Python's reader keeps it).
    assert bodies(inbox) == [">>From quoted already\n", ">From the start of a line\nbye\n"]
    assert len(mailbox.mbox(str(tmp_path / "mbox" / "mail" / "Sent.mbox"))) == 0

    ok(alice, "accounts", "export", "alice@example.test", str(tmp_path / "md"), "--format",
       "maildir")
    maildir = mailbox.Maildir(str(tmp_path / "md" / "mail" / "INBOX"), create=False)
    assert sorted(m["Subject"] for m in maildir) == ["first", "second"]
    assert sorted(m.get_payload() for m in maildir) == [">From quoted already\n",
                                                         "From the start of a line\nbye\n"]

    account = json.loads((tmp_path / "mbox" / "account.json").read_text())
    assert account["address"] == "alice@example.test"
    assert account["aliases"] == ["al@example.test"]
    assert [p["name"] for p in account["app_passwords"]] == ["phone"]
    everything = b"".join(p.read_bytes() for p in (tmp_path / "mbox").rglob("*") if p.is_file())
    assert alice.app_password.encode() not in everything
    assert b'"mac"' not in everything
    assert oct((tmp_path / "mbox").stat().st_mode & 0o777) == "0o700"
    assert any(e["action"] == "app_password.create"
               for e in json.loads((tmp_path / "mbox" / "events.json").read_text()))
    assert "account.export" in ok(alice, "audit", "list")


def test_export_refuses_an_existing_folder_and_an_unknown_account(alice, tmp_path):
    (tmp_path / "there").mkdir()
    r = appliancectl(alice, "accounts", "export", "alice@example.test", str(tmp_path / "there"))
    assert r.returncode == 1 and "File exists" in r.stderr, r.stderr
    r = appliancectl(alice, "accounts", "export", "nobody@example.test", str(tmp_path / "x"))
    assert r.returncode == 1 and "no account nobody@example.test" in r.stderr, r.stderr
    assert not (tmp_path / "x").exists()
