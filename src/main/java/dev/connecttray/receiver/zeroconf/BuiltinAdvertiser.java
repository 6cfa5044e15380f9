package dev.connecttray.receiver.zeroconf;

import dev.connecttray.core.Threads;
import dev.connecttray.receiver.zeroconf.Dns.Message;
import dev.connecttray.receiver.zeroconf.Dns.Question;
import dev.connecttray.receiver.zeroconf.Dns.Record;
import dev.connecttray.receiver.zeroconf.NetworkInterfaces.Nic;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An mDNS responder in this process (RFC 6762, DNS-SD per RFC 6763) for one {@link Advert}: IPv4
 * multicast on 224.0.0.251:5353, on the interfaces that are up, not loopback and routed. It probes
 * the instance and host names (3 probes 250 ms apart), takes "Name (2)" or "host-2" on a conflict,
 * announces PTR, SRV (target {@code host.local}), TXT and A/AAAA twice a second apart, answers
 * queries (multicast, QU and legacy unicast), and says goodbye (TTL 0) on {@link #close()}.
 *
 * <p>Threads: one receiver (1 s socket timeout) and one timer; both end on close.
 */
public final class BuiltinAdvertiser implements Advertiser {
    private static final Logger LOG = LoggerFactory.getLogger(BuiltinAdvertiser.class);
    static final int MDNS_PORT = 5353;
    static final InetAddress GROUP = ipv4(224, 0, 0, 251);
    static final String SERVICES = "_services._dns-sd._udp.local";
    static final long HOST_TTL = 120, OTHER_TTL = 4500;
    private static final int PROBES = 3;
    private static final long PROBE_INTERVAL_MS = 250;
    private static final int MAX_RENAMES = 30;

    private enum State { IDLE, PROBING, ANNOUNCED, CLOSED }

    private final Object lock = new Object();
    private final Object sendLock = new Object();
    private final String initialHost;
    private State state = State.IDLE;
    private Advert advert;
    private String instance;
    private String host;
    private List<Nic> nics = List.of();
    private MulticastSocket socket;
    private Thread receiver;
    private ScheduledExecutorService timer;
    private boolean instanceConflict;
    private boolean hostConflict;
    private boolean lateConflictPending;

    /** A responder that names the host after this machine's host name. */
    public BuiltinAdvertiser() {
        this(Names.hostLabel(systemHostName()));
    }

    /** A responder that advertises the host as {@code hostLabel.local} (a DNS label). */
    public BuiltinAdvertiser(String hostLabel) {
        this.initialHost = Names.hostLabel(hostLabel);
    }

    @Override
    public String describe() {
        return "built-in mDNS responder";
    }

    /** The host label in use now (after any rename), without ".local". */
    public String hostLabel() {
        synchronized (lock) {
            return host == null ? initialHost : host;
        }
    }

    @Override
    public String publish(Advert advert) throws IOException {
        synchronized (lock) {
            if (state != State.IDLE) throw new IllegalStateException("already published (" + state + ")");
            this.advert = advert;
            this.instance = Names.instanceLabel(advert.name());
            this.host = initialHost;
            this.nics = usableInterfaces();
            if (nics.isEmpty()) {
                state = State.CLOSED;
                throw new IOException("no network interface to advertise on (none is up, routed and has an IPv4 address)");
            }
            openSocket();
            state = State.PROBING;
        }
        timer = Executors.newSingleThreadScheduledExecutor(Threads.factory("mdns-timer"));
        receiver = Threads.named("mdns-receiver", this::receiveLoop);
        receiver.start();
        try {
            probeUntilUnique();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IOException("interrupted while probing", e);
        }
        String name;
        synchronized (lock) {
            if (state == State.CLOSED) throw new IOException("closed while probing");
            state = State.ANNOUNCED;
            name = instance;
            LOG.info("advertising '{}' on port {} as {}.local on {}", instance, advert.port(), host, nicNames());
        }
        announce();
        timer.schedule(this::announceQuietly, 1, TimeUnit.SECONDS);
        return name;
    }

    @Override
    public void reannounce() throws IOException {
        List<Nic> now = usableInterfaces();
        synchronized (lock) {
            if (state != State.ANNOUNCED && state != State.PROBING) return;
            Set<String> before = new LinkedHashSet<>(nics.stream().map(Nic::name).toList());
            for (Nic n : now) {
                if (!before.remove(n.name())) join(n);
            }
            for (String gone : before) {
                try {
                    NetworkInterface ni = NetworkInterface.getByName(gone);
                    if (ni != null) socket.leaveGroup(new InetSocketAddress(GROUP, MDNS_PORT), ni);
                } catch (IOException e) {
                    LOG.debug("leaving the mDNS group on {}: {}", gone, e.toString());
                }
            }
            nics = now;
            LOG.debug("re-announcing on {}", nicNames());
            if (state != State.ANNOUNCED) return;
        }
        announce();
    }

    @Override
    public void close() {
        MulticastSocket s;
        synchronized (lock) {
            if (state == State.CLOSED || state == State.IDLE) {
                state = State.CLOSED;
                return;
            }
            boolean wasAnnounced = state == State.ANNOUNCED;
            state = State.CLOSED;
            lock.notifyAll();
            if (wasAnnounced) {
                for (Nic n : nics) send(n, announcement(n, 0), null);
                LOG.info("withdrew '{}' (goodbye sent)", instance);
            }
            s = socket;
        }
        try {
            s.close();
        } catch (Error e) {
            // Out of file descriptors, the JDK's datagram close (it dup2s a spare descriptor first)
            // throws Error(IOException): the socket is gone with the process anyway; the exit must go on.
            if (!(e.getCause() instanceof java.io.IOException)) throw e;
            LOG.warn("Closing the mDNS socket failed: {}", e.getCause().getMessage());
        }
        if (timer != null) timer.shutdownNow();
        if (receiver != null && receiver != Thread.currentThread()) {
            try {
                receiver.join(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- probing ----

    private void probeUntilUnique() throws InterruptedException {
        for (int attempt = 0; attempt <= MAX_RENAMES; attempt++) {
            synchronized (lock) {
                instanceConflict = false;
                hostConflict = false;
            }
            boolean conflict = false;
            for (int i = 0; i < PROBES && !conflict; i++) {
                Message probe;
                synchronized (lock) {
                    if (state == State.CLOSED) return;
                    probe = probe(i == 0);
                }
                for (Nic n : nics) send(n, probe, null);
                conflict = awaitConflict(PROBE_INTERVAL_MS);
            }
            if (!conflict) return;
            synchronized (lock) {
                if (instanceConflict) {
                    String next = Names.nextInstanceName(instance);
                    LOG.info("the name '{}' is taken on the network; trying '{}'", instance, next);
                    instance = next;
                }
                if (hostConflict) {
                    String next = Names.nextHostLabel(host);
                    LOG.info("the host name {}.local is taken on the network; trying {}.local", host, next);
                    host = next;
                }
            }
        }
        LOG.warn("still conflicting after {} renames; announcing '{}' anyway", MAX_RENAMES, instance);
    }

    private boolean awaitConflict(long ms) throws InterruptedException {
        long end = System.nanoTime() + ms * 1_000_000;
        synchronized (lock) {
            while (!instanceConflict && !hostConflict && state != State.CLOSED) {
                long left = end - System.nanoTime();
                if (left <= 0) return false;
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return instanceConflict || hostConflict;
        }
    }

    /** After announcing, someone else answered with our names: probe again under new names. */
    private void resolveLateConflict() {
        try {
            synchronized (lock) {
                if (state != State.ANNOUNCED) return;
                state = State.PROBING;
            }
            probeUntilUnique();
            synchronized (lock) {
                lateConflictPending = false;
                if (state == State.CLOSED) return;
                state = State.ANNOUNCED;
                LOG.info("advertising again as '{}' ({}.local) after a conflict", instance, host);
            }
            announce();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- records ----

    private String serviceType() {
        return Advert.SERVICE_TYPE + ".local";
    }

    private String instanceFqdn() {
        return Dns.escapeLabel(instance) + "." + serviceType();
    }

    private String hostFqdn() {
        return host + ".local";
    }

    private List<Record> addressRecords(List<Nic> on, long ttl) {
        Set<InetAddress> addrs = new LinkedHashSet<>();
        for (Nic n : on) addrs.addAll(n.addresses());
        List<Record> out = new ArrayList<>();
        for (InetAddress a : addrs) {
            out.add(new Record(hostFqdn(), a instanceof Inet4Address ? Dns.A : Dns.AAAA, true, ttl, a.getAddress()));
        }
        return out;
    }

    private Record srv(long ttl) {
        return new Record(instanceFqdn(), Dns.SRV, true, ttl, Dns.srvData(0, 0, advert.port(), hostFqdn()));
    }

    private Record txt(long ttl) {
        return new Record(instanceFqdn(), Dns.TXT, true, ttl, Dns.txtData(orderedTxt()));
    }

    private java.util.Map<String, String> orderedTxt() {
        java.util.Map<String, String> m = new java.util.TreeMap<>(advert.txt());
        return m;
    }

    private Record ptr(long ttl) {
        return new Record(serviceType(), Dns.PTR, false, ttl, Dns.ptrData(instanceFqdn()));
    }

    private Record servicesPtr(long ttl) {
        return new Record(SERVICES, Dns.PTR, false, ttl, Dns.ptrData(serviceType()));
    }

    /** Everything we answer for, with the addresses of {@code on}. */
    private List<Record> records(List<Nic> on, long ttlOverride) {
        List<Record> out = new ArrayList<>();
        out.add(ptr(ttlOverride >= 0 ? ttlOverride : OTHER_TTL));
        out.add(servicesPtr(ttlOverride >= 0 ? ttlOverride : OTHER_TTL));
        out.add(srv(ttlOverride >= 0 ? ttlOverride : HOST_TTL));
        out.add(txt(ttlOverride >= 0 ? ttlOverride : OTHER_TTL));
        out.addAll(addressRecords(on, ttlOverride >= 0 ? ttlOverride : HOST_TTL));
        return out;
    }

    private Message announcement(Nic n, long ttlOverride) {
        return new Message(0, Dns.FLAGS_RESPONSE, List.of(), records(List.of(n), ttlOverride), List.of(), List.of());
    }

    private Message probe(boolean unicast) {
        List<Question> qs = List.of(new Question(instanceFqdn(), Dns.ANY, unicast), new Question(hostFqdn(), Dns.ANY, unicast));
        List<Record> auth = new ArrayList<>();
        auth.add(srv(HOST_TTL));
        auth.add(txt(OTHER_TTL));
        auth.addAll(addressRecords(nics, HOST_TTL));
        return new Message(0, 0, qs, List.of(), auth, List.of());
    }

    private void announce() {
        synchronized (lock) {
            if (state != State.ANNOUNCED) return;
            for (Nic n : nics) send(n, announcement(n, -1), null);
        }
    }

    private void announceQuietly() {
        announce();
    }

    // ---- receiving ----

    private void receiveLoop() {
        byte[] buf = new byte[9000];
        while (true) {
            MulticastSocket s;
            synchronized (lock) {
                if (state == State.CLOSED) return;
                s = socket;
            }
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                synchronized (lock) {
                    if (state == State.CLOSED) return;
                }
                LOG.debug("mDNS receive failed: {}", e.toString());
                continue;
            }
            Message m;
            try {
                m = Dns.decode(p.getData(), p.getLength());
            } catch (Dns.FormatException e) {
                LOG.debug("ignoring a malformed mDNS packet from {}: {}", p.getSocketAddress(), e.getMessage());
                continue;
            }
            try {
                handle(m, (InetSocketAddress) p.getSocketAddress());
            } catch (RuntimeException e) {
                LOG.warn("handling an mDNS packet from {} failed", p.getSocketAddress(), e);
            }
        }
    }

    void handle(Message m, InetSocketAddress from) {
        synchronized (lock) {
            if (m.isResponse()) {
                checkConflicts(m, from);
            } else if (state == State.PROBING) {
                checkSimultaneousProbe(m);
            } else if (state == State.ANNOUNCED) {
                answer(m, from);
            }
        }
    }

    private boolean fromUs(InetSocketAddress from) {
        for (Nic n : nics) if (n.addresses().contains(from.getAddress())) return true;
        return false;
    }

    /** A response holding our unique names with other data: someone else has them (RFC 6762 §9). */
    private void checkConflicts(Message m, InetSocketAddress from) {
        if (state != State.PROBING && state != State.ANNOUNCED) return;
        List<Record> ours = records(nics, -1);
        boolean inst = false, hst = false;
        List<Record> theirs = new ArrayList<>(m.answers());
        theirs.addAll(m.additionals());
        for (Record r : theirs) {
            if (r.ttl() == 0) continue;
            boolean mine = ours.stream().anyMatch(o -> o.sameData(r));
            if (mine) continue;
            if (Dns.nameEquals(r.name(), instanceFqdn()) && (r.type() == Dns.SRV || r.type() == Dns.TXT)) inst = true;
            // a packet from one of our own addresses naming our host is us (an older announcement)
            if (Dns.nameEquals(r.name(), hostFqdn()) && (r.type() == Dns.A || r.type() == Dns.AAAA) && !fromUs(from)) hst = true;
        }
        if (!inst && !hst) return;
        if (state == State.PROBING) {
            instanceConflict |= inst;
            hostConflict |= hst;
            lock.notifyAll();
        } else if (!lateConflictPending) {
            lateConflictPending = true;
            instanceConflict = inst;
            hostConflict = hst;
            LOG.warn("{} answered for our {} with other data: probing again", from.getAddress().getHostAddress(),
                    inst ? "name '" + instance + "'" : "host name " + hostFqdn());
            timer.execute(this::resolveLateConflict);
        }
    }

    /** Another host probes for our names at the same time: the lexicographically later data wins (§8.2). */
    private void checkSimultaneousProbe(Message m) {
        if (m.authorities().isEmpty()) return;
        for (Question q : m.questions()) {
            boolean inst = Dns.nameEquals(q.name(), instanceFqdn()), hst = Dns.nameEquals(q.name(), hostFqdn());
            if (!inst && !hst) continue;
            List<Record> theirs = m.authorities().stream().filter(r -> Dns.nameEquals(r.name(), q.name())).toList();
            List<Record> ours = probe(false).authorities().stream().filter(r -> Dns.nameEquals(r.name(), q.name())).toList();
            if (compareProbeData(theirs, ours) > 0) {
                if (inst) instanceConflict = true;
                else hostConflict = true;
                lock.notifyAll();
            }
        }
    }

    /** RFC 6762 §8.2: records sorted by class, type, rdata; compared pairwise; the longer list wins a tie. */
    static int compareProbeData(List<Record> a, List<Record> b) {
        Comparator<Record> order = Comparator.comparingInt(Record::type).thenComparing(Record::rdata, Arrays::compareUnsigned);
        List<Record> x = a.stream().sorted(order).toList(), y = b.stream().sorted(order).toList();
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            int c = order.compare(x.get(i), y.get(i));
            if (c != 0) return c;
        }
        return Integer.compare(x.size(), y.size());
    }

    private void answer(Message q, InetSocketAddress from) {
        List<Nic> on = nics.stream().filter(n -> n.onLink(from.getAddress())).toList();
        if (on.isEmpty()) on = nics;
        List<Record> all = records(on, -1);
        List<Record> answers = new ArrayList<>();
        boolean allUnicast = true;
        for (Question question : q.questions()) {
            boolean matched = false;
            for (Record r : all) {
                if (!Dns.nameEquals(r.name(), question.name())) continue;
                if (question.type() != Dns.ANY && question.type() != r.type()) continue;
                // known-answer suppression (§7.1): the asker has it with at least half our TTL
                boolean known = q.answers().stream().anyMatch(k -> k.sameData(r) && k.ttl() >= r.ttl() / 2);
                if (!known && answers.stream().noneMatch(a -> a.sameData(r))) answers.add(r);
                matched = true;
            }
            if (matched && !question.unicastResponse()) allUnicast = false;
        }
        if (answers.isEmpty()) return;
        List<Record> additionals = new ArrayList<>();
        boolean wantsService = answers.stream().anyMatch(r -> r.type() == Dns.PTR && Dns.nameEquals(r.name(), serviceType()));
        boolean wantsHost = wantsService || answers.stream().anyMatch(r -> r.type() == Dns.SRV);
        for (Record r : all) {
            boolean add = (wantsService && (r.type() == Dns.SRV || r.type() == Dns.TXT))
                    || (wantsHost && (r.type() == Dns.A || r.type() == Dns.AAAA));
            if (add && answers.stream().noneMatch(a -> a.sameData(r))) additionals.add(r);
        }
        boolean legacy = from.getPort() != MDNS_PORT;
        if (legacy) {
            // a one-shot resolver (§6.7): answer it directly, echo its question and id, short TTLs
            List<Record> a = answers.stream().map(r -> new Record(r.name(), r.type(), false, Math.min(r.ttl(), 10), r.rdata())).toList();
            List<Record> ad = additionals.stream().map(r -> new Record(r.name(), r.type(), false, Math.min(r.ttl(), 10), r.rdata())).toList();
            send(null, new Message(q.id(), Dns.FLAGS_RESPONSE, q.questions(), a, List.of(), ad), from);
        } else if (allUnicast) {
            send(null, new Message(0, Dns.FLAGS_RESPONSE, List.of(), answers, List.of(), additionals), from);
        } else {
            Message reply = new Message(0, Dns.FLAGS_RESPONSE, List.of(), answers, List.of(), additionals);
            for (Nic n : on) send(n, reply, null);
        }
    }

    // ---- sockets ----

    private void openSocket() throws IOException {
        MulticastSocket s = new MulticastSocket(null);
        try {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(MDNS_PORT));
            s.setTimeToLive(255);
            s.setSoTimeout(1000);
            socket = s;
            for (Nic n : nics) join(n);
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot open the mDNS socket (UDP " + MDNS_PORT + "): " + e.getMessage(), e);
        }
    }

    private void join(Nic n) throws IOException {
        NetworkInterface ni = NetworkInterface.getByName(n.name());
        if (ni == null) throw new SocketException("interface " + n.name() + " is gone");
        try {
            socket.joinGroup(new InetSocketAddress(GROUP, MDNS_PORT), ni);
        } catch (IOException e) {
            // already a member (a reannounce after a flap): fine
            LOG.debug("joining the mDNS group on {}: {}", n.name(), e.toString());
        }
    }

    /** Multicast on {@code n}, or unicast to {@code to}. Never throws: a lost packet is mDNS as usual. */
    private void send(Nic n, Message m, InetSocketAddress to) {
        byte[] data = Dns.encode(m);
        synchronized (sendLock) {
            try {
                if (to != null) {
                    socket.send(new DatagramPacket(data, data.length, to));
                } else {
                    NetworkInterface ni = NetworkInterface.getByName(n.name());
                    if (ni == null) return;
                    socket.setNetworkInterface(ni);
                    socket.send(new DatagramPacket(data, data.length, GROUP, MDNS_PORT));
                }
            } catch (IOException e) {
                LOG.debug("sending mDNS on {} failed: {}", n == null ? to : n.name(), e.toString());
            }
        }
    }

    private List<Nic> usableInterfaces() throws IOException {
        return NetworkInterfaces.choose(NetworkInterfaces.list(), NetworkInterfaces.routedInterfaces());
    }

    private String nicNames() {
        return nics.stream().map(Nic::name).toList().toString();
    }

    static String systemHostName() {
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!h.isEmpty()) return h;
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        String env = System.getenv("HOSTNAME");
        if (env == null) env = System.getenv("COMPUTERNAME");
        if (env != null && !env.isBlank()) return env;
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "connect-tray";
        }
    }

    private static InetAddress ipv4(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
