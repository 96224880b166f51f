# TTL peer for tests/net-native.test.js: a UDP receiver that reads each datagram's TTL from the IP header
# (IP_RECVTTL ancillary data) and a TCP server whose raw IPPROTO_TCP socket reads the TTL of every segment
# that carries data to it (root). Prints "ready UDP_PORT TCP_PORT", then "udp DATA ttl N" / "tcp DATA ttl N";
# exits after argv[1] seconds (default 20). Linux only (Python 3).
import select, socket, struct, sys, time

IP_RECVTTL, IP_TTL = 12, 2
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.setsockopt(socket.IPPROTO_IP, IP_RECVTTL, 1)
udp.bind(("127.0.0.1", 0))
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("127.0.0.1", 0))
srv.listen(4)
tcp_port = srv.getsockname()[1]
raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
print("ready %d %d" % (udp.getsockname()[1], tcp_port), flush=True)
conns = []
deadline = time.monotonic() + float(sys.argv[1] if len(sys.argv) > 1 else 20)
while time.monotonic() < deadline:
    r, _, _ = select.select([udp, srv, raw] + conns, [], [], 0.1)
    for s in r:
        if s is udp:
            data, anc, _, _ = udp.recvmsg(2048, socket.CMSG_SPACE(4))
            ttl = [struct.unpack("i", d[:4])[0] for level, kind, d in anc if level == socket.IPPROTO_IP and kind == IP_TTL]
            print("udp %s ttl %s" % (data.decode(), ttl[0] if ttl else "?"), flush=True)
        elif s is srv:
            c, _ = srv.accept()
            conns.append(c)
        elif s is raw:
            p = raw.recv(65536)
            ihl = (p[0] & 15) * 4
            dport = struct.unpack("!H", p[ihl + 2:ihl + 4])[0]
            offset = (p[ihl + 12] >> 4) * 4
            payload = p[ihl + offset:]
            if dport == tcp_port and payload:
                print("tcp %s ttl %d" % (payload.decode(), p[8]), flush=True)
        else:
            if not s.recv(4096):
                conns.remove(s)
                s.close()
