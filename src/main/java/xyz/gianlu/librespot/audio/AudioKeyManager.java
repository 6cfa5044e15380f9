package xyz.gianlu.librespot.audio;

import com.google.protobuf.ByteString;
import dev.connecttray.receiver.spotify.ReplacesLibraryClass;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xyz.gianlu.librespot.core.PacketsReceiver;
import xyz.gianlu.librespot.core.Session;
import xyz.gianlu.librespot.crypto.Packet;

/**
 * Asks the access point for the key of an audio file. Takes the place of librespot-java 1.6.3's
 * class, which turns the access point's explicit refusal into the same "no key" as a lost answer
 * and asks again. Since about 2025-11 Spotify refuses audio keys (error code 1) to accounts created
 * since about December 2024 when they play through a reverse-engineered engine: that refusal is
 * told apart ({@link AudioKeyRefusedException}), never asked again in this session, and the
 * receiver reports it to the user.
 */
@ReplacesLibraryClass("audio key refusals looked like timeouts and were retried")
public final class AudioKeyManager implements PacketsReceiver {
    /** The error code Spotify answers for accounts it does not serve through third-party engines. */
    public static final int ACCOUNT_REFUSED = 1;
    private static final long ANSWER_TIMEOUT_MS = 2000;
    private static final Logger LOG = LoggerFactory.getLogger(AudioKeyManager.class);

    private final Session session;
    private final AtomicInteger sequence = new AtomicInteger();
    private final Map<Integer, CompletableFuture<byte[]>> pending = new ConcurrentHashMap<>();
    /** Set once the access point refused this account: every later request fails at once. */
    private volatile AudioKeyRefusedException accountRefused;

    public AudioKeyManager(Session session) {
        this.session = Objects.requireNonNull(session, "session");
    }

    /**
     * @throws AudioKeyRefusedException when the access point refuses the key
     * @throws AesKeyException          when no answer came, twice
     */
    public byte[] getAudioKey(ByteString gid, ByteString fileId) throws IOException {
        AudioKeyRefusedException refused = accountRefused;
        if (refused != null) throw new AudioKeyRefusedException(refused.code, refused);
        try {
            return request(gid, fileId);
        } catch (TimeoutException first) {
            LOG.debug("No audio key within {} ms; asking once more", ANSWER_TIMEOUT_MS);
            try {
                return request(gid, fileId);
            } catch (TimeoutException second) {
                throw new AesKeyException("Spotify's access point sent no audio key within " + ANSWER_TIMEOUT_MS
                        + " ms, twice");
            }
        }
    }

    private byte[] request(ByteString gid, ByteString fileId) throws IOException, TimeoutException {
        int seq = sequence.getAndIncrement();
        ByteArrayOutputStream out = new ByteArrayOutputStream(42);
        fileId.writeTo(out);
        gid.writeTo(out);
        out.write(ByteBuffer.allocate(4).putInt(seq).array());
        out.write(new byte[2]);
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        pending.put(seq, answer);
        try {
            session.send(Packet.Type.RequestKey, out.toByteArray());
            return answer.get(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for an audio key", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AudioKeyRefusedException r) {
                if (r.code == ACCOUNT_REFUSED) accountRefused = r;
                throw new AudioKeyRefusedException(r.code, r);
            }
            throw new IOException(e.getCause());
        } finally {
            pending.remove(seq);
        }
    }

    @Override
    public void dispatch(Packet packet) {
        ByteBuffer payload = ByteBuffer.wrap(packet.payload);
        if (payload.remaining() < 4) {
            LOG.warn("Ignoring a {} packet of {} bytes", packet.type(), packet.payload.length);
            return;
        }
        int seq = payload.getInt();
        CompletableFuture<byte[]> answer = pending.get(seq);
        if (answer == null) {
            LOG.debug("An audio key answer for request {} came after it was given up", seq);
            return;
        }
        if (packet.is(Packet.Type.AesKey) && payload.remaining() >= 16) {
            byte[] key = new byte[16];
            payload.get(key);
            answer.complete(key);
        } else if (packet.is(Packet.Type.AesKeyError)) {
            int code = payload.remaining() >= 2 ? payload.getShort() & 0xffff : -1;
            LOG.warn("Spotify refused an audio key (error code {})", code);
            answer.completeExceptionally(new AudioKeyRefusedException(code, null));
        } else {
            LOG.warn("Ignoring a {} packet of {} bytes", packet.type(), packet.payload.length);
        }
    }

    /** No key for an audio file. */
    public static class AesKeyException extends IOException {
        AesKeyException(String message) {
            super(message);
        }
    }

    /** The access point answered the key request with an error code. */
    public static final class AudioKeyRefusedException extends AesKeyException {
        public final int code;

        AudioKeyRefusedException(int code, Throwable cause) {
            super(code == ACCOUNT_REFUSED
                    ? "Spotify refused the audio key (code 1): it does not let this account play through "
                    + "librespot-based receivers"
                    : "Spotify refused the audio key (code " + code + ")");
            this.code = code;
            if (cause != null) initCause(cause);
        }

        /** Whether Spotify refuses this account, not just one file. */
        public boolean accountRefused() {
            return code == ACCOUNT_REFUSED;
        }
    }
}
