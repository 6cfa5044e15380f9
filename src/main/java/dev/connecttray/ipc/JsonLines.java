package dev.connecttray.ipc;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ConnectionState.Connected;
import dev.connecttray.core.ConnectionState.Connecting;
import dev.connecttray.core.ConnectionState.Cooldown;
import dev.connecttray.core.ConnectionState.Degraded;
import dev.connecttray.core.ConnectionState.Failed;
import dev.connecttray.core.ConnectionState.Retrying;
import dev.connecttray.core.ConnectionState.Starting;
import dev.connecttray.core.ConnectionState.Stopped;
import dev.connecttray.core.ConnectionState.WaitingForCredentials;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import dev.connecttray.core.FailureKind;
import java.time.Instant;
import java.util.Locale;

/**
 * The JSON-lines wire format between supervisor and receiver: events out, commands in. Each
 * message is one compact JSON object on one line; decoding a bad line says what is wrong with it
 * and never throws anything but {@link MalformedMessageException}.
 */
public final class JsonLines {
    private JsonLines() {
    }

    /** A line that is not a message we understand; the message says why. */
    public static final class MalformedMessageException extends Exception {
        public MalformedMessageException(String message) {
            super(message);
        }
    }

    // --- commands ---

    public static String encode(Command command) {
        JsonObject o = new JsonObject();
        o.addProperty("command", command.wireName());
        return o.toString();
    }

    public static Command decodeCommand(String line) throws MalformedMessageException {
        try {
            return readCommand(line);
        } catch (RuntimeException | StackOverflowError e) {
            throw unexpected(line, e);
        }
    }

    private static Command readCommand(String line) throws MalformedMessageException {
        JsonObject o = object(line);
        String name = string(o, "command");
        if (name == null) throw new MalformedMessageException("no \"command\" field; expected {\"command\":\"reconnect\"} or {\"command\":\"stop\"}");
        for (Command c : Command.values()) {
            if (c.wireName().equals(name)) return c;
        }
        throw new MalformedMessageException("unknown command \"" + name + "\"; expected \"reconnect\" or \"stop\"");
    }

    // --- events ---

    public static String encode(Event event) {
        JsonObject o = new JsonObject();
        if (event instanceof Event.Heartbeat h) {
            o.addProperty("type", "heartbeat");
            o.addProperty("time", h.time().toString());
            o.addProperty("pid", h.pid());
        } else if (event instanceof Event.StateChanged s) {
            o.addProperty("type", "state");
            o.addProperty("time", s.time().toString());
            writeState(o, s.state());
        }
        return o.toString();
    }

    private static void writeState(JsonObject o, ConnectionState state) {
        o.addProperty("state", state.name());
        if (state instanceof WaitingForCredentials w) {
            o.addProperty("deviceName", w.deviceName());
        } else if (state instanceof Connecting c) {
            o.addProperty("attempt", c.attempt());
            o.addProperty("maxAttempts", c.maxAttempts());
        } else if (state instanceof Connected c) {
            o.addProperty("user", c.user());
            o.addProperty("since", c.since().toString());
        } else if (state instanceof Degraded d) {
            o.addProperty("user", d.user());
            o.addProperty("since", d.since().toString());
            o.addProperty("reason", d.reason());
        } else if (state instanceof Retrying r) {
            o.addProperty("attempt", r.attempt());
            o.addProperty("maxAttempts", r.maxAttempts());
            o.addProperty("nextAttemptAt", r.nextAttemptAt().toString());
            writeCause(o, r.cause());
        } else if (state instanceof Cooldown c) {
            o.addProperty("nextAttemptAt", c.until().toString());
            writeCause(o, c.cause());
        } else if (state instanceof Failed f) {
            writeCause(o, f.cause());
            o.addProperty("exitStatus", f.exitStatus().code());
        }
        // Starting and Stopped carry nothing but their name.
    }

    private static void writeCause(JsonObject o, Failure f) {
        o.addProperty("cause", f.message());
        o.addProperty("failureKind", f.kind().name());
        if (!f.detail().isEmpty()) o.addProperty("detail", f.detail());
    }

    public static Event decodeEvent(String line) throws MalformedMessageException {
        try {
            return readEvent(line);
        } catch (RuntimeException | StackOverflowError e) {
            throw unexpected(line, e);
        }
    }

    /**
     * Whatever else a bad line makes a parser throw is a bad line too: the callers (a reader thread
     * per child) must never die of one.
     */
    private static MalformedMessageException unexpected(String line, Throwable e) {
        return new MalformedMessageException("cannot be decoded (" + e.getClass().getSimpleName() + "): "
                + abbreviate(String.valueOf(line)));
    }

    private static Event readEvent(String line) throws MalformedMessageException {
        JsonObject o = object(line);
        String type = required(o, "type");
        Instant time = instant(o, "time");
        switch (type) {
            case "heartbeat":
                return new Event.Heartbeat(time, number(o, "pid", 1, Long.MAX_VALUE));
            case "state":
                return new Event.StateChanged(time, readState(o));
            default:
                throw new MalformedMessageException("unknown event type \"" + type + "\"");
        }
    }

