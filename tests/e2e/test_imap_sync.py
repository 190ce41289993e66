"""imapd end to end, resynchronisation and quotas: a real appliance (keyd with
SoftHSM, the SQLite store) and Python's imaplib. A client that remembered
UIDVALIDITY and HIGHESTMODSEQ comes back after another session changed flags,
expunged and appended, and learns exactly that with SELECT (QRESYNC ...) and
UID FETCH ... (CHANGEDSINCE ...); a conditional STORE loses to a newer change.
Then a quota set with appliancectl: GETQUOTAROOT tells it, APPEND and COPY
over it store nothing ([OVERQUOTA]), and smtpd refuses mail for the full
account at RCPT (552 5.2.2). Then MULTIAPPEND stores all its messages under
one APPENDUID, or none when one does not parse or they would pass the quota.
Last, a saved SEARCH result ("$", SEARCHRES) used by the commands after it,
STATUS and LIST-STATUS telling a mailbox's SIZE, and APPENDLIMIT: announced,
told by STATUS, and an APPEND over it refused before its message is sent."""
import imaplib
import os
import re
import smtplib

import pytest

from mailbox_access import box_with_alice, ctl, imap_login, port, set_password

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (service users, keyd)")

PASSWORD = "Wq4-birch-Orion-58-reef"
MAIL = ("From: Bob <bob@example.test>\r\nTo: alice@example.test\r\nSubject: {n}\r\n"
        "Date: Mon, 23 Nov 2026 12:00:00 +0000\r\n\r\nmessage {n}\r\n")


@pytest.fixture(scope="module")
def alice():
    """alice@example.test with a password and three messages (UIDs 1 to 3)."""
    with box_with_alice("appliance-imap-sync-") as box:
        set_password(box, PASSWORD)
        c = login(box)
        for n in (1, 2, 3):
            typ, data = c.append("INBOX", "", None, MAIL.format(n=n).encode())
            assert typ == "OK", data
        c.logout()
        yield box


def login(box):
    return imap_login(box, PASSWORD)


def capabilities(c):
    """After login: imaplib keeps only those of the greeting."""
    typ, data = c.capability()
    assert typ == "OK", data
    return data[0].decode().split()


def command(c, name, *args):
    """A command imaplib has no method for; its untagged responses stay in c."""
    typ, data = c._simple_command(name, *args)
    if name == "SELECT" and typ == "OK":
        c.state = "SELECTED"
    return typ, data


def code(c, name):
    """The value of an untagged OK response code, e.g. HIGHESTMODSEQ."""
    return int(c.untagged_responses[name][-1])


