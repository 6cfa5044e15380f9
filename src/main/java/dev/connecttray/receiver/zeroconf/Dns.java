package dev.connecttray.receiver.zeroconf;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The DNS message format as mDNS uses it (RFC 1035 §4, RFC 6762 §18): encode without name
 * compression (allowed), decode with it. Names are strings of labels joined by '.', a '.' or '\'
 * inside a label written as "\." or "\\" (so an instance name may hold dots).
 */
final class Dns {
    static final int A = 1, PTR = 12, TXT = 16, AAAA = 28, SRV = 33, NSEC = 47, ANY = 255;
    static final int CLASS_IN = 1;
    /** Response, authoritative answer. */
    static final int FLAGS_RESPONSE = 0x8400;

    private Dns() {}

    record Question(String name, int type, boolean unicastResponse) {}

    /** A resource record; names inside PTR and SRV data are stored uncompressed. */
    record Record(String name, int type, boolean cacheFlush, long ttl, byte[] rdata) {
        Record withTtl(long newTtl) {
            return new Record(name, type, cacheFlush, newTtl, rdata);
        }

        /** Same owner name (case-insensitive), type and data: the TTL and the flush bit aside. */
        boolean sameData(Record other) {
            return type == other.type && nameEquals(name, other.name) && Arrays.equals(rdata, other.rdata);
        }

        @Override
        public String toString() {
            return name + " " + typeName(type) + " ttl=" + ttl + (cacheFlush ? " flush" : "");
        }
    }

    record Message(int id, int flags, List<Question> questions, List<Record> answers,
                   List<Record> authorities, List<Record> additionals) {
        Message {
            questions = List.copyOf(questions);
            answers = List.copyOf(answers);
            authorities = List.copyOf(authorities);
            additionals = List.copyOf(additionals);
        }

        boolean isResponse() {
            return (flags & 0x8000) != 0;
        }
    }

    static String typeName(int type) {
        return switch (type) {
            case A -> "A";
            case PTR -> "PTR";
            case TXT -> "TXT";
            case AAAA -> "AAAA";
            case SRV -> "SRV";
            case NSEC -> "NSEC";
            case ANY -> "ANY";
            default -> "TYPE" + type;
        };
    }

    static boolean nameEquals(String a, String b) {
        return a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
    }

    /** One label written so that {@link #labels} reads it back: '.' and '\' escaped. */
    static String escapeLabel(String label) {
        return label.replace("\\", "\\\\").replace(".", "\\.");
    }