    private static ConnectionState readState(JsonObject o) throws MalformedMessageException {
        String state = required(o, "state");
        try {
            return switch (state) {
                case "Starting" -> new Starting();
                case "Stopped" -> new Stopped();
                case "WaitingForCredentials" -> new WaitingForCredentials(required(o, "deviceName"));
                case "Connecting" -> new Connecting(count(o, "attempt"), count(o, "maxAttempts"));
                case "Connected" -> new Connected(required(o, "user"), instant(o, "since"));
                case "Degraded" -> new Degraded(required(o, "user"), instant(o, "since"), required(o, "reason"));
                case "Retrying" -> new Retrying(count(o, "attempt"), count(o, "maxAttempts"),
                        instant(o, "nextAttemptAt"), cause(o));
                case "Cooldown" -> new Cooldown(instant(o, "nextAttemptAt"), cause(o));
                case "Failed" -> {
                    int code = (int) number(o, "exitStatus", 0, 255);
                    ExitStatus status = ExitStatus.ofCode(code).orElseThrow(
                            () -> new IllegalArgumentException("unknown exit status " + code));
                    yield new Failed(cause(o), status);
                }
                default -> throw new IllegalArgumentException("unknown state \"" + state + "\"");
            };
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new MalformedMessageException(e.getMessage());
        } catch (UncheckedMalformed e) {
            throw e.cause;
        }
    }

    private static Failure cause(JsonObject o) {
        try {
            String kind = required(o, "failureKind");
            FailureKind k = FailureKind.valueOf(kind.toUpperCase(Locale.ROOT));
            return new Failure(k, required(o, "cause"), string(o, "detail"));
        } catch (MalformedMessageException e) {
            throw new UncheckedMalformed(e);
        }
    }

    /** Carries a checked decoding error out of a switch expression. */
    private static final class UncheckedMalformed extends RuntimeException {
        final MalformedMessageException cause;

        UncheckedMalformed(MalformedMessageException cause) {
            super(cause.getMessage(), null, false, false);
            this.cause = cause;
        }
    }

    // --- field helpers ---

    private static JsonObject object(String line) throws MalformedMessageException {
        if (line == null || line.isBlank()) throw new MalformedMessageException("empty line");
        try {
            JsonElement e = JsonParser.parseString(line);
            if (!e.isJsonObject()) throw new MalformedMessageException("not a JSON object: " + abbreviate(line));
            return e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new MalformedMessageException("not JSON: " + abbreviate(line));
        }
    }

    private static String string(JsonObject o, String key) throws MalformedMessageException {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) return null;
        if (e instanceof JsonPrimitive p && p.isString()) return p.getAsString();
        throw new MalformedMessageException("\"" + key + "\" must be a string");
    }

    private static String required(JsonObject o, String key) throws MalformedMessageException {
        String s = string(o, key);
        if (s == null) throw new MalformedMessageException("missing \"" + key + "\"");
        return s;
    }

    /**
     * A plain decimal integer from {@code min} to {@code max}. The lexical form is checked before any
     * conversion: gson's own would throw NumberFormatException for 1e99999999, or first build a
     * number of a hundred million digits.
     */
    private static long number(JsonObject o, String key, long min, long max) throws MalformedMessageException {
        JsonElement e = o.get(key);
        if (!(e instanceof JsonPrimitive p && p.isNumber())) {
            throw new MalformedMessageException("\"" + key + "\" must be a number");
        }
        String text = p.getAsString();
        if (!INTEGER.matcher(text).matches()) {
            throw new MalformedMessageException("\"" + key + "\" must be a whole number from " + min + " to " + max
                    + ", got " + abbreviate(text));
        }
        long n;
        try {
            n = Long.parseLong(text);
        } catch (NumberFormatException beyondLong) {
            throw new MalformedMessageException("\"" + key + "\" must be a whole number from " + min + " to " + max
                    + ", got " + abbreviate(text));
        }
        if (n < min || n > max) {
            throw new MalformedMessageException("\"" + key + "\" must be a whole number from " + min + " to " + max
                    + ", got " + n);
        }
        return n;
    }

    /** An attempt count: an int, not negative. */
    private static int count(JsonObject o, String key) throws MalformedMessageException {
        return (int) number(o, key, 0, Integer.MAX_VALUE);
    }

    private static final java.util.regex.Pattern INTEGER = java.util.regex.Pattern.compile("-?[0-9]{1,20}");

    private static Instant instant(JsonObject o, String key) throws MalformedMessageException {
        String s = required(o, key);
        try {
            return Instant.parse(s);
        } catch (java.time.format.DateTimeParseException e) {
            throw new MalformedMessageException("\"" + key + "\" is not an ISO-8601 instant: " + s);
        }
    }

    private static String abbreviate(String line) {
        return line.length() <= 80 ? line : line.substring(0, 77) + "...";
    }
}
