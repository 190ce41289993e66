"""`appliancectl tenants|domains|accounts`: tenants, their domains and mail
accounts with their default folders, in a running appliance's store."""
import os
import re
import sqlite3
import subprocess

import pytest

from conftest import appliancectl, appliancectl_ok, binary

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (keyd administration)")


ctl = appliancectl
ok = appliancectl_ok


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
    return dict(field.split("=", 1) for field in r.stdout.strip().split(" ", 3))


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


@pytest.fixture
def alice(running):
    ok(running, "tenants", "add", "acme")
    ok(running, "domains", "add", "example.test", "--tenant", "acme")
    ok(running, "accounts", "add", "alice@example.test")
    ok(running, "accounts", "add", "bob@example.test")
    ok_input(running, "a long and good passphrase\n", "accounts", "passwd", "alice@example.test")
    return running


def test_app_passwords_scoped_listed_and_revoked(alice):
    made = ok(alice, "accounts", "app-passwords", "add", "alice@example.test", "--name", "phone",
              "--protocols", "imap", "--networks", "127.0.0.0/8", "--days", "30")
    token = re.search(r"^(apw_[a-z2-7]{8}_[a-z2-7]{32})$", made, re.M).group(1)
    token_id = token.split("_")[1]
    assert login(alice, "alice@example.test", token, "imap")["ok"] == "1"
    smtp = login(alice, "alice@example.test", token, "smtp")
    assert smtp["ok"] == "0" and "smtp" in smtp["reason"], smtp
    assert login(alice, "alice@example.test", token, "imap", "192.0.2.1")["ok"] == "0"
    assert login(alice, "bob@example.test", token, "imap")["ok"] == "0"

    listed = ok(alice, "accounts", "app-passwords", "list", "alice@example.test")
    row = next(line for line in listed.splitlines() if line.startswith(token_id))
    assert "phone" in row and "imap" in row and "127.0.0.0/8" in row
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d\s+-$", row), row  # used, not revoked
    assert token not in listed

    assert f"app password {token_id} of alice@example.test revoked" in ok(
        alice, "accounts", "app-passwords", "revoke", "alice@example.test", token_id)
    assert login(alice, "alice@example.test", token, "imap")["ok"] == "0"
    assert "that is not revoked" in refused(alice, "accounts", "app-passwords", "revoke",
                                            "alice@example.test", token_id)


def test_app_password_input_is_checked(alice):
    def add(*extra):
        return refused(alice, "accounts", "app-passwords", "add", "alice@example.test",
                       "--name", "x", *extra)
    assert 'unknown protocol "ftp"' in add("--protocols", "imap,ftp")
    assert "192.0.2.1/24" in add("--protocols", "imap", "--networks", "192.0.2.1/24")
    assert '"2027-02-30" is not a date' in add("--protocols", "imap", "--expires", "2027-02-30")
    assert "2001-01-01 is in the past" in add("--protocols", "imap", "--expires", "2001-01-01")
    assert "not both" in add("--protocols", "imap", "--expires", "2099-01-01", "--days", "3")
    assert "no account carol@example.test" in refused(
        alice, "accounts", "app-passwords", "add", "carol@example.test", "--name", "x",
        "--protocols", "imap")


def test_lock_unlock_close(alice):
    assert "account alice@example.test is locked" in ok(alice, "accounts", "lock",
                                                        "alice@example.test")
    assert login(alice, "alice@example.test", "a long and good passphrase")["reason"] == \
        "account locked"
    ok(alice, "accounts", "unlock", "alice@example.test")
    assert login(alice, "alice@example.test", "a long and good passphrase")["ok"] == "1"
    ok(alice, "accounts", "close", "alice@example.test")
    assert login(alice, "alice@example.test", "a long and good passphrase")["ok"] == "0"
    assert "no account nobody@example.test" in refused(alice, "accounts", "lock",
                                                       "nobody@example.test")
    assert "0 closed accounts destroyed" in ok(alice, "accounts", "purge-closed")
    purged = ok(alice, "accounts", "purge-closed", "--days", "0")
    assert "account alice@example.test destroyed" in purged and "1 closed" in purged
    assert "alice@" not in ok(alice, "accounts", "list")
    assert "account.destroy" in ok(alice, "audit", "list")