    static List<String> labels(String name) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\\' && i + 1 < name.length()) {
                cur.append(name.charAt(++i));
            } else if (c == '.') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) out.add(cur.toString());
        return out;
    }

    // ---- encoding ----

    static byte[] encode(Message m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        u16(out, m.id());
        u16(out, m.flags());
        u16(out, m.questions().size());
        u16(out, m.answers().size());
        u16(out, m.authorities().size());
        u16(out, m.additionals().size());
        for (Question q : m.questions()) {
            name(out, q.name());
            u16(out, q.type());
            u16(out, CLASS_IN | (q.unicastResponse() ? 0x8000 : 0));
        }
        for (List<Record> section : List.of(m.answers(), m.authorities(), m.additionals())) {
            for (Record r : section) {
                name(out, r.name());
                u16(out, r.type());
                u16(out, CLASS_IN | (r.cacheFlush() ? 0x8000 : 0));
                u32(out, r.ttl());
                u16(out, r.rdata().length);
                out.writeBytes(r.rdata());
            }
        }
        return out.toByteArray();
    }

    static byte[] nameBytes(String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        name(out, name);
        return out.toByteArray();
    }

    private static void name(ByteArrayOutputStream out, String name) {
        for (String label : labels(name)) {
            byte[] b = label.getBytes(StandardCharsets.UTF_8);
            if (b.length == 0 || b.length > 63) throw new IllegalArgumentException("bad label in " + name);
            out.write(b.length);
            out.writeBytes(b);
        }
        out.write(0);
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write((v >>> 8) & 0xff);
        out.write(v & 0xff);
    }

    private static void u32(ByteArrayOutputStream out, long v) {
        u16(out, (int) ((v >>> 16) & 0xffff));
        u16(out, (int) (v & 0xffff));
    }

    static byte[] ptrData(String target) {
        return nameBytes(target);
    }

    static byte[] srvData(int priority, int weight, int port, String target) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        u16(out, priority);
        u16(out, weight);
        u16(out, port);
        name(out, target);
        return out.toByteArray();
    }

    /** TXT strings "key=value" in the map's order; an empty map is one empty string (RFC 6763 §6.1). */
    static byte[] txtData(Map<String, String> txt) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (txt.isEmpty()) out.write(0);
        txt.forEach((k, v) -> {
            byte[] b = (k + "=" + v).getBytes(StandardCharsets.UTF_8);
            if (b.length > 255) throw new IllegalArgumentException("TXT entry longer than 255 bytes: " + k);
            out.write(b.length);
            out.writeBytes(b);
        });
        return out.toByteArray();
    }

    // ---- decoding ----

    static final class FormatException extends Exception {
        FormatException(String message) {
            super(message);
        }
    }

    static Message decode(byte[] buf, int len) throws FormatException {
        Reader r = new Reader(buf, len);
        int id = r.u16(), flags = r.u16();
        int qd = r.u16(), an = r.u16(), ns = r.u16(), ar = r.u16();
        List<Question> questions = new ArrayList<>();
        for (int i = 0; i < qd; i++) {
            String name = r.name();
            int type = r.u16(), cls = r.u16();
            questions.add(new Question(name, type, (cls & 0x8000) != 0));
        }
        List<Record> answers = r.records(an), authorities = r.records(ns), additionals = r.records(ar);
        return new Message(id, flags, questions, answers, authorities, additionals);
    }

    /** The name a PTR record points at. */
    static String ptrTarget(Record r) throws FormatException {
        return new Reader(r.rdata(), r.rdata().length).name();
    }

    record Srv(int priority, int weight, int port, String target) {}

    static Srv srv(Record r) throws FormatException {
        Reader rd = new Reader(r.rdata(), r.rdata().length);
        return new Srv(rd.u16(), rd.u16(), rd.u16(), rd.name());
    }

    static InetAddress address(Record r) {
        try {
            return InetAddress.getByAddress(r.rdata());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address record: " + r, e);
        }
    }

    private static final class Reader {
        private final byte[] buf;
        private final int len;
        private int pos;

        Reader(byte[] buf, int len) {
            this.buf = buf;
            this.len = len;
        }

        private void need(int n) throws FormatException {
            if (pos + n > len) throw new FormatException("message truncated at " + pos);
        }

        int u8() throws FormatException {
            need(1);
            return buf[pos++] & 0xff;
        }

        int u16() throws FormatException {
            need(2);
            int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
            pos += 2;
            return v;
        }

        long u32() throws FormatException {
            return ((long) u16() << 16) | u16();
        }

        byte[] bytes(int n) throws FormatException {
            need(n);
            byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
            pos += n;
            return b;
        }

        /** A name, following compression pointers (each must point backwards: no loops). */
        String name() throws FormatException {
            StringBuilder sb = new StringBuilder();
            int p = pos;
            int resume = -1;
            int limit = p;
            while (true) {
                if (p >= len) throw new FormatException("name runs past the message");
                int n = buf[p] & 0xff;
                if (n == 0) {
                    p++;
                    break;
                }
                if ((n & 0xc0) == 0xc0) {
                    if (p + 1 >= len) throw new FormatException("truncated pointer");
                    int target = ((n & 0x3f) << 8) | (buf[p + 1] & 0xff);
                    if (resume < 0) resume = p + 2;
                    if (target >= limit) throw new FormatException("compression pointer does not point backwards");
                    limit = target;
                    p = target;
                    continue;
                }
                if ((n & 0xc0) != 0) throw new FormatException("bad label length " + n);
                if (p + 1 + n > len) throw new FormatException("label runs past the message");
                if (sb.length() > 0) sb.append('.');
                sb.append(escapeLabel(new String(buf, p + 1, n, StandardCharsets.UTF_8)));
                p += 1 + n;
                if (sb.length() > 1024) throw new FormatException("name too long");
            }
            pos = resume >= 0 ? resume : p;
            return sb.toString();
        }

        List<Record> records(int count) throws FormatException {
            List<Record> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String name = name();
                int type = u16(), cls = u16();
                long ttl = u32();
                int rdlen = u16();
                need(rdlen);
                int end = pos + rdlen;
                byte[] rdata;
                // names inside PTR and SRV data may be compressed: store them expanded
                if (type == PTR) {
                    rdata = nameBytes(name());
                } else if (type == SRV) {
                    int prio = u16(), weight = u16(), port = u16();
                    rdata = srvData(prio, weight, port, name());
                } else {
                    rdata = bytes(rdlen);
                }
                pos = end;
                out.add(new Record(name, type, (cls & 0x8000) != 0, ttl, rdata));
            }
            return out;
        }
    }
}
