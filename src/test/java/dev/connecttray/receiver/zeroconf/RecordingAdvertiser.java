package dev.connecttray.receiver.zeroconf;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link Advertiser} that publishes nothing and remembers what it was asked, for tests of the receiver. */
public final class RecordingAdvertiser implements Advertiser {
    private final List<Advert> published = new CopyOnWriteArrayList<>();
    private volatile int reannounced;
    private volatile boolean closed;

    @Override
    public String publish(Advert advert) {
        published.add(advert);
        return advert.name();
    }

    @Override
    public void reannounce() {
        reannounced++;
    }

    @Override
    public String describe() {
        return "recording advertiser (test)";
    }

    @Override
    public void close() {
        closed = true;
    }

    public List<Advert> published() {
        return List.copyOf(published);
    }

    public int reannounced() {
        return reannounced;
    }

    public boolean closed() {
        return closed;
    }
}
