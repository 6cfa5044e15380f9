package dev.connecttray.fakespotify;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.spotify.connectstate.Connect;
import com.spotify.extendedmetadata.EntityExtensionDataOuterClass.EntityExtensionData;
import com.spotify.extendedmetadata.EntityExtensionDataOuterClass.EntityExtensionDataHeader;
import com.spotify.extendedmetadata.ExtendedMetadata;
import com.spotify.extendedmetadata.ExtensionKindOuterClass.ExtensionKind;
import com.spotify.metadata.Metadata;
import com.spotify.storage.StorageResolve;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Spotify's spclient as of 2026 (or 2023 in {@link FakeSpotify.Behaviour#LEGACY_2023}):
 * every request needs {@code Authorization: Bearer <Login5 token>} and a {@code client-token}
 * header the clienttoken endpoint granted, else 401 (in legacy mode keymaster tokens
 * {@code fake-access-token-N} do too, and no client-token is needed).
 *
 * <ul>
 *   <li>{@code GET /metadata/4/track/<hex>}, {@code /metadata/4/episode/<hex>}: 500 (2026);
 *       in legacy mode the catalog's {@code Metadata.Track} with its file, or 404;</li>
 *   <li>{@code POST /extended-metadata/v0/extended-metadata} (body plain or gzip-encoded): TRACK_V4
 *       (a Track without files) and AUDIO_FILES (an {@code AudioFilesExtensionResponse}, encoded by hand);</li>
 *   <li>{@code GET /storage-resolve/files/audio/interactive[_prefetch]/<fileIdHex>}: CDN urls on
 *       {@link FakeHosts#CDN_FIRST} then {@link FakeHosts#CDN_SECOND};</li>
 *   <li>{@code PUT /connect-state/v1/devices/<deviceId>}: 200, recorded in {@link #devices()};</li>
 *   <li>anything else: 200 {@code {}}.</li>
 * </ul>
 */
public final class FakeSpclient {
    public static final String KEYMASTER_TOKEN_PREFIX = "fake-access-token-";
    public static final String TRACK_TYPE_URL = "type.googleapis.com/spotify.metadata.Track";
    public static final String EPISODE_TYPE_URL = "type.googleapis.com/spotify.metadata.Episode";
    public static final String AUDIO_FILES_TYPE_URL =
            "type.googleapis.com/spotify.extendedmetadata.audiofiles.AudioFilesExtensionResponse";
    /** The NormalizationParams the fake puts in every AUDIO_FILES answer. */
    public static final float LOUDNESS_DB = -9.5f;
    public static final float TRUE_PEAK_DB = -0.25f;
    private static final Pattern METADATA = Pattern.compile("/metadata/4/(track|episode)/([0-9a-fA-F]{32})");
    private static final Pattern STORAGE = Pattern.compile("/storage-resolve/files/audio/(interactive|interactive_prefetch)/([0-9a-fA-F]{40})");
    private static final Pattern CONNECT_STATE = Pattern.compile("/connect-state/v1/devices/([^/?]+)");
    private static final int MAX_GUNZIPPED = 4 * 1024 * 1024;

    /**
     * One spclient request.
     *
     * @param method       the method
     * @param host         the Host header without port (127.0.0.1 or spclient.wg.spotify.com)
     * @param target       the request target (path and query)
     * @param authorization the Bearer token, or null
     * @param clientToken  the client-token header, or null
     * @param connectionId the X-Spotify-Connection-Id header, or null
     * @param bodyBytes    the body's length as sent
     * @param status       the status answered
     */
    public record Request(String method, String host, String target, String authorization, String clientToken,
                          String connectionId, int bodyBytes, int status, long nanoTime) {
    }

    /**
     * A {@code PUT /connect-state/v1/devices/<deviceId>} the fake accepted.
     *
     * @param deviceId     from the path
     * @param name         {@code device.device_info.name}
     * @param connectionId the X-Spotify-Connection-Id header
     * @param reason       put_state_reason
     * @param active       is_active
     * @param gzipped      whether the body came gzip-encoded
     */
    public record DeviceRegistration(String deviceId, String name, String connectionId,
                                     Connect.PutStateReason reason, boolean active, boolean gzipped, long nanoTime) {
    }

    private final Supplier<FakeSpotify.Behaviour> behaviour;
    private final FakeLogin5 login5;
    private final FakeClientToken clientToken;
    private final FakeCatalog catalog;
    private final SecureRandom random = new SecureRandom();
    private final EventLog<Request> requests = new EventLog<>();
    private final EventLog<DeviceRegistration> devices = new EventLog<>();

    FakeSpclient(Supplier<FakeSpotify.Behaviour> behaviour, FakeLogin5 login5, FakeClientToken clientToken, FakeCatalog catalog) {
        this.behaviour = Objects.requireNonNull(behaviour);
        this.login5 = Objects.requireNonNull(login5);
        this.clientToken = Objects.requireNonNull(clientToken);
        this.catalog = Objects.requireNonNull(catalog);
    }

    /** Every spclient request with its answer, oldest first. */
    public EventLog<Request> requests() {
        return requests;
    }

    /** Connect-state PUTs accepted: which device registered under which name. */
    public EventLog<DeviceRegistration> devices() {
        return devices;
    }

    /** Whether spclient (and the dealer) accept {@code token} as a Bearer token in the current behaviour. */
    public boolean acceptsAccessToken(String token) {
        if (login5.isValidToken(token)) return true;
        return behaviour.get() == FakeSpotify.Behaviour.LEGACY_2023 && token != null && token.startsWith(KEYMASTER_TOKEN_PREFIX);
    }

    HttpResponse handle(String host, HttpHead head, byte[] body) {
        String auth = head.header("Authorization");
        String bearer = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
        String ct = head.header("client-token");
        HttpResponse response;
        try {
            response = answer(head, body, bearer, ct);
        } catch (RuntimeException ex) {
            response = HttpResponse.text(500, "Internal Server Error", "fake spclient: " + ex + "\n");
        }
        requests.add(new Request(head.method(), host, head.target(), bearer, ct, head.header("X-Spotify-Connection-Id"),
                body.length, response.status(), System.nanoTime()));
        return response;
    }

    private HttpResponse answer(HttpHead head, byte[] body, String bearer, String ct) {
        boolean legacy = behaviour.get() == FakeSpotify.Behaviour.LEGACY_2023;
        if (!acceptsAccessToken(bearer))
            return HttpResponse.of(401, "Unauthorized", "application/json",
                    "{\"error\":{\"status\":401,\"message\":\"Invalid access token\"}}".getBytes(StandardCharsets.UTF_8));
        if (!legacy && !clientToken.isGranted(ct))
            return HttpResponse.of(401, "Unauthorized", "application/json",
                    "{\"error\":{\"status\":401,\"message\":\"Missing or invalid client token\"}}".getBytes(StandardCharsets.UTF_8));

        String path = FakeLogin5.pathOf(head.target());
        Matcher m;
        if ((m = METADATA.matcher(path)).matches() && head.method().equals("GET")) {
            if (!legacy) return HttpResponse.text(500, "Internal Server Error", "");
            if (m.group(1).equals("episode")) return HttpResponse.text(404, "Not Found", "");
            return catalog.byGidHex(m.group(2))
                    .map(t -> HttpResponse.protobuf(track(t, true)))
                    .orElseGet(() -> HttpResponse.text(404, "Not Found", ""));
        }
        if (path.equals("/extended-metadata/v0/extended-metadata") && head.method().equals("POST"))
            return extendedMetadata(head, body, legacy);
        if ((m = STORAGE.matcher(path)).matches() && head.method().equals("GET"))
            return storageResolve(m.group(2));
        if ((m = CONNECT_STATE.matcher(path)).matches() && head.method().equals("PUT"))
            return connectState(head, m.group(1), body);
        return HttpResponse.of(200, "OK", "application/json", "{}".getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ endpoints

    private HttpResponse extendedMetadata(HttpHead head, byte[] body, boolean legacy) {
        // The session's HTTP client gzips request bodies, as it does for connect-state.
        String encoding = head.header("Content-Encoding");
        boolean gzipped = encoding != null && encoding.toLowerCase(Locale.ROOT).contains("gzip");
        ExtendedMetadata.BatchedEntityRequest request;
        try {
            request = ExtendedMetadata.BatchedEntityRequest.parseFrom(gzipped ? gunzip(body) : body);
        } catch (IOException ex) {
            return HttpResponse.text(400, "Bad Request", "not a BatchedEntityRequest\n");
        }
        // One array per extension kind, in the order kinds were first asked for, as Spotify answers.
        Map<ExtensionKind, ExtendedMetadata.EntityExtensionDataArray.Builder> arrays = new LinkedHashMap<>();
        for (ExtendedMetadata.EntityRequest entity : request.getEntityRequestList()) {
            for (ExtendedMetadata.ExtensionQuery query : entity.getQueryList()) {
                ExtensionKind kind = query.getExtensionKind();
                arrays.computeIfAbsent(kind, k -> ExtendedMetadata.EntityExtensionDataArray.newBuilder().setExtensionKind(k))
                        .addExtensionData(extensionData(entity.getEntityUri(), kind, legacy));
            }
        }
        ExtendedMetadata.BatchedExtensionResponse.Builder response = ExtendedMetadata.BatchedExtensionResponse.newBuilder()
                .setHeader(ExtendedMetadata.BatchedExtensionResponseHeader.getDefaultInstance());
        arrays.values().forEach(response::addExtendedMetadata);
        return HttpResponse.protobuf(response.build());
    }

    private EntityExtensionData extensionData(String uri, ExtensionKind kind, boolean legacy) {
        Optional<FakeCatalog.Track> track = uri.startsWith("spotify:track:") ? catalog.byUri(uri) : Optional.empty();
        EntityExtensionData.Builder data = EntityExtensionData.newBuilder().setEntityUri(uri);
        Any any = null;
        if (track.isPresent()) {
            if (kind == ExtensionKind.TRACK_V4)
                any = Any.newBuilder().setTypeUrl(TRACK_TYPE_URL).setValue(track(track.get(), legacy).toByteString()).build();
            else if (kind == ExtensionKind.AUDIO_FILES)
                any = Any.newBuilder().setTypeUrl(AUDIO_FILES_TYPE_URL).setValue(audioFiles(track.get())).build();
        }
        if (any == null) return data.setHeader(EntityExtensionDataHeader.newBuilder().setStatusCode(404)).build();
        return data.setHeader(EntityExtensionDataHeader.newBuilder().setStatusCode(200).setCacheTtlInSeconds(3600))
                .setExtensionData(any).build();
    }

    private HttpResponse storageResolve(String fileIdHex) {
        Optional<FakeCatalog.Track> track = catalog.byFileIdHex(fileIdHex);
        if (track.isEmpty()) return HttpResponse.text(404, "Not Found", "");
        String hex = track.get().fileIdHex();
        long expires = System.currentTimeMillis() / 1000 + 3600;
        byte[] token = new byte[16];
        random.nextBytes(token);
        String tokenHex = HexFormat.of().formatHex(token);
        return HttpResponse.protobuf(StorageResolve.StorageResolveResponse.newBuilder()
                .setResult(StorageResolve.StorageResolveResponse.Result.CDN)
                .addCdnurl("https://" + FakeHosts.CDN_FIRST + "/audio/" + hex + "?" + expires + "_" + tokenHex)
                .addCdnurl("https://" + FakeHosts.CDN_SECOND + "/audio/" + hex + "?__token__=exp=" + expires + "~hmac=" + tokenHex)
                .setFileid(ByteString.copyFrom(track.get().fileId()))
                .build());
    }

    private HttpResponse connectState(HttpHead head, String deviceId, byte[] body) {
        String encoding = head.header("Content-Encoding");
        boolean gzipped = encoding != null && encoding.toLowerCase(Locale.ROOT).contains("gzip");
        Connect.PutStateRequest request;
        try {
            request = Connect.PutStateRequest.parseFrom(gzipped ? gunzip(body) : body);
        } catch (IOException ex) {
            return HttpResponse.text(400, "Bad Request", "not a PutStateRequest\n");
        }
        devices.add(new DeviceRegistration(deviceId, request.getDevice().getDeviceInfo().getName(),
                head.header("X-Spotify-Connection-Id"), request.getPutStateReason(), request.getIsActive(), gzipped,
                System.nanoTime()));
        return HttpResponse.of(200, "OK", HttpResponse.PROTOBUF, new byte[0]);
    }

    // ------------------------------------------------------------------ messages

    /** The catalog track as metadata; {@code withFiles} false is what Spotify serves since 2025-11. */
    static Metadata.Track track(FakeCatalog.Track t, boolean withFiles) {
        Metadata.Track.Builder track = Metadata.Track.newBuilder()
                .setGid(ByteString.copyFrom(t.gid()))
                .setName(t.name())
                .setDuration(t.durationMs());
        if (withFiles) track.addFile(audioFile(t));
        return track.build();
    }

    static Metadata.AudioFile audioFile(FakeCatalog.Track t) {
        return Metadata.AudioFile.newBuilder().setFileId(ByteString.copyFrom(t.fileId())).setFormat(t.format()).build();
    }

    /**
     * {@code AudioFilesExtensionResponse} (not in librespot's jar): 1 repeated ExtendedAudioFile
     * {1 AudioFile file, 4 int32 average_bitrate}, 2 NormalizationParams {1 float loudness_db,
     * 2 float true_peak_db}, 4 bytes audio_id (the fake puts the track's gid there).
     */
    static ByteString audioFiles(FakeCatalog.Track t) {
        try {
            ByteArrayOutputStream extendedFile = new ByteArrayOutputStream();
            CodedOutputStream ef = CodedOutputStream.newInstance(extendedFile);
            ef.writeBytes(1, audioFile(t).toByteString());
            ef.writeInt32(4, averageBitrate(t.format()));
            ef.flush();

            ByteArrayOutputStream normalization = new ByteArrayOutputStream();
            CodedOutputStream n = CodedOutputStream.newInstance(normalization);
            n.writeFloat(1, LOUDNESS_DB);
            n.writeFloat(2, TRUE_PEAK_DB);
            n.flush();

            ByteArrayOutputStream response = new ByteArrayOutputStream();
            CodedOutputStream r = CodedOutputStream.newInstance(response);
            r.writeBytes(1, ByteString.copyFrom(extendedFile.toByteArray()));
            r.writeBytes(2, ByteString.copyFrom(normalization.toByteArray()));
            r.writeBytes(4, ByteString.copyFrom(t.gid()));
            r.flush();
            return ByteString.copyFrom(response.toByteArray());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Bits per second of a format, from the number in its name (OGG_VORBIS_320 → 320000). */
    static int averageBitrate(Metadata.AudioFile.Format format) {
        Matcher m = Pattern.compile("_(\\d+)").matcher(format.name());
        return m.find() ? Integer.parseInt(m.group(1)) * 1000 : 0;
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            byte[] out = in.readNBytes(MAX_GUNZIPPED + 1);
            if (out.length > MAX_GUNZIPPED) throw new IOException("gunzipped body too large");
            return out;
        }
    }
}
