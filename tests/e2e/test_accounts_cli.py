"""`appliancectl tenants|domains|accounts`: tenants, their domains and mail
accounts with their default folders, in a running appliance's store."""
import os
import re
import subprocess

import pytest

from conftest import binary

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (keyd administration)")


def ctl(appliance, *args):
    return subprocess.run([binary("appliancectl"), "--home", str(appliance.home), *args],
                          capture_output=True, text=True, timeout=120)


def ok(appliance, *args):
    r = ctl(appliance, *args)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


def refused(appliance, *args):
    r = ctl(appliance, *args)
    assert r.returncode == 1, r.stdout + r.stderr
    return r.stderr


@pytest.fixture
def running(appliance):
    appliance.start()
    appliance.wait_ready()
    yield appliance
    appliance.stop()


def test_tenant_domain_account_and_folders(running):
    assert "tenant 1 (acme) added" in ok(running, "tenants", "add", "acme")
    assert "domain example.test added to tenant 1" in ok(running, "domains", "add",
                                                         "Example.TEST", "--tenant", "acme")
    added = ok(running, "accounts", "add", "Alice@Example.test")
    assert "account alice@example.test added to tenant 1, data key wrapped by wrap/mail/v1" in added
    listed = ok(running, "accounts", "list")
    assert re.search(r"^acme\s+alice@example.test\s+wrap/mail/v1$", listed, re.M), listed
    stats = ok(running, "store", "stats")
    assert re.search(r"^1\s+acme\s+1\s+6\s+0\s", stats, re.M), stats  # six default folders
    assert ok(running, "store", "check").count("ok: 1 accounts") == 1


def test_mail_import_appends_to_the_inbox_with_crlf(running, tmp_path):
    ok(running, "tenants", "add", "acme")
    ok(running, "domains", "add", "example.test", "--tenant", "acme")
    ok(running, "accounts", "add", "alice@example.test")
    message = tmp_path / "m.eml"
    message.write_bytes(b"Subject: imported\n\nline one\nline two\r\n")
    out = ok(running, "mail", "import", "Alice@example.test", str(message))
    assert out == "message added to alice@example.test INBOX: uid 1, 41 octets\n", out
    stats = ok(running, "store", "stats")
    assert re.search(r"^1\s+acme\s+1\s+6\s+1\s", stats, re.M), stats
    assert "no account bob@example.test" in refused(running, "mail", "import",
                                                    "bob@example.test", str(message))
    assert "missing.eml" in refused(running, "mail", "import", "alice@example.test",
                                    str(tmp_path / "missing.eml"))


def test_bad_input_is_refused_precisely_and_changes_nothing(running):
    ok(running, "tenants", "add", "acme")
    ok(running, "domains", "add", "example.test", "--tenant", "acme")
    ok(running, "accounts", "add", "alice@example.test")
    assert 'tenant "acme" exists' in refused(running, "tenants", "add", "acme")
    assert '"exa mple.test" is not a domain name' in refused(running, "domains", "add",
                                                             "exa mple.test", "--tenant", "acme")
    assert 'no tenant "nobody"' in refused(running, "domains", "add", "other.test", "--tenant",
                                           "nobody")
    assert "domain example.test already belongs to tenant 1" in refused(
        running, "domains", "add", "example.test", "--tenant", "acme")
    assert '"alice@@example.test" is not a mail address' in refused(running, "accounts", "add",
                                                                    "alice@@example.test")
    assert "other.test is not a domain of this appliance" in refused(running, "accounts", "add",
                                                                     "bob@other.test")
    assert "account alice@example.test exists" in refused(running, "accounts", "add",
                                                          "ALICE@example.test")
    listed = ok(running, "accounts", "list")
    assert len(re.findall(r"@", listed)) == 1, listed


def test_without_keyd_nothing_is_created(running):
    running.stop()
    assert "keyd is not running" in refused(running, "tenants", "add", "acme")
    # The mail daemons made an empty store at their start; no tenant came into it.
    tenants = running.home / "store" / "tenants"
    assert not tenants.exists() or not any(tenants.iterdir())


def login(appliance, user, secret, protocol="imap", source="127.0.0.1"):
    r = subprocess.run([binary("auth_login_check"), "--home", str(appliance.home), "--user", user,
                        "--protocol", protocol, "--source", source],
                       input=secret + "\n", capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    return dict(field.split("=", 1) for field in r.stdout.split(" ", 3))


def test_password_set_and_used_for_a_login(running, tmp_path):
    ok(running, "tenants", "add", "acme")
    ok(running, "domains", "add", "example.test", "--tenant", "acme")
    ok(running, "accounts", "add", "alice@example.test")
    assert "password of alice@example.test changed" in ok_input(
        running, "a long and good passphrase\n", "accounts", "passwd", "Alice@example.test")
    assert login(running, "alice@example.test", "a long and good passphrase")["ok"] == "1"
    wrong = login(running, "alice@example.test", "not the passphrase at all")
    unknown = login(running, "bob@example.test", "not the passphrase at all")
    assert wrong["ok"] == unknown["ok"] == "0"
    assert wrong["address"] == unknown["address"] == ""

    secret_file = tmp_path / "pw"
    secret_file.write_text("another long passphrase\n")
    ok(running, "accounts", "passwd", "alice@example.test", "--password-file", str(secret_file))
    assert login(running, "alice@example.test", "a long and good passphrase")["ok"] == "0"
    assert login(running, "alice@example.test", "another long passphrase")["ok"] == "1"


def test_bad_passwords_are_refused_with_the_rule(running):
    ok(running, "tenants", "add", "acme")
    ok(running, "domains", "add", "example.test", "--tenant", "acme")
    ok(running, "accounts", "add", "alice@example.test")
    assert "at least 12 characters" in refused_input(running, "short\n", "accounts", "passwd",
                                                     "alice@example.test")
    assert "known from breaches" in refused_input(running, "password1234\n", "accounts", "passwd",
                                             "alice@example.test")
    assert "no account bob@example.test" in refused_input(
        running, "a long and good passphrase\n", "accounts", "passwd", "bob@example.test")
    assert "no password given" in refused_input(running, "\n", "accounts", "passwd",
                                                "alice@example.test")


def ctl_input(appliance, text, *args):
    return subprocess.run([binary("appliancectl"), "--home", str(appliance.home), *args],
                          input=text, capture_output=True, text=True, timeout=120)


def ok_input(appliance, text, *args):
    r = ctl_input(appliance, text, *args)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


def refused_input(appliance, text, *args):
    r = ctl_input(appliance, text, *args)
    assert r.returncode == 1, r.stdout + r.stderr
    return r.stderr
