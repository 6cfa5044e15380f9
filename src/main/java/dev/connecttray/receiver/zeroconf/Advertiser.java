package dev.connecttray.receiver.zeroconf;

import java.io.IOException;

/**
 * Makes the device visible on the local network: publishes one {@link Advert} through an mDNS
 * responder (avahi-daemon when it runs, else one in this process), keeps it current, withdraws it.
 */
public interface Advertiser extends AutoCloseable {

    /**
     * Publishes {@code advert}. A name already on the network is resolved as mDNS does (RFC 6762
     * §9: probe, then "Name (2)", "Name (3)"...).
     *
     * @return the name the advert got
     * @throws IOException when it cannot be published at all
     */
    String publish(Advert advert) throws IOException;

    /** Announces again on the interfaces usable now (the addresses changed). */
    void reannounce() throws IOException;

    /** Which responder this is, for the log: "avahi-daemon" or "built-in mDNS responder". */
    String describe();

    /** Withdraws the advert (goodbye: TTL 0) and releases sockets and processes. Idempotent. */
    @Override
    void close();
}