def test_show_role_quota(alice):
    ok(alice, "accounts", "app-passwords", "add", "alice@example.test", "--name", "phone",
       "--protocols", "imap")
    assert "account alice@example.test is tenant-admin" in ok(
        alice, "accounts", "role", "alice@example.test", "tenant-admin")
    assert "quota of alice@example.test: 5368709120 bytes" in ok(
        alice, "accounts", "quota", "alice@example.test", "5G")
    shown = ok(alice, "accounts", "show", "alice@example.test")
    for line in ("state      active", "role       tenant-admin", "quota      5368709120 bytes",
                 "password   set", "two-factor off", "app passwords 1 (0 revoked)"):
        assert line in shown, shown
    assert "password   not set" in ok(alice, "accounts", "show", "bob@example.test")
    assert '"owner" is not a role (one of: user, tenant-admin, appliance-admin, auditor)' in \
        refused(alice, "accounts", "role", "alice@example.test", "owner")
    assert '"5Q" is not a size' in refused(alice, "accounts", "quota", "alice@example.test", "5Q")
    assert "no limit" in ok(alice, "accounts", "quota", "alice@example.test", "0")
    events = ok(alice, "audit", "list")
    assert "account.role" in events and "account.quota" in events


def test_aliases_and_catch_all(alice):
    assert "alias team@example.test leads to alice@example.test" in ok(
        alice, "aliases", "add", "Team@example.test", "alice@example.test")
    ok(alice, "aliases", "add", "team@example.test", "bob@example.test")
    assert "mail to unknown addresses of example.test goes to bob@example.test" in ok(
        alice, "catch-all", "set", "example.test", "bob@example.test")
    listed = ok(alice, "aliases", "list")
    assert re.search(r"^acme\s+team@example.test\s+alice@example.test$", listed, re.M), listed
    assert re.search(r"^acme\s+team@example.test\s+bob@example.test$", listed, re.M), listed
    assert re.search(r"^acme\s+\*@example.test\s+bob@example.test$", listed, re.M), listed
    assert "bob@example.test is an account, not an alias" in refused(
        alice, "aliases", "add", "bob@example.test", "alice@example.test")
    assert '"te am@example.test" is not a mail address' in refused(
        alice, "aliases", "add", "te am@example.test", "alice@example.test")
    assert "other.test is not a domain of this appliance" in refused(
        alice, "aliases", "add", "x@other.test", "alice@example.test")
    ok(alice, "aliases", "remove", "team@example.test", "bob@example.test")
    assert "alias team@example.test does not lead to bob@example.test" in refused(
        alice, "aliases", "remove", "team@example.test", "bob@example.test")
    ok(alice, "catch-all", "clear", "example.test")
    assert "example.test has no catch-all" in refused(alice, "catch-all", "clear", "example.test")


def test_logins_and_audit(alice):
    login(alice, "alice@example.test", "a long and good passphrase", "pop3", "127.0.0.2")
    login(alice, "alice@example.test", "wrong passphrase for alice", "imap", "127.0.0.3")
    login(alice, "mallory@example.test", "whatever she types there", "smtp", "127.0.0.4")
    logged = ok(alice, "logins", "--limit", "2")
    lines = logged.splitlines()
    assert len(lines) == 3, logged
    assert "mallory@example.test" in lines[1] and "no such account" in lines[1]
    assert "wrong password" in lines[2] and "127.0.0.3" in lines[2]
    mine = ok(alice, "logins", "--account", "alice@example.test")
    assert re.search(r"alice@example.test\s+pop3\s+127.0.0.2\s+ok", mine), mine
    assert "0 login log entries older than 180 days removed" in ok(alice, "logins", "purge")

    events = ok(alice, "audit", "list")
    assert re.search(r"^1\s.*appliancectl\s+password.change\s+alice@example.test", events, re.M)
    assert "login.new_place" in events
    verified = ok(alice, "audit", "verify")
    head = re.search(r"head (\d+:[0-9a-f]{64})", verified).group(1)
    assert ok(alice, "audit", "verify", "--head", head)

    db = sqlite3.connect(alice.home / "store" / "system.db")
    db.execute("UPDATE security_events SET target = 'bob@example.test' WHERE seq = 1")
    db.commit()
    db.close()
    broken = refused(alice, "audit", "verify")
    assert "the security event chain is broken at seq 1: entry 0 (seq 1) was edited" in broken

    db = sqlite3.connect(alice.home / "store" / "system.db")
    db.execute("UPDATE security_events SET target = 'alice@example.test' WHERE seq = 1")
    last = db.execute("SELECT max(seq) FROM security_events").fetchone()[0]
    db.execute("DELETE FROM security_events WHERE seq = ?", (last,))
    db.commit()
    db.close()
    assert ok(alice, "audit", "verify")  # shorter but whole: only the head shows it
    assert "entries at the end were deleted" in refused(alice, "audit", "verify", "--head", head)
    assert "is not a chain head" in refused(alice, "audit", "verify", "--head", "x:y")
