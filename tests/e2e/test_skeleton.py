"""The shared daemon skeleton, driven through echod: configuration errors,
socket activation, the privilege drop, sd_notify and the admin socket."""
import os
import pwd
import signal
import socket
import subprocess

import pytest

from conftest import binary, free_port, wait_for


def write_config(home, body):
    (home / "run" / "admin").mkdir(parents=True, exist_ok=True)
    conf = home / "appliance.conf"
    conf.write_text(f"[appliance]\nhome = {home}\n\n" + body)
    return conf


def test_bad_config_names_file_line_and_key(state_dir):
    conf = write_config(state_dir, "[echod]\nuser = appliance-test\ncrash_after_ms = soon\n")
    r = subprocess.run([binary("echod"), "--config", str(conf)], capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 78
    assert f"{conf}:6: [echod] key 'crash_after_ms': expected an integer" in r.stderr
    assert "ready" not in r.stderr.split("error")[-1]


def test_unknown_key_refuses_to_start(state_dir):
    conf = write_config(state_dir, "[echod]\nusr = appliance-test\n")
    r = subprocess.run([binary("echod"), "--config", str(conf)], capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 78
    assert f"{conf}:5: [echod] unknown key 'usr'" in r.stderr


def start_activated(conf, sock, notify_path):
    """Starts echod as systemd would: the socket as fd 3, LISTEN_PID = its pid."""
    env = dict(os.environ, LISTEN_FDS="1", LISTEN_FDNAMES="echo", NOTIFY_SOCKET=notify_path)
    fd = sock.fileno()
    return subprocess.Popen(
        ["sh", "-c", 'LISTEN_PID=$$ exec "$0" "$@"', binary("echod"), "--config", str(conf)],
        env=env, preexec_fn=lambda: os.dup2(fd, 3), pass_fds=(3,),
        stderr=subprocess.PIPE, text=True)


@pytest.mark.skipif(os.geteuid() != 0, reason="privilege drop needs root")
def test_socket_activation_privilege_drop_and_notify(state_dir):
    conf = write_config(state_dir, "[echod]\nuser = appliance-test\n")
    notify_path = str(state_dir / "notify.sock")
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(notify_path)
    os.chmod(notify_path, 0o666)
    notify.settimeout(20)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    proc = start_activated(conf, listener, notify_path)
    try:
        assert notify.recv(4096) == b"READY=1"
        with socket.create_connection(("127.0.0.1", port), timeout=10) as c:
            greeting = c.makefile().readline().strip()
            c.sendall(b"hello\n")
            assert c.makefile().readline() == "hello\n"
        test_user = pwd.getpwnam("appliance-test")
        assert greeting == f"uid={test_user.pw_uid} gid={test_user.pw_gid}"
        assert test_user.pw_uid != 0

        health = subprocess.run([binary("appliancectl"), "--home", str(state_dir), "health",
                                 "echod"], capture_output=True, text=True, timeout=30)
        assert health.returncode == 0, health.stdout + health.stderr
        assert "echod" in health.stdout and "ready: echoing" in health.stdout

        proc.send_signal(signal.SIGTERM)
        assert notify.recv(4096) == b"STOPPING=1"
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        listener.close()
        notify.close()
    assert "dropped privileges" in proc.stderr.read()


def test_binds_its_own_socket_without_activation(state_dir):
    port = free_port()
    conf = write_config(state_dir, f"[echod]\nuser = appliance-test\nlisten.echo = 127.0.0.1:{port}\n")
    proc = subprocess.Popen([binary("echod"), "--config", str(conf)], stderr=subprocess.PIPE)
    try:
        def greets():
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=2) as c:
                    return c.makefile().readline().startswith("uid=")
            except OSError:
                return False
        wait_for(greets, what="echod listening")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_admin_socket_rejects_garbage(state_dir):
    conf = write_config(state_dir, "[echod]\nuser = appliance-test\n")
    proc = subprocess.Popen([binary("echod"), "--config", str(conf)], stderr=subprocess.PIPE)
    path = str(state_dir / "run" / "admin" / "echod.sock")
    try:
        wait_for(lambda: os.path.exists(path), what="admin socket")
        def reply_to(data):
            with socket.socket(socket.AF_UNIX) as s:
                s.settimeout(5)
                wait_for(lambda: s.connect_ex(path) == 0, what="connect")
                s.sendall(data)
                return s.recv(4096)
        # An oversized frame and an unknown message type get an error frame.
        assert b"exceeds the limit" in reply_to(b"\x7f\xff\xff\xff")
        assert b"unknown message type" in reply_to(b"\x00\x00\x00\x04\x00\x01\x12\x34")
        # And the daemon still answers a good request afterwards.
        health = subprocess.run([binary("appliancectl"), "--home", str(state_dir), "health",
                                 "echod"], capture_output=True, text=True, timeout=30)
        assert health.returncode == 0, health.stdout
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.skipif(os.geteuid() != 0, reason="starting as another user needs root")
def test_started_as_its_own_user_serves_an_inherited_admin_socket(state_dir):
    """As under a systemd unit with User=: the daemon cannot make its admin
    socket in the root-only folder, so it inherits it, named "admin"."""
    conf = write_config(state_dir, "[echod]\nuser = appliance-test\n")
    admin_dir = state_dir / "run" / "admin"
    os.chmod(admin_dir, 0o700)
    path = admin_dir / "echod.sock"
    admin = socket.socket(socket.AF_UNIX)
    admin.bind(str(path))
    admin.listen()
    listener = socket.create_server(("127.0.0.1", 0))
    test_user = pwd.getpwnam("appliance-test")
    fds = {3: listener.fileno(), 4: admin.fileno()}

    def as_test_user():
        for target, fd in fds.items():
            os.dup2(fd, target)
        os.setgid(test_user.pw_gid)
        os.setuid(test_user.pw_uid)

    env = dict(os.environ, LISTEN_FDS="2", LISTEN_FDNAMES="echo:admin")
    proc = subprocess.Popen(
        ["sh", "-c", 'LISTEN_PID=$$ exec "$0" "$@"', binary("echod"), "--config", str(conf)],
        env=env, preexec_fn=as_test_user, pass_fds=(3, 4), stderr=subprocess.PIPE, text=True)
    try:
        def healthy():
            r = subprocess.run([binary("appliancectl"), "--home", str(state_dir), "health",
                                "echod"], capture_output=True, text=True, timeout=30)
            return r.returncode == 0 and "ready: echoing" in r.stdout
        wait_for(healthy, what="health over the inherited admin socket")
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) == 0
        listener.close()
        admin.close()
    assert "not started as root; keeping uid" in proc.stderr.read()


@pytest.mark.parametrize("daemon,line,fragment", [
    ("smtpd", "password_memory_kib = lots", "key 'password_memory_kib': expected an integer"),
    ("imapd", "password_memory_kib = 64",
     "key 'password_memory_kib': expected an integer from 8192 to 1048576, got '64'"),
    ("pop3d", "password_iterations = 0",
     "key 'password_iterations': expected an integer from 1 to 16, got '0'"),
])
def test_bad_accounts_setting_is_a_configuration_error(state_dir, daemon, line, fragment):
    """[accounts] is read with the daemon's own section: a bad value stops it
    with 78 before it opens anything, not as a failure of its start-up."""
    conf = write_config(state_dir, f"[accounts]\n{line}\n")
    r = subprocess.run([binary(daemon), "--config", str(conf)], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 78, r.stderr
    assert f"{conf}:5: [accounts] {fragment}" in r.stderr, r.stderr
    assert not (state_dir / "run" / "admin" / f"{daemon}.sock").exists()
