package dev.connecttray.engine.soloist;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The requests to the build host: a HEAD for change detection and a GET of the archive into a file,
 * both only to {@link BuildHost}'s allowed hosts over HTTPS (redirects are followed by hand, at
 * most {@value #MAX_REDIRECTS}, each checked), bounded in time and size.
 */
final class BuildDownload {
    static final int MAX_REDIRECTS = 3;

    private final HttpClient http;
    private final BuildHost host;
    private final ManagedSoloist.Limits limits;

    BuildDownload(HttpClient http, BuildHost host, ManagedSoloist.Limits limits) {
        this.http = Objects.requireNonNull(http, "http");
        this.host = Objects.requireNonNull(host, "host");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * What identifies one upload of the archive: its {@code ETag}, else its {@code Last-Modified}.
     * Either may be null.
     */
    record Validators(String etag, String lastModified) {
        static final Validators NONE = new Validators(null, null);

        /** Both name the same upload; false when that cannot be told. */
        boolean sameAs(Validators other) {
            if (etag != null && other.etag != null) return etag.equals(other.etag);
            if (lastModified != null && other.lastModified != null) return lastModified.equals(other.lastModified);
            return false;
        }

        boolean known() {
            return etag != null || lastModified != null;
        }

        static Validators of(HttpResponse<?> r) {
            return new Validators(r.headers().firstValue("ETag").orElse(null),
                    r.headers().firstValue("Last-Modified").orElse(null));
        }
    }

    /** HEAD of {@code uri}: the validators of what it offers now. */
    Validators head(URI uri) throws IOException, InterruptedException {
        URI at = uri;
        for (int hop = 0; ; hop++) {
            host.check(at);
            HttpRequest request = HttpRequest.newBuilder(at).method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .timeout(limits.requestTimeout()).build();
            HttpResponse<Void> r;
            try {
                r = http.send(request, HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                throw new IOException("the build host did not answer (" + describe(e) + ")", e);
            }
            host.check(r.uri());
            Optional<URI> next = redirect(r, hop);
            if (next.isPresent()) {
                at = next.get();
                continue;
            }
            if (r.statusCode() != 200) throw status(r);
            return Validators.of(r);
        }
    }

    /** GET of {@code uri} into {@code file} (created new). */
    Validators get(URI uri, Path file) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(limits.downloadTimeout());
        URI at = uri;
        for (int hop = 0; ; hop++) {
            host.check(at);
            HttpRequest request = HttpRequest.newBuilder(at).GET().timeout(limits.requestTimeout()).build();
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
                CompletableFuture<HttpResponse<Long>> pending = http.sendAsync(request, info ->
                        info.statusCode() == 200 ? new CappedFile(out, limits.maxArchiveBytes(),
                                info.headers().firstValueAsLong("Content-Length").orElse(-1))
                                : HttpResponse.BodySubscribers.replacing(-1L));
                HttpResponse<Long> r = await(pending, deadline);
                host.check(r.uri());
                Optional<URI> next = redirect(r, hop);
                if (next.isPresent()) {
                    at = next.get();
                    continue;
                }
                if (r.statusCode() != 200) throw status(r);
                out.force(true);
                return Validators.of(r);
            }
        }
    }

    private HttpResponse<Long> await(CompletableFuture<HttpResponse<Long>> pending, Instant deadline)
            throws IOException, InterruptedException {
        long left = Duration.between(Instant.now(), deadline).toMillis();
        try {
            return pending.get(Math.max(left, 1), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new IOException("the download did not finish within " + words(limits.downloadTimeout()));
        } catch (InterruptedException e) {
            pending.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TooLarge t) throw new IOException(t.getMessage(), t);
            throw new IOException("the download failed (" + describe(cause) + ")", cause);
        }
    }

    private Optional<URI> redirect(HttpResponse<?> r, int hop) throws IOException {
        int code = r.statusCode();
        if (code != 301 && code != 302 && code != 303 && code != 307 && code != 308) return Optional.empty();
        if (hop >= MAX_REDIRECTS) throw new IOException("the build host redirected more than " + MAX_REDIRECTS + " times");
        String location = r.headers().firstValue("Location")
                .orElseThrow(() -> new IOException("the build host redirected (" + code + ") without a Location"));
        URI next;
        try {
            next = r.uri().resolve(location);
        } catch (IllegalArgumentException e) {
            throw new IOException("the build host redirected to an invalid address");
        }
        host.check(next);
        return Optional.of(next);
    }

    private static IOException status(HttpResponse<?> r) {
        return new IOException("the build host answered HTTP " + r.statusCode() + " for " + BuildHost.forLog(r.uri()));
    }

    /** A network failure in words: what went wrong, not which Java class said so. */
    static String describe(Throwable e) {
        if (e == null) return "unknown";
        String m = e.getMessage() == null || e.getMessage().isBlank() ? null : e.getMessage();
        if (e instanceof java.net.UnknownHostException) return "the name " + (m == null ? "" : m + " ")
                + "could not be looked up: no network, or no DNS";
        if (e instanceof java.net.http.HttpConnectTimeoutException) return "no connection within the time allowed";
        if (e instanceof java.net.http.HttpTimeoutException) return "no answer within the time allowed";
        if (e instanceof java.net.ConnectException) return "the connection was refused or could not be made";
        if (e instanceof javax.net.ssl.SSLException) return "the secure connection failed" + (m == null ? "" : ": " + m);
        if (e instanceof java.io.EOFException) return "the connection closed early";
        if (e.getCause() != null && e.getCause() != e && (m == null || m.equals(e.getCause().toString()))) {
            return describe(e.getCause());
        }
        return m != null ? m : e.getClass().getSimpleName();
    }

    /** "10 min", "90 s", "500 ms". */
    static String words(Duration d) {
        if (d.toMillis() < 1000) return d.toMillis() + " ms";
        if (d.toSeconds() % 60 != 0) return d.toSeconds() + " s";
        return d.toMinutes() + " min";
    }

    /** "200 MiB", "64 KiB", "512 bytes". */
    static String bytes(long n) {
        if (n >= (1 << 20) && n % (1 << 20) == 0) return (n >> 20) + " MiB";
        if (n >= 1024 && n % 1024 == 0) return (n >> 10) + " KiB";
        return n + " bytes";
    }

    /** The archive is larger than allowed. */
    static final class TooLarge extends IOException {
        TooLarge(long limit) {
            super("the archive is larger than " + bytes(limit) + "; refused");
        }
    }

    /** Writes the body to a file and gives up past {@code max} bytes (also when the length announced is). */
    private static final class CappedFile implements HttpResponse.BodySubscriber<Long> {
        private final FileChannel out;
        private final long max;
        private final long announced;
        private final CompletableFuture<Long> result = new CompletableFuture<>();
        private Flow.Subscription subscription;
        private long count;

        CappedFile(FileChannel out, long max, long announced) {
            this.out = out;
            this.max = max;
            this.announced = announced;
        }

        @Override
        public CompletionStage<Long> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (announced > max) {
                fail(new TooLarge(max));
                return;
            }
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                subscription.cancel();
                return;
            }
            try {
                for (ByteBuffer b : items) {
                    count += b.remaining();
                    if (count > max) throw new TooLarge(max);
                    while (b.hasRemaining()) out.write(b);
                }
            } catch (IOException e) {
                fail(e);
                return;
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(count);
        }

        private void fail(IOException e) {
            result.completeExceptionally(e);
            subscription.cancel();
        }
    }
}
