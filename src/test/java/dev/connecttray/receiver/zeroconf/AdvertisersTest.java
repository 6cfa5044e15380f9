package dev.connecttray.receiver.zeroconf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdvertisersTest {
    private static final Advertisers.StatusProbe RUNNING = () -> new Advertisers.AvahiStatus(true, "avahi-daemon is on the D-Bus system bus");
    private static final Advertisers.StatusProbe ABSENT = () -> new Advertisers.AvahiStatus(false, "avahi-publish is not on PATH");

    @Test
    void autoTakesAvahiWhenItRunsAndOurOwnOtherwise() throws Exception {
        try (Advertiser a = Advertisers.choose("auto", RUNNING)) {
            assertThat(a).isInstanceOf(AvahiAdvertiser.class);
            assertThat(a.describe()).isEqualTo("avahi-daemon");
        }
        try (Advertiser a = Advertisers.choose("auto", ABSENT)) {
            assertThat(a).isInstanceOf(BuiltinAdvertiser.class);
            assertThat(a.describe()).isEqualTo("built-in mDNS responder");
        }
    }

    @Test
    void avahiAskedForButAbsentSaysWhy() {
        assertThatThrownBy(() -> Advertisers.choose("avahi", ABSENT))
                .isInstanceOf(IOException.class).hasMessageContaining("avahi-publish is not on PATH");
    }

    @Test
    void builtinNeedsNoAvahiAndUnknownBackendsAreRefused() throws Exception {
        try (Advertiser a = Advertisers.choose("builtin", () -> { throw new AssertionError("not asked"); })) {
            assertThat(a).isInstanceOf(BuiltinAdvertiser.class);
        }
        assertThatThrownBy(() -> Advertisers.choose("bonjour", ABSENT)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void avahiPublishOutputIsRead() {
        assertThat(AvahiAdvertiser.establishedName("Established under name 'Kitchen (2)'")).isEqualTo("Kitchen (2)");
        assertThat(AvahiAdvertiser.establishedName("Got SIGTERM, quitting.")).isNull();
        assertThat(AvahiAdvertiser.isCollision("Failed to add service: Local name collision")).isTrue();
        assertThat(AvahiAdvertiser.isCollision("Name collision, picking new name 'Kitchen #2'.")).isTrue();
        assertThat(AvahiAdvertiser.commandLine("avahi-publish", "Kitchen", Advert.spotifyConnect("x", 24879)))
                .isEqualTo(List.of("avahi-publish", "-s", "Kitchen", "_spotify-connect._tcp", "24879",
                        "CPath=/", "Stack=SP", "VERSION=1.0"));
    }
}
