package dev.connecttray.receiver.zeroconf;

import java.io.InputStream;

/**
 * Test code: publishes {@code Advert.spotifyConnect(NAME, PORT)} with the backend chosen by
 * {@link Advertisers#choose}, prints {@code @@PUBLISHED name describe}, withdraws when stdin
 * closes ({@code @@CLOSED}), and exits by itself after 120 s at the latest.
 *
 * <pre>java AdvertiserMain BACKEND NAME PORT</pre>
 */
public final class AdvertiserMain {
    public static void main(String[] args) throws Exception {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(120_000);
            } catch (InterruptedException e) {
                return;
            }
            System.out.println("@@WATCHDOG");
            System.exit(3);
        }, "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Advertiser a = Advertisers.choose(args[0]);
        long t0 = System.nanoTime();
        String name = a.publish(Advert.spotifyConnect(args[1], Integer.parseInt(args[2])));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("@@PUBLISHED\t" + name + "\t" + a.describe() + "\t" + ms);
        System.out.flush();
        InputStream in = System.in;
        while (in.read() >= 0) {
            a.reannounce();
        }
        a.close();
        System.out.println("@@CLOSED");
        System.out.flush();
        System.exit(0);
    }
}
