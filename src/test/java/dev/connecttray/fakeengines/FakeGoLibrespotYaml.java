package dev.connecttray.fakeengines;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of YAML a go-librespot config uses: nested maps by indentation, {@code key: value}
 * scalars (plain, single- or double-quoted), comments, and flow lists {@code [a, b]} kept as text.
 * Keys come out dotted ({@code credentials.zeroconf.persist_credentials}). What it cannot read
 * it refuses with a message in yaml.v3's words ("yaml: line 3: could not find expected ':'").
 */
public final class FakeGoLibrespotYaml {
    private FakeGoLibrespotYaml() {
    }

    public static final class YamlException extends Exception {
        private static final long serialVersionUID = 1L;

        YamlException(int line, String what) {
            super("yaml: line " + line + ": " + what);
        }
    }

    public static Map<String, String> parse(String text) throws YamlException {
        Map<String, String> out = new LinkedHashMap<>();
        List<int[]> indents = new ArrayList<>(); // {indent} per open map
        List<String> path = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        boolean expectChild = false;
        for (int n = 0; n < lines.length; n++) {
            int lineNo = n + 1;
            String raw = lines[n].replaceAll("\r$", "");
            String body = stripComment(raw, lineNo);
            if (body.isBlank()) continue;
            if (body.startsWith("\t") || body.matches("^ *\t.*")) {
                throw new YamlException(lineNo, "found character that cannot start any token");
            }
            int indent = 0;
            while (body.charAt(indent) == ' ') indent++;
            String content = body.substring(indent).stripTrailing();
            if (content.startsWith("- ")) throw new YamlException(lineNo, "block lists are not used in this config");
            while (!indents.isEmpty() && indent <= indents.get(indents.size() - 1)[0]) {
                indents.remove(indents.size() - 1);
                path.remove(path.size() - 1);
            }
            if (expectChild && (indents.isEmpty() || indent <= indents.get(indents.size() - 1)[0])) {
                expectChild = false;
            }
            if (!indents.isEmpty() && indent <= indents.get(indents.size() - 1)[0]) {
                throw new YamlException(lineNo, "did not find expected key");
            }
            if (indents.isEmpty() && indent > 0) {
                throw new YamlException(lineNo, "mapping values are not allowed in this context");
            }
            int colon = keyEnd(content);
            if (colon < 0) throw new YamlException(lineNo, "could not find expected ':'");
            String key = content.substring(0, colon).strip();
            if (key.isEmpty()) throw new YamlException(lineNo, "did not find expected key");
            String value = content.substring(colon + 1).strip();
            String dotted = path.isEmpty() ? key : String.join(".", path) + "." + key;
            if (value.isEmpty()) {
                indents.add(new int[]{indent});
                path.add(key);
                expectChild = true;
            } else {
                out.put(dotted, scalar(value, lineNo));
            }
        }
        return out;
    }

    /** The colon that ends the key ({@code ": "} or a final {@code ":"}), or -1. */
    private static int keyEnd(String content) {
        if (content.startsWith("\"") || content.startsWith("'")) return -1;
        for (int i = 0; i < content.length(); i++) {
            if (content.charAt(i) == ':' && (i + 1 == content.length() || content.charAt(i + 1) == ' ')) return i;
        }
        return -1;
    }

    private static String stripComment(String line, int lineNo) throws YamlException {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"') i++;
                else if (c == quote) quote = 0;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#' && (i == 0 || line.charAt(i - 1) == ' ')) {
                return line.substring(0, i);
            }
        }
        if (quote != 0) throw new YamlException(lineNo, "found unexpected end of stream");
        return line;
    }

    private static String scalar(String v, int lineNo) throws YamlException {
        if (v.startsWith("\"")) {
            if (v.length() < 2 || !v.endsWith("\"")) throw new YamlException(lineNo, "found unexpected end of stream");
            StringBuilder s = new StringBuilder();
            for (int i = 1; i < v.length() - 1; i++) {
                char c = v.charAt(i);
                if (c == '"') throw new YamlException(lineNo, "did not find expected key");
                if (c != '\\') {
                    s.append(c);
                    continue;
                }
                if (++i >= v.length() - 1) throw new YamlException(lineNo, "found unknown escape character");
                char e = v.charAt(i);
                switch (e) {
                    case 'n' -> s.append('\n');
                    case 't' -> s.append('\t');
                    case 'r' -> s.append('\r');
                    case '"', '\\', '/' -> s.append(e);
                    case 'x' -> {
                        if (i + 2 >= v.length()) throw new YamlException(lineNo, "found unknown escape character");
                        s.append((char) Integer.parseInt(v.substring(i + 1, i + 3), 16));
                        i += 2;
                    }
                    default -> throw new YamlException(lineNo, "found unknown escape character");
                }
            }
            return s.toString();
        }
        if (v.startsWith("'")) {
            if (v.length() < 2 || !v.endsWith("'")) throw new YamlException(lineNo, "found unexpected end of stream");
            return v.substring(1, v.length() - 1).replace("''", "'");
        }
        if (v.startsWith("[") && !v.endsWith("]")) throw new YamlException(lineNo, "did not find expected ',' or ']'");
        if (v.startsWith("{") || v.startsWith("&") || v.startsWith("*") || v.startsWith("|") || v.startsWith(">")) {
            throw new YamlException(lineNo, "this fake reads no flow maps, anchors or block scalars");
        }
        return v;
    }
}
