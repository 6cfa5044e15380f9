package dev.connecttray.receiver.zeroconf;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link Advertiser} that publishes nothing and remembers the adverts it was given, for tests of the receiver. */
public final class RecordingAdvertiser implements Advertiser {
    private final List<Advert> published = new CopyOnWriteArrayList<>();

    @Override
    public String publish(Advert advert) {
        published.add(advert);
        return advert.name();
    }

    @Override
    public void reannounce() {
        // nothing is published, so nothing to announce again
    }

    @Override
    public String describe() {
        return "recording advertiser (test)";
    }

    @Override
    public void close() {
        // nothing to withdraw
    }

    public List<Advert> published() {
        return List.copyOf(published);
    }
}
