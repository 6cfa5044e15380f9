package dev.connecttray.receiver.zeroconf;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Host and instance names as mDNS wants them, and the names tried after a conflict. */
public final class Names {
    private static final Pattern NUMBERED = Pattern.compile("^(.*) \\((\\d+)\\)$");
    private static final Pattern HOST_NUMBERED = Pattern.compile("^(.*)-(\\d+)$");
    static final int MAX_LABEL = 63;

    private Names() {}

    /**
     * A host name as one DNS label: the first part of {@code raw} before a '.', letters, digits and
     * '-' only (anything else becomes '-'), no leading or trailing '-', at most 63 bytes; "connect-tray"
     * when nothing is left.
     */
    public static String hostLabel(String raw) {
        String s = raw == null ? "" : raw.strip();
        int dot = s.indexOf('.');
        if (dot >= 0) s = s.substring(0, dot);
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (ok) {
                sb.append(c);
            } else if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '-') {
                sb.append('-');
            }
        }
        String label = sb.toString();
        if (label.length() > MAX_LABEL) label = label.substring(0, MAX_LABEL);
        while (label.endsWith("-")) label = label.substring(0, label.length() - 1);
        return label.isEmpty() ? "connect-tray" : label;
    }

    /** The host name after a conflict (RFC 6762 §9, as avahi does it): "host" → "host-2" → "host-3". */
    public static String nextHostLabel(String label) {
        Matcher m = HOST_NUMBERED.matcher(label);
        String base = label;
        long n = 2;
        if (m.matches() && m.group(2).length() < 9) {
            base = m.group(1);
            n = Long.parseLong(m.group(2)) + 1;
        }
        String suffix = "-" + n;
        if (base.length() + suffix.length() > MAX_LABEL) base = base.substring(0, MAX_LABEL - suffix.length());
        return base + suffix;
    }

    /** The instance name after a conflict: "Name" → "Name (2)" → "Name (3)" (RFC 6763 §9 style). */
    public static String nextInstanceName(String name) {
        Matcher m = NUMBERED.matcher(name);
        String base = name;
        long n = 2;
        if (m.matches() && m.group(2).length() < 9) {
            base = m.group(1);
            n = Long.parseLong(m.group(2)) + 1;
        }
        return fitLabel(base, " (" + n + ")");
    }

    /** {@code base + suffix} cut (at a character boundary) to fit one 63-byte label. */
    static String fitLabel(String base, String suffix) {
        int room = MAX_LABEL - suffix.getBytes(StandardCharsets.UTF_8).length;
        String b = base;
        while (b.getBytes(StandardCharsets.UTF_8).length > room) {
            b = b.substring(0, b.offsetByCodePoints(b.codePointCount(0, b.length()), -1));
        }
        return b.strip() + suffix;
    }

    /** An instance name cut to one 63-byte label. */
    public static String instanceLabel(String name) {
        return fitLabel(name.strip(), "");
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
