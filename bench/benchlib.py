"""NAME
  benchlib - what the benchmarks share: packages, the build, an appliance in a
  temporary directory, a DNS server of the benchmark's own, CPU time of a
  process.
"""
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
BUILD = pathlib.Path(os.environ.get("APPLIANCE_BUILD_DIR", ROOT / "build" / "release"))
BIN = BUILD / "bin"
TICK = os.sysconf("SC_CLK_TCK")


def log(text):
    print(text, flush=True)


def ensure_packages(packages, preseed=()):
    """apt-get install what is missing; `preseed`: debconf lines set first."""
    missing = [p for p in packages if subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", p], capture_output=True,
        text=True).stdout.find("install ok installed") < 0]
    if not missing:
        return
    log(f"installing {' '.join(missing)}")
    for line in preseed:
        subprocess.run(["debconf-set-selections"], input=line + "\n", text=True, check=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
                   check=True, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


def ensure_built(binaries):
    if all((BIN / b).exists() for b in binaries):
        return
    if "APPLIANCE_BUILD_DIR" in os.environ:
        subprocess.run(["cmake", "--build", str(BUILD), "--target", *binaries], check=True)
    else:
        subprocess.run([str(ROOT / "scripts" / "setup"), "release"], check=True)


def cpu_seconds(pid):
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def context_switches(pid):
    """(voluntary, involuntary) context switches of all of pid's threads so far."""
    total = [0, 0]
    for status in pathlib.Path(f"/proc/{pid}/task").glob("*/status"):
        try:
            for line in status.read_text().splitlines():
                if line.startswith("voluntary_ctxt_switches:"):
                    total[0] += int(line.split()[1])
                elif line.startswith("nonvoluntary_ctxt_switches:"):
                    total[1] += int(line.split()[1])
        except OSError:
            pass  # a thread that ended meanwhile
    return tuple(total)


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Dns:
    """dnsmasq on a loopback port, answering every name under .test itself.

    smtpd looks up SPF and DMARC records of every sender; a benchmark must not
    measure the machine's resolver (one that drops a reply now and then costs
    a 3 s retry), so its appliance asks this one, as a box asks its own.
    """

    def __init__(self, *records):
        self.root = pathlib.Path(tempfile.mkdtemp(prefix="bench-dns-", dir="/var/tmp"))
        self.port = free_port()
        self.proc = subprocess.Popen(
            ["dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts",
             "--conf-file=/dev/null", "--listen-address=127.0.0.1", "--bind-interfaces",
             f"--port={self.port}", f"--pid-file={self.root}/dnsmasq.pid", "--local=/test/",
             "--user=root", *records], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)


class Appliance:
    """`appliance up` in a temporary directory that service users can traverse.

    With `dns`, every daemon resolves through that server instead of the
    machine's: the appliance starts once to write its configuration, then
    again with a [dns] section added.
    """

    def __init__(self, name, dns=None):
        self.name = name
        self.root = pathlib.Path(tempfile.mkdtemp(prefix=f"bench-{name}-", dir="/var/tmp"))
        os.chmod(self.root, 0o755)
        self.home = self.root / "var"
        self.start()
        if dns:
            self.halt()
            conf = self.home / "etc" / "appliance.conf"
            conf.write_text(conf.read_text() +
                            f"\n[dns]\nservers = 127.0.0.1:{dns.port}\ntimeout = 500\n")
            self.start()

    def start(self):
        self.proc = subprocess.Popen([str(BIN / "appliance"), "up", "--home", str(self.home),
                                      "--ports", "any"], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while self.status().returncode != 0:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise SystemExit(f"{self.name}: the appliance did not become ready")
            time.sleep(0.1)

    def status(self):
        return subprocess.run([str(BIN / "appliance"), "status", "--home", str(self.home)],
                              capture_output=True, text=True)

    def pid(self, daemon):
        m = re.search(rf"^{daemon}\s+\S+\s+(\d+)", self.status().stdout, re.M)
        return int(m.group(1))

    def endpoint(self, listener):
        endpoints = json.loads((self.home / "run" / "endpoints.json").read_text())
        return endpoints[listener]

    def ctl(self, *args, stdin=None):
        r = subprocess.run([str(BIN / "appliancectl"), "--home", str(self.home), *args],
                           capture_output=True, text=True, input=stdin)
        if r.returncode != 0:
            raise SystemExit(f"appliancectl {' '.join(args)}: {r.stderr}")
        return r.stdout

    def halt(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=60)

    def stop(self):
        self.halt()
        shutil.rmtree(self.root, ignore_errors=True)