def test_a_returning_client_learns_exactly_what_changed(alice):
    a = login(alice)
    assert {"CONDSTORE", "QRESYNC"} <= set(capabilities(a))
    typ, data = command(a, "ENABLE", "QRESYNC")
    assert typ == "OK" and a.untagged_responses.pop("ENABLED") == [b"QRESYNC"]
    typ, data = command(a, "SELECT", "INBOX", "(CONDSTORE)")
    assert typ == "OK", data
    validity, seen = code(a, "UIDVALIDITY"), code(a, "HIGHESTMODSEQ")
    a.logout()

    b = login(alice)
    b.select("INBOX")
    assert b.store("1", "+FLAGS", "(\\Flagged)")[0] == "OK"
    assert b.store("2", "+FLAGS", "(\\Deleted)")[0] == "OK"
    assert b.expunge()[0] == "OK"
    assert b.append("INBOX", "", None, MAIL.format(n=4).encode())[0] == "OK"

    a = login(alice)
    command(a, "ENABLE", "QRESYNC")
    typ, data = command(a, "SELECT", "INBOX", f"(QRESYNC ({validity} {seen}))")
    assert typ == "OK", data
    assert a.untagged_responses.pop("VANISHED") == [b"(EARLIER) 2"]
    fetches = b" ".join(a.untagged_responses.pop("FETCH"))
    assert re.search(rb"UID 1 FLAGS \(\\Flagged\) MODSEQ \(\d+\)", fetches), fetches
    assert re.search(rb"UID 4 FLAGS \(\) MODSEQ \(\d+\)", fetches), fetches
    assert b"UID 3 " not in fetches, fetches
    now = code(a, "HIGHESTMODSEQ")
    assert now > seen

    # The same answer for a selected mailbox, and nothing once up to date.
    typ, data = a.uid("FETCH", "1:*", f"(FLAGS) (CHANGEDSINCE {seen} VANISHED)")
    assert typ == "OK" and a.untagged_responses.pop("VANISHED") == [b"(EARLIER) 2"]
    assert len(data) == 2, data
    typ, data = a.uid("FETCH", "1:*", f"(FLAGS) (CHANGEDSINCE {now})")
    assert typ == "OK" and data == [None], data

    # A conditional STORE loses to another session's newer change.
    assert b.store("1", "+FLAGS", "(\\Seen)")[0] == "OK"
    typ, data = a.uid("STORE", "1,3", f"(UNCHANGEDSINCE {now}) +FLAGS (\\Answered)")
    assert typ == "OK" and a.untagged_responses.pop("MODIFIED") == [b"1"], data
    typ, data = a.uid("FETCH", "3", "(FLAGS MODSEQ)")
    assert b"\\Answered" in data[0] and b"MODSEQ" in data[0], data
    a.logout()
    b.logout()


def test_quota_refusals(alice):
    out = ctl(alice, "accounts", "quota", "alice@example.test", "2K")
    assert "2048 bytes" in out, out
    c = login(alice)
    assert {"QUOTA", "QUOTA=RES-STORAGE"} <= set(capabilities(c))
    typ, data = c.getquotaroot("INBOX")
    assert typ == "OK" and data == [[b'INBOX ""'], [b'"" (STORAGE 1 2)']], data
    typ, data = command(c, "SETQUOTA", '""', "(STORAGE 100000)")
    assert typ == "NO" and b"[NOPERM]" in data[0], data

    big = MAIL.format(n="x" * 3000).encode()
    typ, data = c.append("INBOX", "", None, big)
    assert typ == "NO" and b"[OVERQUOTA]" in data[0], data
    typ, data = c.status("INBOX", "(MESSAGES)")
    assert b"MESSAGES 3" in data[0], data

    for n in (5, 6, 7, 8):
        c.append("INBOX", "", None, (MAIL.format(n=n) + "x" * 200).encode())
    c.select("INBOX")
    typ, data = c.copy("1:*", "Archive")
    assert typ == "NO" and b"[OVERQUOTA]" in data[0], data
    typ, data = c.status("Archive", "(MESSAGES)")
    assert b"MESSAGES 0" in data[0], data
    c.logout()

    ctl(alice, "accounts", "quota", "alice@example.test", "1K")
    with smtplib.SMTP("127.0.0.1", port(alice, "smtp"), local_hostname="client.example") as s:
        s.ehlo()
        s.mail("bob@elsewhere.example")
        code_, text = s.rcpt("alice@example.test")
        assert (code_, text) == (552, b"5.2.2 Mailbox full"), (code_, text)


def multiappend(c, mailbox, messages):
    """One APPEND of several (flags, bytes) messages, as LITERAL+ literals:
    imaplib sends one message per APPEND. Returns the tagged response line."""
    tag = c._new_tag()
    del c.tagged_commands[tag]  # answered here, not through imaplib
    command = tag + b" APPEND " + mailbox.encode()
    for flags, data in messages:
        command += b" " + flags.encode() + b" {%d+}\r\n" % len(data) + data
    c.send(command + b"\r\n")
    while not (line := c.readline()).startswith(tag + b" "):
        pass
    return line.decode().strip()


