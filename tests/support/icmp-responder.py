# ICMP echo responder for tests/net-ping.test.js, run inside a network namespace whose kernel ignores echo
# requests (net.ipv4.icmp_echo_ignore_all=1). argv: POLICY COMMAND...; POLICY is a comma-separated list of
# actions, used in turn for each echo request seen: reply:MS (answer after MS ms), dup:MS (answer twice, 40 ms
# apart), forge (answer at once with another payload and identifier), late (answer after 1300 ms), drop.
# It starts COMMAND once its raw socket is open, logs "request N seq S to ADDR ACTION" on stderr, exits with
# COMMAND's status. Linux only (Python 3).
import select, socket, struct, subprocess, sys, time

def checksum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF
def reply(icmp, forge=False):
    body = bytearray(icmp)
    body[0] = 0
    body[2:4] = b"\0\0"
    if forge:
        body[4] ^= 0xFF
        body[8] ^= 0xFF
    body[2:4] = struct.pack("!H", checksum(bytes(body)))
    return bytes(body)
policy = sys.argv[1].split(",")
rx = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
senders = {}
def sender(src):
    if src not in senders:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        s.bind((src, 0))
        senders[src] = s
    return senders[src]
child = subprocess.Popen(sys.argv[2:])
due = []
n = 0
while True:
    now = time.monotonic()
    for d in [d for d in due if d[0] <= now]:
        due.remove(d)
        sender(d[2]).sendto(d[1], (d[3], 0))
    if child.poll() is not None and not due:
        break
    wait = min([d[0] for d in due], default=now + 0.05) - now
    r, _, _ = select.select([rx], [], [], max(0, min(wait, 0.05)))
    if not r:
        continue
    data, (src, _) = rx.recvfrom(65536)
    ihl = (data[0] & 15) * 4
    dst = socket.inet_ntoa(data[16:20])
    icmp = data[ihl:]
    if len(icmp) < 8 or icmp[0] != 8:
        continue
    action = policy[n % len(policy)]
    n += 1
    seq = struct.unpack("!H", icmp[6:8])[0]
    print("request %d seq %d to %s %s" % (n, seq, dst, action), file=sys.stderr, flush=True)
    name, _, ms = action.partition(":")
    t = time.monotonic()
    if name == "reply":
        due.append((t + int(ms or 0) / 1000, reply(icmp), dst, src))
    elif name == "dup":
        due.append((t + int(ms or 0) / 1000, reply(icmp), dst, src))
        due.append((t + int(ms or 0) / 1000 + 0.04, reply(icmp), dst, src))
    elif name == "forge":
        due.append((t, reply(icmp, True), dst, src))
    elif name == "late":
        due.append((t + 1.3, reply(icmp), dst, src))
sys.exit(child.returncode)
