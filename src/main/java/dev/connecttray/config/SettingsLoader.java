package dev.connecttray.config;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import dev.connecttray.core.AfterGiveUp;
import dev.connecttray.core.RetrySettings;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the JSON configuration strictly. A syntax error, a wrong type or a value out of range is a
 * {@link ConfigException} that names the file, the key, the line and column, and what is allowed;
 * an unknown key is a warning. The file is only ever read, never written.
 */
public final class SettingsLoader {
    public static final int VERSION = 1;
    /** librespot announces the device name as the Zeroconf service name, which mDNS caps at 63 bytes. */
    static final int MAX_DEVICE_NAME_BYTES = 63;
    /** A config file is a few hundred bytes; anything near this is not one (and must not fill the heap). */
    static final int MAX_FILE_BYTES = 1024 * 1024;
    /** The longest number text read: every allowed value has a handful of digits. */
    static final int MAX_NUMBER_CHARS = 40;
    /** Numbers beyond 10^±this are out of every range, and are not expanded to find out. */
    private static final int MAX_NUMBER_EXPONENT = 100;
    /** How much of a value or name a message repeats. */
    static final int MAX_SHOWN_CHARS = 80;


    private static final Pattern POSITION = Pattern.compile("line (\\d+) column (\\d+)");

    private SettingsLoader() {
    }

