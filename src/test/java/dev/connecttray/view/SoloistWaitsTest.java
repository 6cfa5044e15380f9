package dev.connecttray.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import dev.connecttray.core.FailureKind;
import dev.connecttray.engine.soloist.SoloistBinary;
import org.junit.jupiter.api.Test;

class SoloistWaitsTest {
    @Test
    void theTrayKnowsTheSoloistFailuresByTheEnginesOwnWords() {
        assertThat(SoloistWaits.CONSENT_NEEDED).isEqualTo(SoloistBinary.CONSENT_NEEDED);
        assertThat(SoloistWaits.API_KEY_NEEDED).isEqualTo(SoloistBinary.API_KEY_NEEDED);
    }

    @Test
    void onlyAFailureWithThatDetailWaitsForTheUser() {
        Failure consent = new Failure(FailureKind.CONFIG, "needs consent", SoloistBinary.CONSENT_NEEDED);
        assertThat(SoloistWaits.forConsent(new ConnectionState.Failed(consent, ExitStatus.CONFIG))).isTrue();
        assertThat(SoloistWaits.forApiKey(new ConnectionState.Failed(consent, ExitStatus.CONFIG))).isFalse();
        assertThat(SoloistWaits.forConsent(new ConnectionState.Cooldown(java.time.Instant.EPOCH, consent)))
                .as("only once it has failed").isFalse();
        Failure other = new Failure(FailureKind.CONFIG, "engine.binary is missing", "engine.binary");
        assertThat(SoloistWaits.forConsent(new ConnectionState.Failed(other, ExitStatus.CONFIG))).isFalse();
    }
}