def test_multiappend_stores_all_or_none(alice):
    ctl(alice, "accounts", "quota", "alice@example.test", "0")
    c = login(alice)
    assert "MULTIAPPEND" in capabilities(c)
    three = [("(\\Seen)", MAIL.format(n="m1").encode()), ("($Work)", MAIL.format(n="m2").encode()),
             ("()", MAIL.format(n="m3").encode())]
    answer = multiappend(c, "Drafts", three)
    assert re.fullmatch(r"\S+ OK \[APPENDUID \d+ 1:3\] APPEND completed", answer), answer
    c.select("Drafts")
    typ, data = c.fetch("1:*", "(UID FLAGS)")
    assert typ == "OK" and len(data) == 3, data
    assert b"FLAGS (\\Seen)" in data[0] and b"FLAGS ($Work)" in data[1], data
    c.close()

    # A message that does not parse fails the whole command: none is stored.
    answer = multiappend(c, "Drafts", [("()", b"one"), ("(\\Recent)", b"two")])
    assert " BAD " in answer, answer
    # Over the quota together, though the first would fit alone: none is stored.
    ctl(alice, "accounts", "quota", "alice@example.test", "64K")
    big = [("()", (MAIL.format(n="big") + "x" * 40000 + "\r\n").encode())] * 2
    answer = multiappend(c, "Drafts", big)
    assert answer.endswith("NO [OVERQUOTA] Over quota: nothing was stored"), answer
    typ, data = c.status("Drafts", "(MESSAGES UIDNEXT)")
    assert b"MESSAGES 3 UIDNEXT 4" in data[0], data
    answer = multiappend(c, "Drafts", big[:1])
    assert re.fullmatch(r"\S+ OK \[APPENDUID \d+ 4\] APPEND completed", answer), answer
    c.logout()


def pipelined(c, *commands):
    """Commands sent in one write, before any is answered; the tagged lines
    and the untagged ones, in the order read."""
    tags = [c._new_tag() for _ in commands]
    for tag in tags:
        del c.tagged_commands[tag]  # answered here, not through imaplib
    c.send(b"".join(tag + b" " + text.encode() + b"\r\n" for tag, text in zip(tags, commands)))
    lines = []
    while not (line := c.readline()).startswith(tags[-1] + b" "):
        lines.append(line.decode().strip())
    return lines + [line.decode().strip()]


def test_search_strings_in_another_charset(alice):
    """SEARCH CHARSET ISO-8859-1 and KOI8-R find a message whose text is UTF-8;
    an unknown charset is NO [BADCHARSET]."""
    c = login(alice)
    try:
        c.create("Charsets")
        body = ("From: bob@example.test\r\nSubject: menu\r\nMIME-Version: 1.0\r\n"
                "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
                "\r\nCaf\u00e9 au lait, \u041f\u0420\u0418\u0412\u0415\u0422\r\n")
        typ, data = c.append("Charsets", "", None, body.encode("utf-8"))
        assert typ == "OK", data
        c.select("Charsets")
        c.literal = "café".encode("iso-8859-1")
        typ, data = c.search("ISO-8859-1", "BODY")
        assert (typ, data) == ("OK", [b"1"]), data
        c.literal = "ПРИВЕТ".encode("koi8-r")
        typ, data = c.search("KOI8-R", "TEXT")
        assert (typ, data) == ("OK", [b"1"]), data
        c.literal = "thé".encode("iso-8859-1")
        typ, data = c.search("ISO-8859-1", "BODY")
        assert (typ, data) == ("OK", [b""]), data
        typ, data = c.search("X-NO-SUCH-CHARSET", "ALL")
        assert typ == "NO" and data[0].startswith(b"[BADCHARSET"), data
    finally:
        c.logout()