    /**
     * @param file               the config file
     * @param explicit           true when the user named the file (then it must exist)
     * @param defaultAfterGiveUp {@code afterGiveUp} when the file does not say (the mode's default)
     */
    public static LoadedSettings load(Path file, boolean explicit, AfterGiveUp defaultAfterGiveUp)
            throws ConfigException {
        if (!Files.exists(file)) {
            if (explicit) throw new ConfigException(file, "Config file " + file + " does not exist");
            return new LoadedSettings(defaults(defaultAfterGiveUp), file, false, List.of());
        }
        if (!Files.isRegularFile(file)) throw new ConfigException(file, "Config file " + file + " is not a file");
        String text;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) throw tooLarge(file, size);
            byte[] bytes;
            try (java.io.InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_FILE_BYTES + 1); // it may have grown since
            }
            if (bytes.length > MAX_FILE_BYTES) throw tooLarge(file, bytes.length);
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(file, "Config file " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(file, "Config file " + file + " cannot be read: " + ioReason(e));
        }
        return parse(text, file, defaultAfterGiveUp);
    }

    private static ConfigException tooLarge(Path file, long size) {
        return new ConfigException(file, "Config file " + file + " is " + size + " bytes, more than the "
                + MAX_FILE_BYTES / 1024 + " KiB a config file may have (it is a small JSON object); is it the right file?");
    }

    /**
     * What went wrong reading a file, in words: the JDK's file exceptions carry only the path as
     * their message ("Permission denied" is in {@link java.nio.file.FileSystemException#getReason}).
     */
    public static String ioReason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file";
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason().toLowerCase(Locale.ROOT);
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** Settings with every key at its default. */
    public static Settings defaults(AfterGiveUp afterGiveUp) {
        return new Settings(VERSION, defaultDeviceName(), DeviceType.COMPUTER,
                new Settings.Auth(AuthMode.ZEROCONF, null), RetrySettings.defaults(afterGiveUp),
                new Settings.Audio(AudioOutput.MIXER, null),
                new Settings.Zeroconf(Settings.Zeroconf.DEFAULT_PORT, ZeroconfBackend.AUTO), Settings.Engine.defaults(),
                LogLevel.INFO);
    }

    static LoadedSettings parse(String text, Path file, AfterGiveUp defaultAfterGiveUp) throws ConfigException {
        return parse(text, file, defaultAfterGiveUp, new Reader[1]);
    }

    /** @param reader receives the reader, which knows the keys read */
    private static LoadedSettings parse(String text, Path file, AfterGiveUp defaultAfterGiveUp, Reader[] reader)
            throws ConfigException {
        if (text.isBlank()) {
            throw new ConfigException(file, file + " is empty; a config file holds a JSON object, e.g. {\"version\": 1}");
        }
        List<String> warnings = new ArrayList<>();
        Node root = readTree(text, file, warnings);
        Reader r = new Reader(file);
        reader[0] = r;
        if (!(root.value instanceof Map)) throw r.error(root, "$", "must be a JSON object, e.g. {\"version\": 1}");
        Settings d = defaults(defaultAfterGiveUp);
        int version = r.integer(root, "version", VERSION, 1, Integer.MAX_VALUE);
        if (version != VERSION) {
            throw r.error(child(root, "version"), "version", "must be " + VERSION
                    + " (this Connect Tray reads version " + VERSION + " files), got " + version);
        }
        String deviceName = r.string(root, "deviceName", d.deviceName());
        String unsafe = unsafeCharacter(deviceName);
        if (unsafe != null) {
            throw r.error(child(root, "deviceName"), "deviceName", "must not contain " + unsafe
                    + " (it is shown on phones and in terminals as it is); got " + shown(deviceName));
        }
        if (deviceName.isBlank()) {
            throw r.error(child(root, "deviceName"), "deviceName", "must not be blank (it is the name Spotify apps "
                    + "show); got " + shown(deviceName));
        }
        int bytes = utf8Length(deviceName);
        if (bytes > MAX_DEVICE_NAME_BYTES) {
            int chars = deviceName.codePointCount(0, deviceName.length());
            throw r.error(child(root, "deviceName"), "deviceName", "must be at most " + MAX_DEVICE_NAME_BYTES
                    + " bytes in UTF-8 (the Zeroconf name limit); got " + bytes + " bytes"
                    + (chars == bytes ? "" : " (" + chars + " characters)") + ": \"" + shownPlain(deviceName, false) + "\"");
        }
        DeviceType deviceType = r.enumValue(root, "deviceType", DeviceType.class, d.deviceType());
        LogLevel logLevel = r.enumValue(root, "logLevel", LogLevel.class, d.logLevel());

        Node auth = r.object(root, "auth");
        AuthMode mode = r.enumValue(auth, "auth.mode", AuthMode.class, AuthMode.ZEROCONF);
        Path credentials = r.path(auth, "auth.credentialsFile");
        if (mode == AuthMode.STORED && credentials == null) {
            throw r.error(auth == null ? root : auth, "auth.credentialsFile",
                    "is required when auth.mode is \"stored\": the path of a librespot credentials file");
        }

        Node retry = r.object(root, "retry");
        RetrySettings dr = d.retry();
        Duration initialDelay = r.duration(retry, "retry.initialDelay", dr.initialDelay(),
                Duration.ofMillis(10), Duration.ofHours(1));
        Duration maxDelay = r.duration(retry, "retry.maxDelay", dr.maxDelay(), Duration.ofMillis(10), Duration.ofHours(24));
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw r.error(child(retry, "maxDelay") != null ? child(retry, "maxDelay") : retry, "retry.maxDelay",
                    "must not be below retry.initialDelay (" + Durations.format(initialDelay) + "), got "
                            + Durations.format(maxDelay));
        }
        double multiplier = r.number(retry, "retry.multiplier", dr.multiplier(), 1.0, 10.0);
        double jitter = r.number(retry, "retry.jitter", dr.jitter(), 0.0, 1.0);
        int maxAttempts = r.integer(retry, "retry.maxAttempts", dr.maxAttempts(), 1, 1000);
        Duration attemptTimeout = r.duration(retry, "retry.attemptTimeout", dr.attemptTimeout(),
                Duration.ofSeconds(1), Duration.ofMinutes(10));
        Duration cooldown = r.duration(retry, "retry.cooldown", dr.cooldown(), Duration.ofSeconds(1), Duration.ofHours(24));
        AfterGiveUp afterGiveUp = r.enumValue(retry, "retry.afterGiveUp", AfterGiveUp.class, dr.afterGiveUp());

        Node audio = r.object(root, "audio");
        AudioOutput output = r.enumValue(audio, "audio.output", AudioOutput.class, AudioOutput.MIXER);
        Path pipe = r.path(audio, "audio.pipe");
        if (output == AudioOutput.PIPE && pipe == null) {
            throw r.error(audio == null ? root : audio, "audio.pipe",
                    "is required when audio.output is \"pipe\": the file raw PCM is written to");
        }

        Node zeroconf = r.object(root, "zeroconf");
        int zeroconfPort = r.integer(zeroconf, "zeroconf.port", Settings.Zeroconf.DEFAULT_PORT, 0, 65535);
        if (zeroconfPort != 0 && zeroconfPort < 1024) {
            throw r.error(child(zeroconf, "port"), "zeroconf.port",
                    "must be 0 (any free port) or 1024..65535 (ports below 1024 need root), got " + zeroconfPort);
        }
        ZeroconfBackend backend = r.enumValue(zeroconf, "zeroconf.backend", ZeroconfBackend.class, ZeroconfBackend.AUTO);

        Node engine = r.object(root, "engine");
        EngineKind engineKind = r.enumValue(engine, "engine.kind", EngineKind.class, EngineKind.EMBEDDED);
        Path engineBinary = r.path(engine, "engine.binary");
        Path apiKeyFile = r.path(engine, "engine.apiKeyFile");
        boolean allowDownload = r.bool(engine, "engine.allowDownload", false);
        Duration stallLimit = r.duration(engine, "engine.stallLimit", Settings.Engine.DEFAULT_STALL_LIMIT,
                Duration.ofSeconds(5), Duration.ofMinutes(10));
        if (engineKind == EngineKind.EMBEDDED && engineBinary != null) {
            throw r.error(child(engine, "binary"), "engine.binary", "must be null when engine.kind is \"embedded\" "
                    + "(the embedded engine is part of Connect Tray); set engine.kind to \"soloist\" or "
                    + "\"go-librespot\" to run that binary");
        }

        Settings settings = new Settings(version, deviceName, deviceType, new Settings.Auth(mode, credentials),
                new RetrySettings(initialDelay, maxDelay, multiplier, jitter, maxAttempts, attemptTimeout, cooldown,
                        afterGiveUp),
                new Settings.Audio(output, pipe), new Settings.Zeroconf(zeroconfPort, backend),
                new Settings.Engine(engineKind, engineBinary, apiKeyFile, allowDownload, stallLimit), logLevel);
        warnUnknown(file, root, "", r.keysRead(), warnings);
        return new LoadedSettings(settings, file, true, warnings);
    }

    /**
     * Every key the file may hold, by the object holding it ({@code ""} for the top level): the keys
     * {@link #parse} reads, as it reads them, so that a key is known exactly when it is read.
     */
    static Map<String, Set<String>> keys() {
        return Keys.READ;
    }

    /** Read once, on first use (the parse needs this class's constants in place). */
    private static final class Keys {
        static final Map<String, Set<String>> READ = keysRead();
    }

    /** The keys a parse reads: those of an empty file, where every key is read and found absent. */
    private static Map<String, Set<String>> keysRead() {
        Reader[] reader = new Reader[1];
        try {
            parse("{}", Path.of("schema.json"), AfterGiveUp.COOLDOWN, reader);
        } catch (ConfigException e) {
            throw new IllegalStateException("the defaults do not parse: " + e.getMessage(), e);
        }
        return reader[0].keysRead();
    }

    // --- the tree, with positions ---

    /** A JSON value and where it starts. Objects are LinkedHashMaps of Nodes, arrays Lists, numbers {@link Num}. */
    private record Node(Object value, int line, int column) {
    }

    /**
     * A number as written: converted only where its key is known and after its size is checked,
     * since {@code 1e999999999} is a valid JSON number that no memory can expand.
     */
    private record Num(String text) {
    }

    private static Node readTree(String text, Path file, List<String> warnings) throws ConfigException {
        try (JsonReader in = new JsonReader(new StringReader(text))) {
            in.setStrictness(Strictness.STRICT);
            Node root = readValue(in, file, "", warnings);
            int[] rootEnd = position(in);
            try {
                in.peek();
            } catch (MalformedJsonException e) {
                // Strict reading refuses a second value, so anything but white space and the end is this.
                String after = text.substring(index(text, rootEnd[0], rootEnd[1])).strip();
                throw new ConfigException(file, file + syntaxPosition(e.getMessage())
                        + ": unexpected content after the JSON object: " + shown(after.isEmpty()
                        ? offending(text, e.getMessage()) : after) + "; expected the end of the file");
            }
            return root;
        } catch (MalformedJsonException | java.io.EOFException | IllegalStateException e) {
            throw new ConfigException(file, file + syntaxPosition(e.getMessage()) + ": not valid JSON: "
                    + syntaxReason(text, e.getMessage()) + ". The config is strict JSON: names in double quotes, "
                    + "no comments, no trailing commas");
        } catch (IOException e) {
            throw new ConfigException(file, file + " cannot be read: " + ioReason(e));
        }
    }

    private static Node readValue(JsonReader in, Path file, String path, List<String> warnings) throws IOException {
        JsonToken token = in.peek();
        int[] p = position(in);
        switch (token) {
            case BEGIN_OBJECT: {
                in.beginObject();
                Map<String, Node> map = new LinkedHashMap<>();
                while (in.hasNext()) {
                    String name = in.nextName();
                    String key = path.isEmpty() ? name : path + "." + name;
                    Node value = readValue(in, file, key, warnings);
                    Node before = map.put(name, value);
                    if (before != null) {
                        warnings.add(file + " line " + value.line + ": `" + shownPlain(key) + "` appears twice, on line "
                                + before.line + " and on line " + value.line + "; the later one (line " + value.line
                                + ") is used");
                    }
                }
                in.endObject();
                return new Node(map, p[0], p[1]);
            }
            case BEGIN_ARRAY: {
                in.beginArray();
                List<Node> list = new ArrayList<>();
                while (in.hasNext()) list.add(readValue(in, file, path + "[" + list.size() + "]", warnings));
                in.endArray();
                return new Node(list, p[0], p[1]);
            }
            case STRING:
                return new Node(in.nextString(), p[0], p[1]);
            case NUMBER:
                return new Node(new Num(in.nextString()), p[0], p[1]);
            case BOOLEAN:
                return new Node(in.nextBoolean(), p[0], p[1]);
            case NULL:
                in.nextNull();
                return new Node(null, p[0], p[1]);
            default:
                throw new MalformedJsonException("Unexpected " + token + " at " + in);
        }
    }

    /** The reader's position, from its description ("JsonReader at line 3 column 5 path $.retry"). */
    private static int[] position(JsonReader in) {
        Matcher m = POSITION.matcher(in.toString());
        return m.find() ? new int[]{Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))} : new int[]{0, 0};
    }

    private static String syntaxPosition(String message) {
        Matcher m = POSITION.matcher(String.valueOf(message));
        return m.find() ? " line " + m.group(1) + " column " + m.group(2) : "";
    }

    private static final Pattern NOT_A_NUMBER = Pattern.compile("^[-+]?(NaN|Infinity)\\b");
    private static final Pattern LONG_NUMBER = Pattern.compile("-?[0-9][0-9.eE+-]*");
    private static final Pattern PATH = Pattern.compile(" path \\$\\.(\\S+)");
    private static final Pattern BARE_WORD = Pattern.compile("^[\\p{L}\\p{N}_$.+-]+");

    /** Why the reader stopped: its own words where it has some, else what it found there. */
    private static String syntaxReason(String text, String message) {
        String s = String.valueOf(message);
        int cut = s.indexOf(" at line ");
        if (cut > 0) s = s.substring(0, cut);
        int see = s.indexOf("\nSee ");
        if (see > 0) s = s.substring(0, see);
        s = s.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "").trim();
        String expected = expected(s);
        if (expected != null) return expected;
        if (!s.isEmpty()) return s;
        // Strict reading only says that lenient reading would accept it: say what it is.
        String at = offending(text, message);
        if (at.isEmpty()) return "the file ends early: expected } to close the JSON object";
        Matcher digits = LONG_NUMBER.matcher(text).region(offendingIndex(text, message), text.length());
        if (digits.lookingAt() && digits.group().length() > MAX_NUMBER_CHARS) {
            // The reader takes a number longer than its buffer for an unquoted word.
            Matcher path = PATH.matcher(String.valueOf(message));
            return (path.find() ? "`" + shownPlain(path.group(1)) + "` is " : "")
                    + "a number " + digits.group().length() + " characters long; no allowed value has more than "
                    + MAX_NUMBER_CHARS;
        }
        if ((at.startsWith("-") || at.startsWith(".") || at.startsWith("+") || Character.isDigit(at.charAt(0)))
                && !NOT_A_NUMBER.matcher(at).find()) {
            Matcher token = TOKEN.matcher(at);
            String t = token.lookingAt() ? token.group() : at.substring(0, 1);
            return shown(t) + " is not a JSON number: expected a number such as 2, 0.5 or -1 (no leading zeros, "
                    + "digits on both sides of a point), followed by , or } or ]";
        }
        if (at.startsWith("//") || at.startsWith("/*") || at.startsWith("#")) return "comments are not allowed";
        Matcher nan = NOT_A_NUMBER.matcher(at);
        if (nan.find()) return "`" + nan.group() + "` is not a JSON number; write a number such as 0.5";
        if (at.startsWith("'")) return "single quotes; names and strings need double quotes";
        if (at.startsWith("]") || at.startsWith("}")) {
            return "expected a value, found " + at.charAt(0) + " (a trailing comma before it?)";
        }
        Matcher word = BARE_WORD.matcher(at);
        if (word.find()) {
            return "unquoted " + shown(word.group()) + "; names and strings need double quotes (true, false and null "
                    + "are the only bare words)";
        }
        return "unexpected " + shown(at.substring(0, at.offsetByCodePoints(0, 1)));
    }

    /** Up to the next white space or structural character: a would-be number or word as written. */
    private static final Pattern TOKEN = Pattern.compile("[^\\s,:{}\\[\\]\"]+");

    /** What the reader expected, in words, for gson's own reasons; null for one it gives no words for. */
    private static String expected(String reason) {
        return switch (reason) {
            case "End of input" -> "the file ends early: expected } or ] to close what is open";
            case "Expected ':'" -> "expected : after the name";
            case "Expected name" -> "expected a name in double quotes (a trailing comma?)";
            case "Expected value" -> "expected a value: a string in double quotes, a number, true, false, null, "
                    + "an object {...} or an array [...]";
            case "Unexpected value" -> "expected the JSON object {...} that a config file holds";
            case "Unterminated object" -> "expected , or } after the value before it (a missing comma?)";
            case "Unterminated array" -> "expected , or ] after the array element before it";
            case "Unterminated string" -> "expected \" to end the string";
            case "Invalid escape sequence" -> "invalid escape in a string: expected \\\" \\\\ \\/ \\b \\f \\n \\r "
                    + "\\t or \\uXXXX after a backslash";
            default -> reason.startsWith("Unescaped control characters")
                    ? "a control character (a tab or line break) inside a string: write it as \\t or \\n" : null;
        };
    }

    /**
     * The text where the reader stopped, from its "line L column C" (which points at the offending
     * character or just past it): from there, without leading white space and separators.
     */
    private static String offending(String text, String message) {
        int i = offendingIndex(text, message);
        int end = text.indexOf('\n', i);
        return text.substring(i, Math.min(end < 0 ? text.length() : end, i + MAX_SHOWN_CHARS + 1)).stripTrailing();
    }

    /** The index in {@code text} of 1-based {@code line} and {@code column} (the reader's), within the text. */
    private static int index(String text, int line, int column) {
        int start = 0;
        for (int l = 1; l < line && start >= 0; l++) {
            start = text.indexOf('\n', start);
            if (start >= 0) start++;
        }
        if (start < 0) return text.length();
        return Math.max(0, Math.min(text.length(), start + column - 1));
    }

    /** Where {@link #offending} starts; the end of the text when the message has no position. */
    private static int offendingIndex(String text, String message) {
        Matcher m = POSITION.matcher(String.valueOf(message));
        if (!m.find()) return text.length();
        int line;
        int column;
        try {
            line = Integer.parseInt(m.group(1));
            column = Integer.parseInt(m.group(2));
        } catch (NumberFormatException e) {
            return text.length();
        }
        int start = 0;
        for (int l = 1; l < line && start >= 0; l++) {
            start = text.indexOf('\n', start);
            if (start >= 0) start++;
        }
        if (start < 0) return text.length();
        int i = Math.max(start, Math.min(text.length(), start + column - 2));
        while (i < text.length() && (Character.isWhitespace(text.charAt(i)) || text.charAt(i) == ':'
                || text.charAt(i) == ',')) {
            i++;
        }
        return i;
    }

    /**
     * {@code s} for a message: in double quotes, cut after {@link #MAX_SHOWN_CHARS} characters,
     * control, line-separating and direction-changing characters escaped, so nothing a file holds
     * can flood or rewrite a terminal or log.
     */
    public static String shown(String s) {
        return "\"" + shownPlain(s) + "\"";
    }

    /** {@link #shown} without the quotes. */
    public static String shownPlain(String s) {
        return shownPlain(s, true);
    }

    /** @param count after a cut, say how many characters there are in all (unless the message says so already) */
    private static String shownPlain(String s, boolean count) {
        StringBuilder b = new StringBuilder();
        int shownChars = 0;
        for (int i = 0; i < s.length(); ) {
            if (shownChars == MAX_SHOWN_CHARS) {
                b.append('…');
                if (count) b.append(" (").append(s.codePointCount(0, s.length())).append(" characters)");
                break;
            }
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            shownChars++;
            if (c == '"' || c == '\\') {
                b.append('\\').append((char) c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (unsafe(c)) {
                b.append(String.format(Locale.ROOT, "\\u%04X", c));
            } else {
                b.appendCodePoint(c);
            }
        }
        return b.toString();
    }

    /** Control, line and paragraph separators, direction controls, lone surrogates. */
    private static boolean unsafe(int c) {
        return Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || isBidiControl(c)
                || Character.getType(c) == Character.SURROGATE;
    }

    private static boolean isBidiControl(int c) {
        return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    }

    /** What kind of character in {@code s} has no place in a name shown on screens, or null. */
    private static String unsafeCharacter(String s) {
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029 || c == 0x85) {
                return String.format(Locale.ROOT, "line breaks (U+%04X)", c);
            }
            if (Character.isISOControl(c)) return String.format(Locale.ROOT, "control characters (U+%04X)", c);
            if (isBidiControl(c)) {
                return String.format(Locale.ROOT, "characters that change the text direction (U+%04X)", c);
            }
            if (Character.getType(c) == Character.SURROGATE) {
                return String.format(Locale.ROOT, "half of a UTF-16 surrogate pair (U+%04X)", c);
            }
        }
        return null;
    }

    private static Node child(Node object, String key) {
        if (object == null || !(object.value instanceof Map<?, ?> map)) return null;
        return (Node) map.get(key);
    }

    @SuppressWarnings("unchecked")
    private static void warnUnknown(Path file, Node node, String prefix, Map<String, Set<String>> keys,
                                    List<String> warnings) {
        Set<String> known = keys.get(prefix);
        if (known == null || !(node.value instanceof Map)) return;
        for (Map.Entry<String, Node> e : ((Map<String, Node>) node.value).entrySet()) {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (!known.contains(e.getKey())) {
                String hint = closest(e.getKey(), known);
                warnings.add(file + " line " + e.getValue().line + ": unknown key `" + shownPlain(path) + "` (ignored)"
                        + (hint == null ? "" : "; did you mean `" + (prefix.isEmpty() ? "" : prefix + ".") + hint + "`?"));
            } else if (keys.containsKey(path)) {
                warnUnknown(file, e.getValue(), path, keys, warnings);
            }
        }
    }

    private static String closest(String key, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(key.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= Math.max(2, key.length() / 3) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    static String defaultDeviceName() {
        String host = null;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException | SecurityException e) {
            // fall back to the environment
        }
        if (host == null || host.isBlank() || host.equals("localhost")) host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) host = System.getenv("COMPUTERNAME");
        if (host == null || host.isBlank()) host = "this computer";
        int dot = host.indexOf('.');
        if (dot > 0) host = host.substring(0, dot);
        String name = "Connect Tray (" + host + ")";
        while (utf8Length(name) > MAX_DEVICE_NAME_BYTES) {
            host = host.substring(0, host.length() - 1);
            name = "Connect Tray (" + host + ")";
        }
        return name;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Typed access to keys, with errors that say where and what is allowed. */
    private static final class Reader {
        private final Path file;
        private final Map<String, Set<String>> keysRead = new LinkedHashMap<>();

        Reader(Path file) {
            this.file = file;
        }

        /** Each key asked for so far, by the object holding it ({@code ""} for the top level). */
        Map<String, Set<String>> keysRead() {
            Map<String, Set<String>> copy = new LinkedHashMap<>();
            keysRead.forEach((prefix, names) -> copy.put(prefix, Set.copyOf(names)));
            return Map.copyOf(copy);
        }

        ConfigException error(Node at, String key, String allowed) {
            String where = at == null || at.line == 0 ? "" : " line " + at.line + " column " + at.column;
            return new ConfigException(file, file + where + ": `" + key + "` " + allowed);
        }

        /** The value at {@code key} (the last part of the dotted name) under {@code parent}, or null. */
        private Node value(Node parent, String key, boolean nullable) throws ConfigException {
            int dot = key.lastIndexOf('.');
            keysRead.computeIfAbsent(dot < 0 ? "" : key.substring(0, dot), prefix -> new LinkedHashSet<>())
                    .add(key.substring(dot + 1));
            Node n = child(parent, key.substring(dot + 1));
            if (n != null && n.value == null && !nullable) throw error(n, key, "must not be null");
            return n == null || n.value == null ? null : n;
        }

        Node object(Node parent, String key) throws ConfigException {
            Node n = value(parent, key, false);
            if (n != null && !(n.value instanceof Map)) throw error(n, key, "must be a JSON object");
            return n;
        }

        String string(Node parent, String key, String fallback) throws ConfigException {
            Node n = value(parent, key, false);
            if (n == null) return fallback;
            if (!(n.value instanceof String s)) throw error(n, key, "must be a string, got " + describe(n));
            return s;
        }

        Path path(Node parent, String key) throws ConfigException {
            Node n = value(parent, key, true);
            if (n == null) return null;
            if (!(n.value instanceof String s) || s.isBlank()) {
                throw error(n, key, "must be a file path string or null, got " + describe(n));
            }
            if (s.startsWith("~/")) return Path.of(System.getProperty("user.home"), s.substring(2));
            Path p = Path.of(s);
            // A relative path is relative to the config file, not to wherever the app was started.
            return p.isAbsolute() ? p : file.toAbsolutePath().getParent().resolve(p).normalize();
        }

        boolean bool(Node parent, String key, boolean fallback) throws ConfigException {
            Node n = value(parent, key, false);
            if (n == null) return fallback;
            if (!(n.value instanceof Boolean b)) throw error(n, key, "must be true or false, got " + describe(n));
            return b;
        }

        int integer(Node parent, String key, int fallback, int min, int max) throws ConfigException {
            Node n = value(parent, key, false);
            if (n == null) return fallback;
            String allowed = "must be a whole number from " + min + " to " + (max == Integer.MAX_VALUE ? "any" : max);
            BigDecimal b = decimal(n, key, allowed);
            if (b.compareTo(BigDecimal.valueOf(min)) < 0 || b.compareTo(BigDecimal.valueOf(max)) > 0
                    || b.signum() != 0 && b.stripTrailingZeros().scale() > 0) {
                throw error(n, key, allowed + ", got " + shownPlain(((Num) n.value).text()));
            }
            return b.intValue();
        }

        double number(Node parent, String key, double fallback, double min, double max) throws ConfigException {
            Node n = value(parent, key, false);
            if (n == null) return fallback;
            String allowed = "must be a number from " + min + " to " + max;
            BigDecimal b = decimal(n, key, allowed);
            double v = b.doubleValue();
            if (v < min || v > max) throw error(n, key, allowed + ", got " + shownPlain(((Num) n.value).text()));
            return v;
        }

        /**
         * The number at {@code n}, refused (with {@code allowed}) when it is not one, or is too long
         * or too far from 1 to be in any range, before anything expands it.
         */
        private BigDecimal decimal(Node n, String key, String allowed) throws ConfigException {
            if (!(n.value instanceof Num num)) throw error(n, key, allowed + ", got " + describe(n));
            String text = num.text();
            if (text.length() > MAX_NUMBER_CHARS) {
                throw error(n, key, allowed + ", got a number " + text.length() + " characters long ("
                        + shownPlain(text) + ")");
            }
            BigDecimal b;
            try {
                b = new BigDecimal(text);
            } catch (NumberFormatException e) {
                throw error(n, key, allowed + ", got " + shownPlain(text) + ", far out of range");
            }
            long exponent = (long) b.precision() - b.scale() - 1; // as in 1.5e<exponent>
            if (b.signum() != 0 && Math.abs(exponent) > MAX_NUMBER_EXPONENT) {
                throw error(n, key, allowed + ", got " + shownPlain(text) + ", far out of range");
            }
            return b;
        }

        Duration duration(Node parent, String key, Duration fallback, Duration min, Duration max) throws ConfigException {
            Node n = value(parent, key, false);
            if (n == null) return fallback;
            String range = " from " + Durations.format(min) + " to " + Durations.format(max);
            if (!(n.value instanceof String s)) {
                throw error(n, key, "must be a duration" + range + ": " + Durations.ALLOWED + "; got " + describe(n));
            }
            Duration d;
            try {
                d = Durations.parse(s);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw error(n, key, "must be a duration" + range + ": " + Durations.ALLOWED + "; got " + shown(s));
            }
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) throw error(n, key, "must be" + range + ", got " + shown(s));
            return d;
        }

        <E extends Enum<E>> E enumValue(Node parent, String key, Class<E> type, E fallback) throws ConfigException {
            Node n = value(parent, key, false);
            if (n == null) return fallback;
            List<String> names = new ArrayList<>();
            for (E e : type.getEnumConstants()) names.add("\"" + wireName(e) + "\"");
            String allowed = "must be one of " + String.join(", ", names);
            if (!(n.value instanceof String s)) throw error(n, key, allowed + ", got " + describe(n));
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(s.trim()) || wireName(e).equalsIgnoreCase(s.trim())) return e;
            }
            throw error(n, key, allowed + ", got " + shown(s));
        }

        private static String wireName(Enum<?> e) {
            if (e instanceof EngineKind k) return k.configName();
            if (e instanceof AfterGiveUp a) return a.configName();
            return e instanceof DeviceType ? e.name() : e.name().toLowerCase(Locale.ROOT);
        }

        private static String describe(Node n) {
            if (n.value instanceof String s) return "the string " + shown(s);
            if (n.value instanceof Num num) return "the number " + shownPlain(num.text());
            if (n.value instanceof Boolean b) return b.toString();
            if (n.value instanceof Map) return "an object";
            if (n.value instanceof List) return "an array";
            return "null";
        }
    }
}
