package dev.connecttray.engine.soloist;

/**
 * Takes the API key out of text before it is logged, kept for {@code lastLines}, or put in a
 * failure: the key is on Soloist's command line, and Soloist may echo it.
 */
public final class Redaction {
    /** What stands where the key was. */
    public static final String MARK = "[API key]";

    private final String key;

    /** @param key the secret; null or empty for nothing to hide */
    public Redaction(String key) {
        this.key = key == null || key.isEmpty() ? null : key;
    }

    public String apply(String text) {
        if (key == null || text == null) return text;
        return text.replace(key, MARK);
    }

    /** The command line as it may be logged: the argument after {@code -k}/{@code --api-key} replaced, and the key anywhere else. */
    public String commandLine(java.util.List<String> argv) {
        StringBuilder sb = new StringBuilder();
        boolean hideNext = false;
        for (String arg : argv) {
            if (!sb.isEmpty()) sb.append(' ');
            if (hideNext) {
                sb.append(MARK);
                hideNext = false;
                continue;
            }
            if (arg.startsWith("--api-key=")) {
                sb.append("--api-key=").append(MARK);
                continue;
            }
            hideNext = arg.equals("-k") || arg.equals("--api-key");
            sb.append(apply(arg));
        }
        return sb.toString();
    }
}
