"""The far side of outbound TLS for the tests of deliverd's TLS policy, started by
the test on loopback: a test CA made with openssl; a DNS server standing for a
validating resolver (it sets the AD bit on the names of "signed" zones, as
unbound or a DNSSEC-validating dnsmasq would after validation: dnsmasq sets no
AD bit on records of its own configuration, so it cannot play that part); SMTP
servers with STARTTLS, each on its own loopback address and certificate; and an
HTTPS server for MTA-STS policies."""
import hashlib
import http.server
import socket
import socketserver
import ssl
import struct
import subprocess
import threading

TYPES = {"A": 1, "CNAME": 5, "MX": 15, "TXT": 16, "AAAA": 28, "TLSA": 52}


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


class CertAuthority:
    """A P-256 CA in `root` and leaf certificates it issues (or that sign themselves)."""

    def __init__(self, root):
        self.root = root
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Test CA",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=root)
        self.pem = root / "ca.pem"

    def leaf(self, name, dns_names, self_signed=False, chain=False):
        """(certificate, key) paths; the certificate names dns_names; with `chain`
        the certificate file holds the CA's certificate after it (for DANE-TA)."""
        key, csr, cert = f"{name}.key", f"{name}.csr", f"{name}.pem"
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key, "-out", csr, "-subj", f"/CN={dns_names[0]}", cwd=self.root)
        ext = self.root / f"{name}.ext"
        ext.write_text("subjectAltName=" + ",".join(f"DNS:{n}" for n in dns_names) +
                       "\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n")
        signer = (["-signkey", key] if self_signed else
                  ["-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial"])
        openssl("x509", "-req", "-in", csr, *signer, "-out", cert, "-days", "2",
                "-extfile", ext.name, cwd=self.root)
        if chain:
            with open(self.root / cert, "a") as f:
                f.write(self.pem.read_text())
        return self.root / cert, self.root / key

    def sha256(self):
        """The TLSA 2 0 1 data of the CA: SHA-256 of its certificate."""
        der = subprocess.run(["openssl", "x509", "-in", str(self.pem), "-outform", "DER"],
                             check=True, capture_output=True).stdout
        return hashlib.sha256(der).digest()


def spki_sha256(cert):
    """The TLSA 3 1 1 data of a certificate: SHA-256 of its SubjectPublicKeyInfo."""
    pub = subprocess.run(["openssl", "x509", "-in", str(cert), "-pubkey", "-noout"],
                         check=True, capture_output=True).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "DER"], input=pub,
                         check=True, capture_output=True).stdout
    return hashlib.sha256(der).digest()


def encode_name(name):
    return b"".join(bytes([len(l)]) + l.encode() for l in name.rstrip(".").split(".")) + b"\0"


class DnsServer:
    """UDP on 127.0.0.1: answers from `records` {(name, type): [rdata]}; names under a
    zone in `signed` get the AD bit when the question asks for it (RFC 6840 5.7);
    (name, type) in `servfail` gets SERVFAIL; other known names NODATA, the rest NXDOMAIN.
    A name with a CNAME is followed, as a recursive resolver does: the answer holds the
    chain, then the records of its end, and is authenticated only if every name is signed."""

    def __init__(self, signed=()):
        self.records, self.signed, self.servfail = {}, set(signed), set()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.sock.settimeout(0.2)
        self.running = True
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def add(self, name, rtype, rdata):
        self.records.setdefault((name.lower(), TYPES[rtype]), []).append(rdata)

    def a(self, name, address):
        self.add(name, "A", socket.inet_aton(address))

    def mx(self, domain, host, preference=10):
        self.add(domain, "MX", struct.pack(">H", preference) + encode_name(host))

    def cname(self, name, target):
        self.add(name, "CNAME", encode_name(target))

    def txt(self, name, text):
        self.add(name, "TXT", bytes([len(text)]) + text.encode())

    def tlsa(self, name, usage, selector, matching, data):
        self.add(name, "TLSA", bytes([usage, selector, matching]) + data)

    def is_signed(self, name):
        return any(name == z or name.endswith("." + z) for z in self.signed)

    def answer(self, query):
        qid, flags = struct.unpack(">HH", query[:4])
        labels, at = [], 12
        while query[at]:
            labels.append(query[at + 1:at + 1 + query[at]].decode().lower())
            at += 1 + query[at]
        qtype = struct.unpack(">H", query[at + 1:at + 3])[0]
        question = query[12:at + 5]
        name, owner, chain, names = ".".join(labels), b"\xc0\x0c", [], [".".join(labels)]
        while qtype != TYPES["CNAME"] and (name, TYPES["CNAME"]) in self.records and len(chain) < 8:
            target = self.records[(name, TYPES["CNAME"])][0]
            chain.append(owner + struct.pack(">HHIH", TYPES["CNAME"], 1, 60, len(target)) + target)
            name, owner = self.decode(target), target
            names.append(name)
        known = any(n == name for n, _ in self.records)
        rdatas = self.records.get((name, qtype), [])
        rcode = 2 if (name, qtype) in self.servfail else 0 if known else 3
        out_flags = 0x8080 | (flags & 0x0100) | rcode
        signed = all(self.is_signed(n) for n in names)
        if rcode != 2 and signed and flags & 0x0020:
            out_flags |= 0x0020
        if rcode:
            rdatas = []
        body = b"".join(chain) + b"".join(
            owner + struct.pack(">HHIH", qtype, 1, 60, len(r)) + r for r in rdatas)
        count = len(chain) + len(rdatas)
        return struct.pack(">HHHHHH", qid, out_flags, 1, count, 0, 0) + question + body

    @staticmethod
    def decode(wire):
        labels, at = [], 0
        while wire[at]:
            labels.append(wire[at + 1:at + 1 + wire[at]].decode().lower())
            at += 1 + wire[at]
        return ".".join(labels)

    def serve(self):
        while self.running:
            try:
                query, peer = self.sock.recvfrom(4096)
            except socket.timeout:
                continue
            except OSError:
                return
            try:
                self.sock.sendto(self.answer(query), peer)
            except (IndexError, struct.error, UnicodeDecodeError):
                pass

    def stop(self):
        self.running = False
        self.thread.join(timeout=5)
        self.sock.close()