def test_a_saved_search_result_is_used_by_later_commands(alice):
    ctl(alice, "accounts", "quota", "alice@example.test", "0")
    c = login(alice)
    try:
        assert "SEARCHRES" in capabilities(c)
        c.create("Saved")
        for n in range(1, 6):
            typ, data = c.append("Saved", "(\\Flagged)" if n % 2 else "", None,
                                 MAIL.format(n=f"s{n}").encode())
            assert typ == "OK", data
        c.select("Saved")
        # The FETCH goes out before the SEARCH is answered, and sees what it saved.
        lines = pipelined(c, "UID SEARCH RETURN (SAVE) FLAGGED", "FETCH $ (UID)")
        assert [line for line in lines if "FETCH (" in line] == [
            "* 1 FETCH (UID 1)", "* 3 FETCH (UID 3)", "* 5 FETCH (UID 5)"], lines
        assert all(" OK " in line for line in lines if not line.startswith("*")), lines
        typ, data = c.store("$", "+FLAGS", "(\\Seen)")
        assert typ == "OK" and len(data) == 3, data
        typ, data = c.copy("$", "Archive")
        assert typ == "OK", data
        # "$" holds the messages, not their numbers: after an expunge it names
        # the same ones, less the expunged.
        c.store("1", "+FLAGS", "(\\Deleted)")
        typ, data = c.expunge()
        assert typ == "OK" and data == [b"1"], data
        typ, data = c.fetch("$", "(UID)")
        assert data == [b"2 (UID 3)", b"4 (UID 5)"], data
        typ, data = c.uid("SEARCH", "UNSEEN", "UID", "$")
        assert data == [b""], data
        typ, data = c.uid("MOVE", "$", "Trash")
        assert typ == "OK", data
        typ, data = c.search(None, "ALL")
        assert data == [b"1 2"], data
        # SELECT empties it: "$" names nothing, which is no error.
        c.select("Saved")
        typ, data = c.fetch("$", "(UID)")
        assert typ == "OK" and data == [None], data
    finally:
        c.logout()


def test_status_and_list_status_tell_the_size(alice):
    c = login(alice)
    try:
        assert "STATUS=SIZE" in capabilities(c)
        c.create("Sized")
        sizes = []
        for n in (1, 2):
            message = (MAIL.format(n=f"z{n}") + "y" * (1000 * n)).encode()
            typ, data = c.append("Sized", "", None, message)
            assert typ == "OK", data
            sizes.append(len(message))
        typ, data = c.status("Sized", "(MESSAGES SIZE)")
        assert data == [b"Sized (MESSAGES 2 SIZE %d)" % sum(sizes)], data
        typ, data = command(c, "LIST", '""', "Sized", "RETURN", "(STATUS (SIZE))")
        assert typ == "OK", data
        assert c.untagged_responses.pop("STATUS") == [b"Sized (SIZE %d)" % sum(sizes)]
        # RFC822.SIZE of each message adds up to it, and an expunge takes its share.
        c.select("Sized")
        typ, data = c.fetch("1:*", "(RFC822.SIZE)")
        assert data == [b"1 (RFC822.SIZE %d)" % sizes[0], b"2 (RFC822.SIZE %d)" % sizes[1]], data
        c.store("1", "+FLAGS", "(\\Deleted)")
        c.expunge()
        typ, data = c.status("Sized", "(SIZE)")
        assert data == [b"Sized (SIZE %d)" % sizes[1]], data
    finally:
        c.logout()


def test_an_append_over_the_limit_is_refused_before_it_is_sent(alice):
    c = login(alice)
    try:
        limits = [cap for cap in capabilities(c) if cap.startswith("APPENDLIMIT=")]
        assert limits == ["APPENDLIMIT=52428800"], limits
        typ, data = c.status("INBOX", "(APPENDLIMIT)")
        assert data == [b"INBOX (APPENDLIMIT 52428800)"], data
        # A synchronising literal one octet over: NO before "+", so nothing is sent.
        tag = c._new_tag()
        del c.tagged_commands[tag]
        c.send(tag + b" APPEND INBOX {52428801}\r\n")
        line = c.readline().decode().strip()
        assert line == tag.decode() + " NO [TOOBIG] Literal too large", line
        typ, data = c.noop()
        assert typ == "OK", data
    finally:
        c.logout()
