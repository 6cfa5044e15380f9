package dev.connecttray.receiver.zeroconf;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.spotify.Authentication;
import dev.connecttray.fakespotify.FakePhone;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The endpoint on a real loopback socket, with the fake phone as the Spotify app. */
class ZeroconfEndpointTest {
    private static final String DEVICE_ID = "0123456789abcdef0123456789abcdef01234567";
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Authentication.AuthenticationType STORED =
            Authentication.AuthenticationType.AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS;

    private record HandOver(String userName, Authentication.LoginCredentials credentials) {
    }

    private final BlockingQueue<HandOver> handOvers = new LinkedBlockingQueue<>();
    private final List<ZeroconfEndpoint> endpoints = new ArrayList<>();

    @AfterEach
    void closeEndpoints() {
        endpoints.forEach(ZeroconfEndpoint::close);
    }

    private ZeroconfEndpoint start(ZeroconfEndpoint.Limits limits) throws IOException {
        return start(limits, (user, credentials) -> handOvers.add(new HandOver(user, credentials)));
    }

    private ZeroconfEndpoint start(ZeroconfEndpoint.Limits limits, ZeroconfEndpoint.HandOverListener listener)
            throws IOException {
        ZeroconfEndpoint e = ZeroconfEndpoint.start(0, device(), listener, ZeroconfEndpoint.ProblemListener.NONE, limits);
        endpoints.add(e);
        return e;
    }

    private static ZeroconfEndpoint.Device device() {
        return new ZeroconfEndpoint.Device(DEVICE_ID, "Test Tray", "COMPUTER", "Connect Tray", "Connect Tray", "test-1");
    }

