package dev.connecttray.fakespotify;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.spotify.context.ContextOuterClass;
import com.spotify.context.ContextPageOuterClass;
import com.spotify.context.ContextPlayerOptionsOuterClass;
import com.spotify.context.ContextTrackOuterClass;
import com.spotify.context.PlayOriginOuterClass;
import com.spotify.transfer.PlaybackOuterClass;
import com.spotify.transfer.QueueOuterClass;
import com.spotify.transfer.SessionOuterClass;
import com.spotify.transfer.TransferStateOuterClass;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The dealer messages a Spotify phone app's commands reach a Connect device as: a dealer
 * {@code request} for {@code hm://connect-state/v1/player/command}, its JSON payload gzip-compressed
 * and base64-encoded. Send one with {@link FakeDealer#broadcast(String)}; the device's reply
 * ({@code {"type":"reply","key":<key>,"payload":{"success":true}}}) arrives in
 * {@link FakeDealer#received()}.
 *
 * <p>The envelope, as librespot's DealerClient reads it:
 * <pre>{@code
 * {"type":"request", "key":"<key>", "message_ident":"hm://connect-state/v1/player/command",
 *  "headers":{"Transfer-Encoding":"gzip"}, "payload":{"compressed":"<base64 of gzip of the JSON>"}}
 * }</pre>
 * and the JSON: {@code {"message_id":<int>, "target_alias_id":null, "sent_by_device_id":"<phone>",
 * "command":{"endpoint":"play", ...}}}.
 */
public final class PhoneCommands {
    public static final String COMMAND_IDENT = "hm://connect-state/v1/player/command";
    /** The sending phone's Connect device id, as the commands say. */
    public static final String PHONE_DEVICE_ID = "f0e1d2c3b4a5968778695a4b3c2d1e0f00112233";
    private static final AtomicInteger MESSAGE_IDS = new AtomicInteger(1000);
    private static final AtomicInteger KEYS = new AtomicInteger();

    /** A built request: what to broadcast, and the key the device's reply will carry. */
    public record Request(String key, String text) {
    }

    /** A device's reply to a request, parsed from a text message it sent to the dealer. */
    public record Reply(String key, boolean success) {
        /** The reply in {@code text}, or null when the text is not a dealer reply. */
        public static Reply parse(String text) {
            try {
                JsonElement json = JsonParser.parseString(text);
                if (!json.isJsonObject()) return null;
                JsonObject o = json.getAsJsonObject();
                if (!o.has("type") || !"reply".equals(o.get("type").getAsString())) return null;
                return new Reply(o.get("key").getAsString(),
                        o.getAsJsonObject("payload").get("success").getAsBoolean());
            } catch (RuntimeException ex) {
                return null;
            }
        }

        /** Whether {@code message}, sent by a device to the dealer, is its reply to {@code key} with that outcome. */
        public static boolean answers(FakeDealer.Received message, String key, boolean success) {
            Reply reply = parse(message.text());
            return reply != null && reply.key().equals(key) && reply.success() == success;
        }
    }

    private PhoneCommands() {
    }

    /** "play" of one track, as its own context (what the phone sends after tapping a search result). */
    public static Request playTrack(String trackUri) {
        return play(trackUri, List.of(trackUri), 0);
    }

    /**
     * "play" of a context whose one page holds {@code trackUris}, starting at {@code startIndex}.
     *
     * @param contextUri e.g. {@code spotify:track:...}, {@code spotify:album:...}
     */
    public static Request play(String contextUri, List<String> trackUris, int startIndex) {
        Objects.checkIndex(startIndex, trackUris.size());
        JsonArray tracks = new JsonArray();
        for (int i = 0; i < trackUris.size(); i++) {
            JsonObject t = new JsonObject();
            t.addProperty("uri", trackUris.get(i));
            t.addProperty("uid", uid(i));
            tracks.add(t);
        }
        JsonObject page = new JsonObject();
        page.add("tracks", tracks);
        JsonArray pages = new JsonArray();
        pages.add(page);
        JsonObject context = new JsonObject();
        context.addProperty("uri", contextUri);
        context.addProperty("url", "context://" + contextUri);
        context.add("metadata", new JsonObject());
        context.add("pages", pages);

        JsonObject skipTo = new JsonObject();
        skipTo.addProperty("track_index", startIndex);
        skipTo.addProperty("track_uid", uid(startIndex));
        skipTo.addProperty("track_uri", trackUris.get(startIndex));
        JsonObject overrides = new JsonObject();
        overrides.addProperty("shuffling_context", false);
        overrides.addProperty("repeating_context", false);
        overrides.addProperty("repeating_track", false);
        JsonObject options = new JsonObject();
        options.addProperty("license", "premium");
        options.add("skip_to", skipTo);
        options.add("player_options_override", overrides);
        options.addProperty("initially_paused", false);

        JsonObject command = new JsonObject();
        command.addProperty("endpoint", "play");
        command.add("context", context);
        command.add("play_origin", playOriginJson());
        command.add("options", options);
        JsonObject logging = new JsonObject();
        logging.addProperty("command_initiated_time", System.currentTimeMillis());
        logging.add("page_instance_ids", new JsonArray());
        logging.add("interaction_ids", new JsonArray());
        command.add("logging_params", logging);
        return request(command);
    }

    /**
     * "play" of a context given by its URI alone, no pages (as for an album or a playlist): the
     * device resolves it ({@code hm://context-resolve/v1/<uri>}) and plays from its first track.
     */
    public static Request playContext(String contextUri) {
        JsonObject context = new JsonObject();
        context.addProperty("uri", contextUri);
        context.addProperty("url", "context://" + contextUri);
        context.add("metadata", new JsonObject());
        JsonObject options = new JsonObject();
        options.addProperty("license", "premium");
        options.addProperty("initially_paused", false);
        JsonObject command = new JsonObject();
        command.addProperty("endpoint", "play");
        command.add("context", context);
        command.add("play_origin", playOriginJson());
        command.add("options", options);
        return request(command);
    }

    /**
     * "transfer": move playback of {@code trackUris} (its context {@code contextUri}) to the device,
     * at {@code startIndex}, {@code positionMs} in, playing.
     */
    public static Request transfer(String contextUri, List<String> trackUris, int startIndex, long positionMs) {
        Objects.checkIndex(startIndex, trackUris.size());
        ContextPageOuterClass.ContextPage.Builder page = ContextPageOuterClass.ContextPage.newBuilder();
        for (int i = 0; i < trackUris.size(); i++)
            page.addTracks(ContextTrackOuterClass.ContextTrack.newBuilder().setUri(trackUris.get(i)).setUid(uid(i)));
        TransferStateOuterClass.TransferState state = TransferStateOuterClass.TransferState.newBuilder()
                .setOptions(ContextPlayerOptionsOuterClass.ContextPlayerOptions.newBuilder()
                        .setShufflingContext(false).setRepeatingContext(false).setRepeatingTrack(false))
                .setPlayback(PlaybackOuterClass.Playback.newBuilder()
                        .setTimestamp(System.currentTimeMillis())
                        .setPositionAsOfTimestamp((int) positionMs)
                        .setPlaybackSpeed(1.0)
                        .setIsPaused(false)
                        .setCurrentTrack(ContextTrackOuterClass.ContextTrack.newBuilder()
                                .setUri(trackUris.get(startIndex)).setUid(uid(startIndex))))
                .setCurrentSession(SessionOuterClass.Session.newBuilder()
                        .setPlayOrigin(PlayOriginOuterClass.PlayOrigin.newBuilder()
                                .setFeatureIdentifier("harmony").setFeatureVersion("9.0.0").setReferrerIdentifier("home"))
                        .setContext(ContextOuterClass.Context.newBuilder()
                                .setUri(contextUri).setUrl("context://" + contextUri).addPages(page))
                        .setCurrentUid(uid(startIndex)))
                .setQueue(QueueOuterClass.Queue.getDefaultInstance())
                .build();
        JsonObject command = new JsonObject();
        command.addProperty("endpoint", "transfer");
        command.addProperty("data", Base64.getEncoder().encodeToString(state.toByteArray()));
        JsonObject options = new JsonObject();
        options.addProperty("restore_paused", "restore");
        options.addProperty("restore_position", "restore");
        options.addProperty("restore_track", "restore");
        command.add("options", options);
        return request(command);
    }

    /** A command without arguments: "pause", "resume", "skip_next", "skip_prev". */
    public static Request simple(String endpoint) {
        JsonObject command = new JsonObject();
        command.addProperty("endpoint", endpoint);
        return request(command);
    }

    /** Wraps a command into the dealer request. */
    public static Request request(JsonObject command) {
        JsonObject payload = new JsonObject();
        payload.addProperty("message_id", MESSAGE_IDS.incrementAndGet());
        payload.add("target_alias_id", JsonNull.INSTANCE);
        payload.addProperty("sent_by_device_id", PHONE_DEVICE_ID);
        payload.add("command", command);

        String key = KEYS.incrementAndGet() + "/" + PHONE_DEVICE_ID;
        JsonObject headers = new JsonObject();
        headers.addProperty("Transfer-Encoding", "gzip");
        JsonObject compressed = new JsonObject();
        compressed.addProperty("compressed", Base64.getEncoder().encodeToString(gzip(payload.toString())));
        JsonObject message = new JsonObject();
        message.addProperty("type", "request");
        message.add("headers", headers);
        message.addProperty("message_ident", COMMAND_IDENT);
        message.addProperty("key", key);
        message.add("payload", compressed);
        return new Request(key, message.toString());
    }

    /** The JSON payload inside a request built here (for tests of this class). */
    static JsonObject payloadOf(String requestText) {
        JsonObject message = JsonParser.parseString(requestText).getAsJsonObject();
        byte[] gz = Base64.getDecoder().decode(message.getAsJsonObject("payload").get("compressed").getAsString());
        try (InputStreamReader in = new InputStreamReader(new GZIPInputStream(new ByteArrayInputStream(gz)),
                StandardCharsets.UTF_8)) {
            return JsonParser.parseReader(in).getAsJsonObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static JsonObject playOriginJson() {
        JsonObject origin = new JsonObject();
        origin.addProperty("feature_identifier", "harmony");
        origin.addProperty("feature_version", "9.0.0");
        origin.addProperty("referrer_identifier", "home");
        return origin;
    }

    /** A track's uid within the context, as Spotify makes them (hex, 16 digits). */
    static String uid(int index) {
        return String.format("%016x", 0x5eed0000L + index);
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }
}