class SmtpServer(socketserver.ThreadingTCPServer):
    """SMTP with STARTTLS on (address, port) with one certificate; `mail` lists what
    arrived as (recipients, TLS version, message bytes), `sni` the names clients sent."""
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, address, port, cert, key):
        self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.tls.load_cert_chain(cert, key)
        self.mail, self.commands, self.sni = [], [], []
        self.tls.sni_callback = lambda sock, name, ctx: self.sni.append(name)
        super().__init__((address, port), SmtpHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def stop(self):
        self.shutdown()
        self.server_close()


class SmtpHandler(socketserver.BaseRequestHandler):
    def line(self):
        while b"\r\n" not in self.buf:
            data = self.conn.recv(4096)
            if not data:
                raise EOFError
            self.buf += data
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line.decode("utf-8", "replace")

    def say(self, text):
        self.conn.sendall(text.encode() + b"\r\n")

    def handle(self):
        self.conn, self.buf = self.request, b""
        rcpts, tls_version = [], None
        try:
            self.say("220 peer.test ESMTP")
            while True:
                cmd = self.line()
                self.server.commands.append(cmd)
                verb = cmd.split(" ")[0].upper()
                if verb == "EHLO":
                    self.say("250-peer.test\r\n250-8BITMIME\r\n" +
                             ("" if tls_version else "250-STARTTLS\r\n") + "250 OK")
                elif verb == "STARTTLS":
                    self.say("220 go ahead")
                    self.conn = self.server.tls.wrap_socket(self.conn, server_side=True)
                    tls_version, self.buf = self.conn.version(), b""
                elif verb in ("MAIL", "RSET", "NOOP"):
                    self.say("250 OK")
                elif verb == "RCPT":
                    rcpts.append(cmd.split(":", 1)[1].strip("<> "))
                    self.say("250 OK")
                elif verb == "DATA":
                    self.say("354 go ahead")
                    data = []
                    while (l := self.line()) != ".":
                        data.append(l)
                    self.server.mail.append((rcpts, tls_version, "\r\n".join(data)))
                    rcpts = []
                    self.say("250 OK queued")
                elif verb == "QUIT":
                    self.say("221 bye")
                    return
                else:
                    self.say("502 not here")
        except (EOFError, OSError, ssl.SSLError):
            return


class PolicyServer(http.server.ThreadingHTTPServer):
    """HTTPS on (address, port): /.well-known/mta-sts.txt from `policies` by Host."""
    daemon_threads = True

    def __init__(self, address, port, cert, key, policies):
        self.policies, self.fetches = policies, []
        super().__init__((address, port), PolicyHandler)
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(cert, key)
        self.socket = tls.wrap_socket(self.socket, server_side=True)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def stop(self):
        self.shutdown()
        self.server_close()


class PolicyHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        host = (self.headers.get("Host") or "").split(":")[0]
        self.server.fetches.append((host, self.path))
        body = self.server.policies.get(host)
        if self.path != "/.well-known/mta-sts.txt" or body is None:
            self.send_error(404)
            return
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass
