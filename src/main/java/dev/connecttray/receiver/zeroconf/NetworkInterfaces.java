package dev.connecttray.receiver.zeroconf;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Which network interfaces the built-in responder advertises on. */
final class NetworkInterfaces {
    private NetworkInterfaces() {}

    /** What matters about one interface; {@code prefixes} matches {@code addresses}. */
    record Nic(String name, int index, boolean up, boolean loopback, boolean multicast,
               List<InetAddress> addresses, List<Integer> prefixes) {
        Nic {
            addresses = List.copyOf(addresses);
            prefixes = List.copyOf(prefixes);
        }

        List<InetAddress> ipv4() {
            return addresses.stream().filter(a -> a instanceof Inet4Address).toList();
        }

        /** Whether {@code a} is in one of this interface's subnets. */
        boolean onLink(InetAddress a) {
            byte[] x = a.getAddress();
            for (int i = 0; i < addresses.size(); i++) {
                byte[] y = addresses.get(i).getAddress();
                if (x.length != y.length) continue;
                int bits = prefixes.get(i);
                boolean same = true;
                for (int b = 0; b < bits && same; b++) {
                    int mask = 0x80 >>> (b % 8);
                    same = (x[b / 8] & mask) == (y[b / 8] & mask);
                }
                if (same) return true;
            }
            return false;
        }
    }

    /**
     * The interfaces to advertise on: up, not loopback, multicast-capable, with an IPv4 address
     * (the responder speaks IPv4 multicast), and — when the routing table could be read
     * ({@code routed} not empty) — with a route through them.
     */
    static List<Nic> choose(List<Nic> all, Set<String> routed) {
        List<Nic> out = new ArrayList<>();
        for (Nic n : all) {
            if (!n.up() || n.loopback() || !n.multicast()) continue;
            if (n.ipv4().isEmpty()) continue;
            if (!routed.isEmpty() && !routed.contains(n.name())) continue;
            out.add(n);
        }
        return out;
    }

    /** The interfaces of this machine now. */
    static List<Nic> list() throws SocketException {
        List<Nic> out = new ArrayList<>();
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            List<InetAddress> addrs = new ArrayList<>();
            List<Integer> prefixes = new ArrayList<>();
            for (InterfaceAddress ia : ni.getInterfaceAddresses()) {
                InetAddress a = ia.getAddress();
                if (a == null) continue;
                // a link-local IPv6 address is only meaningful on its own link; skip it in AAAA records
                if (!(a instanceof Inet4Address) && a.isLinkLocalAddress()) continue;
                addrs.add(stripScope(a));
                prefixes.add((int) ia.getNetworkPrefixLength());
            }
            out.add(new Nic(ni.getName(), ni.getIndex(), ni.isUp(), ni.isLoopback(), ni.supportsMulticast(),
                    addrs, prefixes));
        }
        return out;
    }

    private static InetAddress stripScope(InetAddress a) {
        try {
            return InetAddress.getByAddress(a.getAddress());
        } catch (IOException e) {
            return a;
        }
    }

    /** Interfaces with a route through them, from /proc/net/route and ipv6_route; empty when unreadable. */
    static Set<String> routedInterfaces() {
        Set<String> out = new HashSet<>();
        readRoutes(Path.of("/proc/net/route"), 0).ifPresent(out::addAll);
        readRoutes(Path.of("/proc/net/ipv6_route"), 9).ifPresent(out::addAll);
        return out;
    }

    /** The interface column ({@code column}) of a /proc route table; the IPv4 one has a header line. */
    static Optional<Set<String>> readRoutes(Path file, int column) {
        try {
            return Optional.of(parseRouteTable(Files.readAllLines(file), column));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Set<String> parseRouteTable(List<String> lines, int column) {
        Set<String> names = new HashSet<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length <= column || f[column].equals("Iface") || f[column].equals("lo")) continue;
            names.add(f[column]);
        }
        return names;
    }
}
