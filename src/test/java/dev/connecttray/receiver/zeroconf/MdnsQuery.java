package dev.connecttray.receiver.zeroconf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Test code: a small mDNS client, written apart from the responder (it shares none of its
 * parsing). It asks for PTR {@code _spotify-connect._tcp.local}, follows SRV, TXT and A, and
 * prints one line per resolved instance; then it listens for goodbyes (TTL 0).
 *
 * <pre>java MdnsQuery RESOLVE_SECONDS EXPECTED_COUNT GOODBYE_SECONDS</pre>
 * prints {@code @@INSTANCE name target port addr,addr k=v;k=v}, {@code @@READY n},
 * {@code @@GOODBYE name}, {@code @@DONE}.
 */
public final class MdnsQuery {
    static final String TYPE = "_spotify-connect._tcp.local";
    static final InetAddress GROUP;

    static {
        try {
            GROUP = InetAddress.getByName("224.0.0.251");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One resolved instance. */
    public record Found(String instance, String target, int port, Set<String> addresses, Map<String, String> txt) {}

    /** A record as this client keeps it: names as label lists, data already read. */
    record Rr(List<String> name, int type, long ttl, List<String> target, int port, byte[] raw) {}

    private final MulticastSocket socket;
    private final List<NetworkInterface> interfaces = new ArrayList<>();
    // key "name|type|data" -> record (the newest)
    private final Map<String, Rr> cache = new LinkedHashMap<>();
    private final Set<String> goodbyes = new LinkedHashSet<>();

    MdnsQuery() throws IOException {
        socket = new MulticastSocket(null);
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(5353));
        socket.setTimeToLive(255);
        socket.setSoTimeout(200);
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback() || !ni.supportsMulticast()) continue;
            if (ni.inetAddresses().noneMatch(a -> a.getAddress().length == 4)) continue;
            socket.joinGroup(new InetSocketAddress(GROUP, 5353), ni);
            interfaces.add(ni);
        }
        if (interfaces.isEmpty()) throw new IOException("no interface to query on");
    }

    // ---- wire ----

    private static void writeName(ByteArrayOutputStream o, List<String> labels) {
        for (String l : labels) {
            byte[] b = l.getBytes(StandardCharsets.UTF_8);
            o.write(b.length);
            o.write(b, 0, b.length);
        }
        o.write(0);
    }

    static List<String> split(String dotted) {
        return List.of(dotted.split("\\."));
    }

    private void ask(List<List<String>> names, List<Integer> types, boolean unicast) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(new byte[] {0, 0, 0, 0, 0, (byte) names.size(), 0, 0, 0, 0, 0, 0}, 0, 12);
        for (int i = 0; i < names.size(); i++) {
            writeName(o, names.get(i));
            o.write(0);
            o.write(types.get(i));
            o.write(unicast ? 0x80 : 0);
            o.write(1);
        }
        byte[] b = o.toByteArray();
        for (NetworkInterface ni : interfaces) {
            socket.setNetworkInterface(ni);
            socket.send(new DatagramPacket(b, b.length, GROUP, 5353));
        }
    }

    /** Reads a possibly compressed name at {@code pos[0]}, moving it past the name. */
    static List<String> readName(byte[] m, int len, int[] pos) {
        List<String> out = new ArrayList<>();
        int p = pos[0];
        boolean jumped = false;
        for (int hops = 0; hops < 64; hops++) {
            int n = m[p] & 0xff;
            if (n == 0) {
                if (!jumped) pos[0] = p + 1;
                return out;
            }
            if (n >= 0xc0) {
                if (!jumped) pos[0] = p + 2;
                jumped = true;
                p = ((n & 0x3f) << 8) | (m[p + 1] & 0xff);
                continue;
            }
            out.add(new String(m, p + 1, n, StandardCharsets.UTF_8));
            p += 1 + n;
            if (p >= len) throw new IllegalArgumentException("name past the end");
        }
        throw new IllegalArgumentException("too many pointers");
    }

    private static int u16(byte[] m, int p) {
        return ((m[p] & 0xff) << 8) | (m[p + 1] & 0xff);
    }

    private void take(byte[] m, int len) {
        if ((m[2] & 0x80) == 0) return; // a query
        int qd = u16(m, 4), records = u16(m, 6) + u16(m, 8) + u16(m, 10);
        int[] pos = {12};
        for (int i = 0; i < qd; i++) {
            readName(m, len, pos);
            pos[0] += 4;
        }
        for (int i = 0; i < records; i++) {
            List<String> name = readName(m, len, pos);
            int type = u16(m, pos[0]);
            long ttl = ((long) u16(m, pos[0] + 4) << 16) | u16(m, pos[0] + 6);
            int rdlen = u16(m, pos[0] + 8);
            int start = pos[0] + 10;
            List<String> target = List.of();
            int port = 0;
            if (type == 12) {
                target = readName(m, len, new int[] {start});
            } else if (type == 33) {
                port = u16(m, start + 4);
                target = readName(m, len, new int[] {start + 6});
            }
            byte[] raw = java.util.Arrays.copyOfRange(m, start, start + rdlen);
            pos[0] = start + rdlen;
            Rr rr = new Rr(name, type, ttl, target, port, raw);
            String key = key(name) + "|" + type + "|" + (type == 12 || type == 33 ? key(target) + ":" + port : java.util.Arrays.toString(raw));
            cache.put(key, rr);
            if (ttl == 0 && type == 12 && key(name).equals(TYPE.toLowerCase(Locale.ROOT)) && !target.isEmpty()) {
                goodbyes.add(target.get(0));
            }
        }
    }

    static String key(List<String> labels) {
        return String.join(".", labels).toLowerCase(Locale.ROOT);
    }

    private void listen(long untilNanos) throws IOException {
        byte[] buf = new byte[9000];
        while (System.nanoTime() < untilNanos) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return;
            }
            try {
                take(p.getData(), p.getLength());
            } catch (RuntimeException e) {
                System.out.println("# unreadable packet from " + p.getSocketAddress() + ": " + e);
            }
        }
    }

    private List<Rr> live(String name, int type) {
        List<Rr> out = new ArrayList<>();
        for (Rr r : cache.values()) if (r.type() == type && r.ttl() > 0 && key(r.name()).equals(name.toLowerCase(Locale.ROOT))) out.add(r);
        return out;
    }

    /** What the cache resolves now. */
    List<Found> resolved() {
        List<Found> out = new ArrayList<>();
        for (Rr ptr : live(TYPE, 12)) {
            String inst = key(ptr.target());
            List<Rr> srv = live(inst, 33), txt = live(inst, 16);
            if (srv.isEmpty() || txt.isEmpty()) continue;
            String target = key(srv.get(0).target());
            Set<String> addrs = new TreeSet<>();
            for (Rr a : live(target, 1)) {
                try {
                    addrs.add(InetAddress.getByAddress(a.raw()).getHostAddress());
                } catch (IOException e) {
                    // not 4 bytes
                }
            }
            if (addrs.isEmpty()) continue;
            Map<String, String> kv = new LinkedHashMap<>();
            byte[] t = txt.get(0).raw();
            for (int i = 0; i < t.length; ) {
                int n = t[i] & 0xff;
                String s = new String(t, i + 1, n, StandardCharsets.UTF_8);
                int eq = s.indexOf('=');
                if (n > 0) kv.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
                i += 1 + n;
            }
            out.add(new Found(ptr.target().get(0), target, srv.get(0).port(), addrs, kv));
        }
        return out;
    }

    /** Asks until {@code expected} instances resolve or the time is up. */
    List<Found> resolve(int expected, long seconds) throws IOException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        boolean first = true;
        List<Found> found = List.of();
        while (System.nanoTime() < end) {
            ask(List.of(split(TYPE)), List.of(12), first);
            first = false;
            // follow what is known but incomplete
            for (Rr ptr : live(TYPE, 12)) {
                String inst = key(ptr.target());
                List<Rr> srv = live(inst, 33);
                if (srv.isEmpty() || live(inst, 16).isEmpty()) ask(List.of(ptr.target(), ptr.target()), List.of(33, 16), false);
                else if (live(key(srv.get(0).target()), 1).isEmpty()) ask(List.of(srv.get(0).target()), List.of(1), false);
            }
            long round = Math.min(end, System.nanoTime() + 700_000_000L);
            while (System.nanoTime() < round) listen(round);
            found = resolved();
            if (found.size() >= expected) return found;
        }
        return found;
    }

    public static void main(String[] args) throws Exception {
        long resolveSeconds = Long.parseLong(args[0]);
        int expected = Integer.parseInt(args[1]);
        long goodbyeSeconds = Long.parseLong(args[2]);
        MdnsQuery q = new MdnsQuery();
        List<Found> found = q.resolve(expected, resolveSeconds);
        for (Found f : found) {
            StringBuilder txt = new StringBuilder();
            f.txt().forEach((k, v) -> txt.append(txt.length() == 0 ? "" : ";").append(k).append('=').append(v));
            System.out.println("@@INSTANCE\t" + f.instance() + "\t" + f.target() + "\t" + f.port() + "\t"
                    + String.join(",", f.addresses()) + "\t" + txt);
        }
        System.out.println("@@READY\t" + found.size());
        System.out.flush();
        Set<String> printed = new LinkedHashSet<>();
        long end = System.nanoTime() + goodbyeSeconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            q.listen(end);
            for (String g : q.goodbyes) {
                if (printed.add(g)) {
                    System.out.println("@@GOODBYE\t" + g);
                    System.out.flush();
                }
            }
            if (!found.isEmpty() && found.stream().allMatch(f -> printed.contains(f.instance()))) break;
        }
        System.out.println("@@DONE");
        q.socket.close();
    }
}
