package dev.connecttray.engine.soloist;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.connecttray.config.AtomicFiles;
import dev.connecttray.config.SoloistTerms;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * The user's consent to let Connect Tray download, run, keep and refresh Spotify Soloist from
 * Spotify's build host, recorded once (by the tray's question, or a command-line flag when headless)
 * in the state folder as {@value #FILE_NAME}: an owner-only JSON file saying what was agreed to,
 * when, and where Spotify's terms are. {@code engine.allowDownload: true} in the config file is the
 * other way to consent; either one is enough.
 */
public final class SoloistConsent {
    public static final String FILE_NAME = "soloist-consent.json";
    /** Spotify's Soloist documentation: the downloads and the terms that apply. */
    public static final String TERMS_URL = SoloistTerms.TERMS_URL;
    /** What the user agrees to, word for word as the question asks it and the record keeps it. */
    public static final String AGREEMENT = SoloistTerms.AGREEMENT;
    /** Shown with the question: whose terms apply, and that the risk is the user's. */
    public static final String NOTICE = SoloistTerms.NOTICE;
    private static final int FORMAT = 1;
    private static final String SCOPE = "soloist-download";
    private static final int MAX_BYTES = 16 * 1024;

    private final Path file;

    /** The record in {@code stateDir} (Connect Tray's state folder). */
    public SoloistConsent(Path stateDir) {
        this.file = stateDir.toAbsolutePath().resolve(FILE_NAME);
    }

    /**
     * A recorded consent.
     *
     * @param agreedTo the words agreed to ({@link #AGREEMENT} when it was given)
     * @param at       when
     * @param termsUrl the terms shown with the question
     */
    public record Record(String agreedTo, Instant at, String termsUrl) {
        public Record {
            Objects.requireNonNull(agreedTo, "agreedTo");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(termsUrl, "termsUrl");
        }
    }

    public Path file() {
        return file;
    }

    /**
     * The recorded consent, or empty when none was given (no file).
     *
     * @throws IOException the file is there but is no consent record, or is a symbolic link (the
     *                     message names the file and what to do)
     */
    public Optional<Record> read() throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        AtomicFiles.refuseSymbolicLink(file);
        Optional<String> read = AtomicFiles.readSmall(file, MAX_BYTES);
        if (read.isEmpty()) throw notARecord("larger than " + MAX_BYTES / 1024 + " KiB");
        String text = read.get();
        try {
            JsonElement e = JsonParser.parseString(text);
            if (!e.isJsonObject()) throw notARecord("not a JSON object");
            JsonObject o = e.getAsJsonObject();
            if (!SCOPE.equals(string(o, "consent"))) throw notARecord("\"consent\" is not \"" + SCOPE + "\"");
            return Optional.of(new Record(string(o, "agreedTo"), Instant.parse(string(o, "at")), string(o, "terms")));
        } catch (JsonParseException | IllegalStateException | DateTimeParseException e) {
            throw notARecord("expected JSON with consent, agreedTo, at and terms");
        }
    }

    /** Records consent to {@link #AGREEMENT} as given {@code at}; owner-only, replaced atomically. */
    public Record give(Instant at) throws IOException {
        Record r = new Record(AGREEMENT, at, TERMS_URL);
        JsonObject o = new JsonObject();
        o.addProperty("version", FORMAT);
        o.addProperty("consent", SCOPE);
        o.addProperty("agreedTo", r.agreedTo());
        o.addProperty("at", r.at().toString());
        o.addProperty("terms", r.termsUrl());
        Path dir = file.getParent();
        AtomicFiles.createPrivateDirectories(dir);
        AtomicFiles.write(file, (o + "\n").getBytes(StandardCharsets.UTF_8));
        return r;
    }

    /** Withdraws the recorded consent: no more downloads or refreshes (the copy already kept stays). */
    public void withdraw() throws IOException {
        Files.deleteIfExists(file);
    }

    private IOException notARecord(String why) {
        return new IOException(file + " is not a Soloist consent record (" + why + "); delete it and answer the "
                + "tray's question again, or set engine.allowDownload: true");
    }

    private String string(JsonObject o, String name) throws IOException {
        JsonElement e = o.get(name);
        if (e == null || !e.isJsonPrimitive() || e.getAsString().isBlank()) throw notARecord("no \"" + name + "\"");
        return e.getAsString();
    }
}
