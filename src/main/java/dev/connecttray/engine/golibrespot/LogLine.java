package dev.connecttray.engine.golibrespot;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of go-librespot's log (logrus's text format on stderr:
 * {@code time="…" level=info msg="…" error="…"}), or a plain line it printed otherwise
 * ("could not start: …"), which has no level.
 *
 * @param raw    the line as printed
 * @param level  logrus's level ("info", "warning", "error", "fatal", …), or null for a plain line
 * @param msg    the message, or the whole line for a plain line
 * @param fields the other fields (error, username, …), in the order printed
 */
public record LogLine(String raw, String level, String msg, Map<String, String> fields) {
    private static final Pattern API_ADDRESS = Pattern.compile("api server listening on (?:[a-z]+://)?"
            + "(\\[[0-9a-fA-F:.]+]|[^\\s:\"]+):(\\d{1,5})\\b");
    private static final Pattern VERSION = Pattern.compile("^running go-librespot (\\S+)");

    public LogLine {
        fields = Map.copyOf(fields);
    }

    /** Parses a line; never fails (what is not logrus's format is a plain line). */
    public static LogLine parse(String line) {
        Map<String, String> parsed = keyValues(line);
        if (parsed == null || !parsed.containsKey("level") || !parsed.containsKey("msg")) {
            return new LogLine(line, null, line.strip(), Map.of());
        }
        String level = parsed.remove("level").toLowerCase(Locale.ROOT);
        String msg = parsed.remove("msg");
        parsed.remove("time");
        return new LogLine(line, level, msg, parsed);
    }

    /** The message with its error, as go-librespot meant it read: "failed running zeroconf: failed getting …". */
    public String text() {
        String error = fields.get("error");
        return error == null || error.isEmpty() ? msg : msg + ": " + error;
    }

    /**
     * A line logged at fatal or panic (go-librespot exits 1 right after it), the plain "could not
     * start: …", or a Go runtime panic ("panic: …", exit 2).
     */
    public boolean fatal() {
        return level == null ? msg.startsWith("could not start") || msg.startsWith("panic: ")
                : level.equals("fatal") || level.equals("panic");
    }

    /** Warnings and errors: logged at Connect Tray's warn level, the rest at debug. */
    public boolean warning() {
        return level != null && (level.startsWith("warn") || level.equals("error"));
    }

    /** The port of the API server, from "api server listening on 127.0.0.1:PORT". */
    public Optional<Integer> apiPort() {
        Matcher m = API_ADDRESS.matcher(msg);
        if (!m.find()) return Optional.empty();
        int port = Integer.parseInt(m.group(2));
        return port > 0 && port < 65536 ? Optional.of(port) : Optional.empty();
    }

    /** The version from "running go-librespot v0.9.0". */
    public Optional<String> version() {
        Matcher m = VERSION.matcher(msg);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** {@code key=value key="quoted \"value\""} pairs, or null when the line is not in that form. */
    static Map<String, String> keyValues(String line) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && line.charAt(i) == ' ') i++;
            if (i >= n) return out;
            int eq = i;
            while (eq < n && line.charAt(eq) != '=' && line.charAt(eq) != ' ') eq++;
            if (eq >= n || line.charAt(eq) != '=' || eq == i) return null;
            String key = line.substring(i, eq);
            i = eq + 1;
            StringBuilder value = new StringBuilder();
            if (i < n && line.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = line.charAt(i++);
                    if (c == '\\' && i < n) {
                        char e = line.charAt(i++);
                        value.append(switch (e) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            case 'r' -> '\r';
                            default -> e;
                        });
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        value.append(c);
                    }
                }
                if (!closed) return null;
            } else {
                while (i < n && line.charAt(i) != ' ') value.append(line.charAt(i++));
            }
            out.put(key, value.toString());
        }
    }
}
