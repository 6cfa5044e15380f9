package dev.connecttray.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.supervisor.ControlChannel.Answer;
import dev.connecttray.supervisor.ControlChannel.Request;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlChannelTest {
    private static final Duration ASK = Duration.ofSeconds(5);

    @TempDir
    Path state;

    private final List<Request> handled = new CopyOnWriteArrayList<>();

    private ControlChannel listen(Answer answer) {
        return ControlChannel.listen(state, r -> {
            handled.add(r);
            return answer;
        }).orElseThrow();
    }

    @Test
    void aShowRequestIsHandledAndAnswered() throws Exception {
        try (ControlChannel channel = listen(Answer.SHOWN)) {
            assertThat(ControlChannel.ask(state, Request.SHOW, ASK)).hasValue(Answer.SHOWN);
            assertThat(handled).containsExactly(Request.SHOW);
            assertThat(ControlChannel.ask(state, Request.SHOW, ASK)).as("again: one connection per request")
                    .hasValue(Answer.SHOWN);
        }
    }

    @Test
    void aHeadlessInstanceSaysSo() {
        try (ControlChannel channel = listen(Answer.HEADLESS)) {
            assertThat(ControlChannel.ask(state, Request.SHOW, ASK)).hasValue(Answer.HEADLESS);
        }
    }

    @Test
    void theSocketIsOwnerOnlyAndGoneAfterClose() throws Exception {
        Path socket = ControlChannel.socketFile(state);
        try (ControlChannel channel = listen(Answer.SHOWN)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
        }
        assertThat(socket).doesNotExist();
        assertThat(ControlChannel.ask(state, Request.SHOW, ASK)).as("nobody listens").isEmpty();
    }

    @Test
    void aStaleSocketFromADeadProcessIsNoAnswerAndIsReplaced() throws Exception {
        Path socket = ControlChannel.socketFile(state);
        // What a killed process leaves: the socket file, with nobody listening on it.
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();
        long start = System.nanoTime();
        assertThat(ControlChannel.ask(state, Request.SHOW, ASK)).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("refused at once, no wait for the timeout")
                .isLessThan(ASK);

        try (ControlChannel channel = listen(Answer.SHOWN)) {
            assertThat(ControlChannel.ask(state, Request.SHOW, ASK)).hasValue(Answer.SHOWN);
        }
    }

    @Test
    void aFileOfAnotherKindInThePlaceOfTheSocketIsLeftAlone() throws Exception {
        Path socket = ControlChannel.socketFile(state);
        Files.writeString(socket, "not a socket\n");
        assertThat(ControlChannel.listen(state, r -> Answer.SHOWN)).isEmpty();
        assertThat(socket).hasContent("not a socket");
    }

    @Test
    void aServerThatNeverAnswersCostsTheClientOnlyItsTimeout() throws Exception {
        Path socket = ControlChannel.socketFile(state);
        try (ServerSocketChannel mute = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            mute.bind(UnixDomainSocketAddress.of(socket));
            // Accepted by the OS's backlog, never read, never answered.
            long start = System.nanoTime();
            assertThat(ControlChannel.ask(state, Request.SHOW, Duration.ofMillis(300))).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300))
                    .isLessThan(ASK);
        }
    }

    @Test
    void anUnknownOrOverlongRequestIsRefusedAndNotHandled() throws Exception {
        try (ControlChannel channel = listen(Answer.SHOWN)) {
            assertThat(rawRequest("quit\n")).isEqualTo("refused\n");
            // Closed with the rest unread: the client reads the answer, or (when the close comes first) a reset.
            assertThat(rawRequest("x".repeat(ControlChannel.MAX_REQUEST_BYTES * 4))).isIn("refused\n", "reset");
            assertThat(handled).isEmpty();
            assertThat(ControlChannel.ask(state, Request.SHOW, ASK)).hasValue(Answer.SHOWN);
        }
    }

    @Test
    void silentClientsAreDroppedAndNeverBlockTheOthers() throws Exception {
        try (ControlChannel channel = listen(Answer.SHOWN)) {
            List<SocketChannel> silent = new ArrayList<>();
            try {
                for (int i = 0; i < ControlChannel.MAX_CLIENTS + 4; i++) {
                    SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
                    c.connect(UnixDomainSocketAddress.of(ControlChannel.socketFile(state)));
                    c.write(ByteBuffer.wrap("sh".getBytes(StandardCharsets.US_ASCII))); // half a request
                    silent.add(c);
                }
                // The silent ones fill every slot until their deadline; then a request goes through.
                assertThat(ControlChannel.ask(state, Request.SHOW,
                        ControlChannel.CLIENT_DEADLINE.plusSeconds(3))).hasValue(Answer.SHOWN);
                // Each silent one was closed by the server: reading gives end of stream.
                SocketChannel first = silent.get(0);
                first.configureBlocking(true);
                assertThat(first.read(ByteBuffer.allocate(16))).isEqualTo(-1);
            } finally {
                for (SocketChannel c : silent) c.close();
            }
        }
    }

    @Test
    void aHandlerThatThrowsIsRefusedAndTheChannelGoesOn() {
        boolean[] first = {true};
        try (ControlChannel channel = ControlChannel.listen(state, r -> {
            if (first[0]) {
                first[0] = false;
                throw new IllegalStateException("boom");
            }
            return Answer.SHOWN;
        }).orElseThrow()) {
            assertThat(ControlChannel.ask(state, Request.SHOW, ASK)).hasValue(Answer.REFUSED);
            assertThat(ControlChannel.ask(state, Request.SHOW, ASK)).hasValue(Answer.SHOWN);
        }
    }

    @Test
    void aPathTooLongForAUnixSocketMeansNoChannelNotAFailure() throws IOException {
        Path deep = Files.createDirectories(state.resolve("d".repeat(60)).resolve("e".repeat(60)));
        Optional<ControlChannel> channel = ControlChannel.listen(deep, r -> Answer.SHOWN);
        channel.ifPresent(ControlChannel::close);
        assertThat(channel).isEmpty();
    }

    /** Sends {@code text} as it is and returns everything the server says before it closes. */
    private String rawRequest(String text) throws IOException, InterruptedException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(ControlChannel.socketFile(state)));
            ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
            try {
                while (out.hasRemaining()) c.write(out);
            } catch (IOException closedByServer) {
                // it stopped reading once it had enough
            }
            ByteBuffer in = ByteBuffer.allocate(64);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            try {
                while (System.nanoTime() < deadline && c.read(in) >= 0) {
                    // until the server closes
                }
            } catch (java.net.SocketException e) {
                // Linux: a peer that closed with unread data makes the read after its last bytes a reset.
                if (!String.valueOf(e.getMessage()).contains("reset")) throw e;
                if (in.position() == 0) return "reset";
            }
            return new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII);
        }
    }
}