    private static FakePhone phone(ZeroconfEndpoint e) {
        return new FakePhone("127.0.0.1", e.port(), WAIT);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void getInfoAnswersWhatSpotifyAppsRead() throws Exception {
        ZeroconfEndpoint e = start(ZeroconfEndpoint.Limits.DEFAULT);
        FakePhone.DeviceInfo info = phone(e).getInfo();
        JsonObject o = info.json();

        assertThat(o.get("status").getAsInt()).isEqualTo(101);
        assertThat(o.get("statusString").getAsString()).isEqualTo("OK");
        assertThat(o.get("spotifyError").getAsInt()).isZero();
        assertThat(o.get("version").getAsString()).isEqualTo("2.10.0");
        assertThat(info.deviceId()).isEqualTo(DEVICE_ID);
        assertThat(info.remoteName()).isEqualTo("Test Tray");
        assertThat(o.get("activeUser").getAsString()).isEmpty();
        assertThat(o.get("deviceType").getAsString()).isEqualTo("COMPUTER");
        assertThat(o.get("libraryVersion").getAsString()).isEqualTo("test-1");
        assertThat(o.get("accountReq").getAsString()).isEqualTo("PREMIUM");
        assertThat(o.get("brandDisplayName").getAsString()).isEqualTo("Connect Tray");
        assertThat(o.get("modelDisplayName").getAsString()).isEqualTo("Connect Tray");
        assertThat(o.get("voiceSupport").getAsString()).isEqualTo("NO");
        assertThat(o.get("availability").getAsString()).isEmpty();
        assertThat(o.get("productID").getAsInt()).isZero();
        assertThat(o.get("tokenType").getAsString()).isEqualTo("default");
        assertThat(o.get("groupStatus").getAsString()).isEqualTo("NONE");
        assertThat(o.get("resolverVersion").getAsString()).isEqualTo("0");
        assertThat(o.get("scope").getAsString()).isEqualTo("streaming,client-authorization-universal");
        assertThat(info.publicKey().length).isBetween(90, 96);

        // a second endpoint has a key pair of its own
        ZeroconfEndpoint other = start(ZeroconfEndpoint.Limits.DEFAULT);
        assertThat(phone(other).getInfo().publicKey()).isNotEqualTo(info.publicKey());
    }

    @Test
    void getInfoAlsoAnswersAPostAndSaysTheConnectionCloses() throws Exception {
        ZeroconfEndpoint e = start(ZeroconfEndpoint.Limits.DEFAULT);
        String answer = exchange(e, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
                + "\r\nContent-Length: 14\r\n\r\naction=getInfo");

        assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nConnection: close\r\n");
        assertThat(json(answer).get("deviceID").getAsString()).isEqualTo(DEVICE_ID);
    }

    @Test
    void aGoodHandOverReachesTheListenerAndBecomesTheActiveUser() throws Exception {
        ZeroconfEndpoint e = start(ZeroconfEndpoint.Limits.DEFAULT);
        FakePhone phone = phone(e);
        byte[] data = bytes("stored-credentials-of-fake-user");

        FakePhone.Answer a = phone.handOver("fake-user", STORED, data);

        assertThat(a.httpStatus()).isEqualTo(200);
        assertThat(a.status()).isEqualTo(101);
        assertThat(a.json().get("statusString").getAsString()).isEqualTo("OK");
        assertThat(a.json().get("spotifyError").getAsInt()).isZero();
        assertThat(a.closed()).isTrue();
        HandOver h = handOvers.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(h).isNotNull();
        assertThat(h.userName()).isEqualTo("fake-user");
        assertThat(h.credentials().getUsername()).isEqualTo("fake-user");
        assertThat(h.credentials().getTyp()).isEqualTo(STORED);
        assertThat(h.credentials().getAuthData().toByteArray()).isEqualTo(data);
        assertThat(phone.getInfo().json().get("activeUser").getAsString()).isEqualTo("fake-user");
        assertThat(e.activeUser()).isEqualTo("fake-user");
    }

    @Test
    void refusedHandOversGetAnErrorAnswerAndTheNextGoodOneStillWorks() throws Exception {
        ZeroconfEndpoint e = start(ZeroconfEndpoint.Limits.DEFAULT);
        FakePhone phone = phone(e);
        FakePhone.DeviceInfo info = phone.getInfo();
        String clientKey = Base64.getEncoder().encodeToString(phone.publicKey());
        byte[] deviceBlob = Base64.getEncoder().encode(FakePhone.deviceBlob(DEVICE_ID, "fake-user",
                STORED.getNumber(), bytes("stored-credentials")));

        byte[] good = FakePhone.transportBlob(phone.sharedSecret(info.publicKey()), new byte[16], deviceBlob);
        byte[] badChecksum = good.clone();
        badChecksum[badChecksum.length - 1] ^= 1;
        byte[] flippedCiphertext = good.clone();
        flippedCiphertext[20] ^= 1;

        List<FakePhone.Answer> answers = List.of(
                phone.addUser("fake-user", Base64.getEncoder().encodeToString(badChecksum), clientKey),
                phone.addUser("fake-user", Base64.getEncoder().encodeToString(flippedCiphertext), clientKey),
                phone.addUser("fake-user", Base64.getEncoder().encodeToString(new byte[10]), clientKey),
                phone.addUser("fake-user", Base64.getEncoder().encodeToString(new byte[36]), clientKey),
                phone.addUser("fake-user", "this is *not* base64!", clientKey),
                phone.addUser("fake-user", Base64.getEncoder().encodeToString(good), "not base64 either!"),
                phone.addUser("fake-user", Base64.getEncoder().encodeToString(good), Base64.getEncoder().encodeToString(new byte[]{1})),
                phone.addUser("", Base64.getEncoder().encodeToString(good), clientKey),
                // a good outer layer around garbage: not base64, not whole AES blocks, no record inside
                phone.handOverPayload(info, "fake-user", bytes("garbage, not a device blob")),
                phone.handOverPayload(info, "fake-user", Base64.getEncoder().encode(new byte[10])),
                phone.handOverPayload(info, "fake-user", Base64.getEncoder().encode(new byte[32])),
                phone.handOverPayload(info, "fake-user", new byte[0]));

        for (FakePhone.Answer a : answers) {
            assertThat(a.httpStatus()).as(a.body()).isEqualTo(400);
            assertThat(a.status()).as(a.body()).isEqualTo(203);
            assertThat(a.json().get("statusString").getAsString()).isEqualTo("ERROR-INVALID-ARGUMENTS");
        }
        assertThat(handOvers).isEmpty();
        assertThat(e.activeUser()).isEmpty();

        FakePhone.Answer ok = phone.handOver("fake-user", STORED, bytes("stored-credentials"));
        assertThat(ok.status()).isEqualTo(101);
        HandOver h = handOvers.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(h).isNotNull();
        assertThat(h.credentials().getAuthData().toStringUtf8()).isEqualTo("stored-credentials");
    }

    @Test
    void aNewerHandOverReplacesOneStillWaitingAndNoneIsLockedOut() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        ZeroconfEndpoint e = start(ZeroconfEndpoint.Limits.DEFAULT, (user, credentials) -> {
            handOvers.add(new HandOver(user, credentials));
            if (calls.incrementAndGet() == 1) {
                firstStarted.countDown();
                try {
                    release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        FakePhone phone = phone(e);

        assertThat(phone.handOver("fake-user", STORED, bytes("first")).status()).isEqualTo(101);
        assertThat(firstStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        // the same user again while the first is still being handled: no "already connecting" refusal
        assertThat(phone.handOver("fake-user", STORED, bytes("second")).status()).isEqualTo(101);
        assertThat(phone.handOver("fake-user", STORED, bytes("third")).status()).isEqualTo(101);
        release.countDown();

        assertThat(handOvers.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS).credentials().getAuthData().toStringUtf8())
                .isEqualTo("first");
        assertThat(handOvers.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS).credentials().getAuthData().toStringUtf8())
                .isEqualTo("third");
        // the second was replaced while it waited; a later one is delivered as usual
        assertThat(phone.handOver("fake-user", STORED, bytes("fourth")).status()).isEqualTo(101);
        assertThat(handOvers.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS).credentials().getAuthData().toStringUtf8())
                .isEqualTo("fourth");
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void actionsOtherThanTheTwoAreRefusedWithTheirStatus() throws Exception {
        ZeroconfEndpoint e = start(ZeroconfEndpoint.Limits.DEFAULT);

        String missing = exchange(e, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        String unknown = exchange(e, "GET /?action=resetUsers HTTP/1.1\r\nHost: x\r\n\r\n");
        String method = exchange(e, "DELETE /?action=getInfo HTTP/1.1\r\nHost: x\r\n\r\n");
        String garbage = exchange(e, "\u0016\u0003\u0001 hello\r\n\r\n");

        assertThat(missing).startsWith("HTTP/1.1 400 ");
        assertThat(json(missing).get("status").getAsInt()).isEqualTo(201);
        assertThat(unknown).startsWith("HTTP/1.1 400 ");
        assertThat(json(unknown).get("status").getAsInt()).isEqualTo(202);
        assertThat(method).startsWith("HTTP/1.1 405 ");
        assertThat(json(method).get("status").getAsInt()).isEqualTo(102);
        assertThat(garbage).startsWith("HTTP/1.1 400 ");
        assertThat(phone(e).getInfo().deviceId()).isEqualTo(DEVICE_ID);
    }

    @Test
    void aClientExpectingContinueGetsItAndThenTheAnswer() throws Exception {
        ZeroconfEndpoint e = start(ZeroconfEndpoint.Limits.DEFAULT);
        try (Socket s = connect(e)) {
            s.getOutputStream().write(bytes("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                    + "Content-Length: 14\r\n\r\n"));
            s.getOutputStream().flush();
            s.setSoTimeout((int) WAIT.toMillis());
            byte[] interim = s.getInputStream().readNBytes(25);
            assertThat(new String(interim, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            s.getOutputStream().write(bytes("action=getInfo"));
            s.getOutputStream().flush();
            String answer = readAll(s, WAIT);
            assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n");
            assertThat(json(answer).get("deviceID").getAsString()).isEqualTo(DEVICE_ID);
        }
    }

    @Test
    void anOversizedBodyOrHeadIsRefusedBeforeItIsRead() throws Exception {
        ZeroconfEndpoint e = start(ZeroconfEndpoint.Limits.DEFAULT);

        String body = exchange(e, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\naction=addUser&blob=");
        String head = exchange(e, "GET /?action=getInfo HTTP/1.1\r\nX-Padding: " + "a".repeat(9000) + "\r\n\r\n");

        assertThat(body).startsWith("HTTP/1.1 413 ").contains("Connection: close");
        assertThat(json(body).get("status").getAsInt()).isEqualTo(102);
        assertThat(json(body).get("statusString").getAsString()).isEqualTo("ERROR-BAD-REQUEST");
        assertThat(head).startsWith("HTTP/1.1 431 ");
        assertThat(phone(e).getInfo().deviceId()).isEqualTo(DEVICE_ID);
    }

    @Test
    void aSlowLorisIsCutAtTheRequestTimeoutWithoutHoldingUpOthers() throws Exception {
        Duration requestTimeout = Duration.ofMillis(600);
        ZeroconfEndpoint e = start(ZeroconfEndpoint.Limits.DEFAULT.withTimeouts(requestTimeout, Duration.ofSeconds(10)));
        try (Socket slow = connect(e)) {
            long sent = System.nanoTime();
            slow.getOutputStream().write(bytes("GET /?action=get"));
            slow.getOutputStream().flush();

            // others are served meanwhile, well before the slow one's time is up
            FakePhone.DeviceInfo info = phone(e).getInfo();
            assertThat(info.deviceId()).isEqualTo(DEVICE_ID);

            String answer = readAll(slow, WAIT);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
            assertThat(answer).startsWith("HTTP/1.1 408 ");
            assertThat(tookMs).isBetween(requestTimeout.toMillis() - 50, requestTimeout.toMillis() + 2000);
        }
        assertThat(waitUntil(() -> e.openConnections() == 0)).isTrue();
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheIdleTimeout() throws Exception {
        ZeroconfEndpoint e = start(ZeroconfEndpoint.Limits.DEFAULT.withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300)));
        try (Socket idle = connect(e)) {
            assertThat(readAll(idle, WAIT)).isEmpty();
        }
        assertThat(waitUntil(() -> e.openConnections() == 0)).isTrue();
    }

    @Test
    void atTheConnectionLimitTheConnectionIdleLongestMakesRoom() throws Exception {
        ZeroconfEndpoint e = start(ZeroconfEndpoint.Limits.DEFAULT.withMaxConnections(4));
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                idle.add(connect(e));
                int expected = i + 1;
                assertThat(waitUntil(() -> e.openConnections() == expected)).isTrue();
            }
            idle.get(1).getOutputStream().write(bytes("GET /?act")); // busier than the first: not the idlest
            idle.get(1).getOutputStream().flush();

            assertThat(phone(e).getInfo().deviceId()).isEqualTo(DEVICE_ID);

            assertThat(readAll(idle.get(0), WAIT)).isEmpty(); // closed by the endpoint, no answer
            assertThat(e.openConnections()).isLessThanOrEqualTo(4);
        } finally {
            for (Socket s : idle) s.close();
        }
    }

    @Test
    void closeEndsEveryThreadAndConnection() throws Exception {
        ZeroconfEndpoint e = start(ZeroconfEndpoint.Limits.DEFAULT);
        String prefix = e.threadPrefix() + "-";
        assertThat(phone(e).handOver("fake-user", STORED, bytes("x")).status()).isEqualTo(101);
        assertThat(handOvers.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isNotNull();
        assertThat(threadsNamed(prefix)).hasSizeGreaterThanOrEqualTo(3); // I/O, a worker, hand-over
        try (Socket open = connect(e)) {
            assertThat(waitUntil(() -> e.openConnections() == 1)).isTrue();
            long start = System.nanoTime();

            e.close();

            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1500);
            assertThat(waitUntil(() -> threadsNamed(prefix).isEmpty())).as("%s", threadsNamed(prefix)).isTrue();
            assertThat(readAll(open, WAIT)).isEmpty();
        }
        try (Socket refused = new Socket(Proxy.NO_PROXY)) {
            refused.connect(new InetSocketAddress("127.0.0.1", e.port()), 1000);
            assertThat(readAll(refused, Duration.ofMillis(500))).isEmpty();
        } catch (IOException expected) {
            // refused: nothing listens any more
        }
    }

    @Test
    void closeEndsAHandOverListenerThatIsStillBusy() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        ZeroconfEndpoint e = start(ZeroconfEndpoint.Limits.DEFAULT, (user, credentials) -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(1, TimeUnit.MINUTES);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(phone(e).handOver("fake-user", STORED, bytes("x")).status()).isEqualTo(101);
        assertThat(started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        e.close();

        assertThat(waitUntil(() -> threadsNamed(e.threadPrefix() + "-").isEmpty())).isTrue();
    }

    @Test
    void aFailingAcceptBacksOffIsReportedOnceAndRecovers() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        List<IOException> failing = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch recovered = new CountDownLatch(1);
        AtomicInteger failedAttempts = new AtomicInteger();
        ZeroconfEndpoint.ProblemListener problems = new ZeroconfEndpoint.ProblemListener() {
            @Override
            public void acceptFailing(IOException cause) {
                failing.add(cause);
            }

            @Override
            public void acceptRecovered(int n) {
                failedAttempts.set(n);
                recovered.countDown();
            }
        };
        ZeroconfEndpoint e = ZeroconfEndpoint.start(0, device(), (u, c) -> { }, problems, ZeroconfEndpoint.Limits.DEFAULT,
                server -> {
                    if (attempts.incrementAndGet() <= 3) throw new IOException("Too many open files");
                    return server.accept();
                });
        endpoints.add(e);
        long start = System.nanoTime();

        FakePhone.DeviceInfo info = phone(e).getInfo();

        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(info.deviceId()).isEqualTo(DEVICE_ID);
        assertThat(recovered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(failing).hasSize(1);
        assertThat(failing.get(0)).hasMessage("Too many open files");
        assertThat(failedAttempts.get()).isEqualTo(3);
        // 100 + 200 + 400 ms of back-off, and no spinning in between
        assertThat(tookMs).isGreaterThanOrEqualTo(650);
        assertThat(attempts.get()).isLessThanOrEqualTo(5);
    }

    // ---- helpers ----

    private static Socket connect(ZeroconfEndpoint e) throws IOException {
        Socket s = new Socket(Proxy.NO_PROXY);
        s.connect(new InetSocketAddress("127.0.0.1", e.port()), (int) WAIT.toMillis());
        return s;
    }

    /** Sends a raw request and reads until the endpoint closes the connection. */
    private static String exchange(ZeroconfEndpoint e, String request) throws IOException {
        try (Socket s = connect(e)) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return readAll(s, WAIT);
        }
    }

    private static String readAll(Socket s, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        InputStream in = s.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) throw new AssertionError("the endpoint did not close within " + timeout);
            s.setSoTimeout((int) left);
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException ex) {
                continue;
            } catch (IOException ex) {
                break; // reset: closed as well
            }
            if (n < 0) break;
            all.write(buffer, 0, n);
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    private static JsonObject json(String answer) {
        return JsonParser.parseString(answer.substring(answer.indexOf("\r\n\r\n") + 4)).getAsJsonObject();
    }

    private static List<String> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive).map(Thread::getName).filter(n -> n.startsWith(prefix)).toList();
    }

    private static boolean waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) return false;
            Thread.sleep(10);
        }
        return true;
    }
}
