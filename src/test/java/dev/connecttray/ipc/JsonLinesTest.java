package dev.connecttray.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import dev.connecttray.ipc.JsonLines.MalformedMessageException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonLinesTest {
    private static final Instant T = Instant.parse("2026-11-24T10:15:30Z");
    private static final Failure REFUSED = Failure.transientFailure("Connection refused", "java.net.ConnectException");

    static List<ConnectionState> everyState() {
        return List.of(
                new ConnectionState.Starting(),
                new ConnectionState.WaitingForCredentials("Connect Tray (desk)"),
                new ConnectionState.Connecting(3, 10),
                new ConnectionState.Connected("alice", T),
                new ConnectionState.Degraded("alice", T, "dealer down"),
                new ConnectionState.Retrying(4, 10, T.plusSeconds(8), REFUSED),
                new ConnectionState.Cooldown(T.plusSeconds(300), REFUSED),
                new ConnectionState.Failed(Failure.permanent("Spotify rejected the stored credentials", ""),
                        ExitStatus.NOPERM),
                new ConnectionState.Stopped());
    }

    @Test
    void everyStateHasASampleForTheRoundTrip() {
        // The encoding is not a ConnectionState.Cases: a new state compiles without it, and is caught here.
        assertThat(everyState().stream().map(Object::getClass).toList())
                .as("add a sample of the new state to everyState()")
                .containsExactlyInAnyOrder(ConnectionState.class.getPermittedSubclasses());
    }

    @ParameterizedTest
    @MethodSource("everyState")
    void everyStateSurvivesTheRoundTripOnOneLine(ConnectionState state) throws Exception {
        String line = JsonLines.encode(new Event.StateChanged(T, state));

        assertThat(line).doesNotContain("\n");
        assertThat(JsonLines.decodeEvent(line)).isEqualTo(new Event.StateChanged(T, state));
    }

    @Test
    void aRetryingEventCarriesAttemptNextTimeCauseAndKind() {
        var o = JsonParser.parseString(JsonLines.encode(new Event.StateChanged(T,
                new ConnectionState.Retrying(4, 10, T.plusSeconds(8), REFUSED)))).getAsJsonObject();

        assertThat(o.get("type").getAsString()).isEqualTo("state");
        assertThat(o.get("state").getAsString()).isEqualTo("Retrying");
        assertThat(o.get("attempt").getAsInt()).isEqualTo(4);
        assertThat(o.get("nextAttemptAt").getAsString()).isEqualTo("2026-11-24T10:15:38Z");
        assertThat(o.get("cause").getAsString()).isEqualTo("Connection refused");
        assertThat(o.get("failureKind").getAsString()).isEqualTo("TRANSIENT");
    }

    @Test
    void aFailedEventCarriesTheExitStatusCode() {
        var o = JsonParser.parseString(JsonLines.encode(new Event.StateChanged(T, new ConnectionState.Failed(
                REFUSED, ExitStatus.UNAVAILABLE)))).getAsJsonObject();
        assertThat(o.get("exitStatus").getAsInt()).isEqualTo(69);
    }

    @Test
    void heartbeatRoundTrips() throws Exception {
        Event hb = new Event.Heartbeat(T, 4242);
        assertThat(JsonLines.decodeEvent(JsonLines.encode(hb))).isEqualTo(hb);
    }

    @Test
    void commandsRoundTrip() throws Exception {
        for (Command c : Command.values()) {
            assertThat(JsonLines.decodeCommand(JsonLines.encode(c))).isEqualTo(c);
        }
        assertThat(JsonLines.decodeCommand("{\"command\":\"reconnect\"}")).isEqualTo(Command.RECONNECT);
        assertThat(JsonLines.decodeCommand("  {\"command\" : \"stop\"}  ")).isEqualTo(Command.STOP);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "reconnect", "{", "[1,2]", "{\"command\":42}", "{\"cmd\":\"stop\"}",
            "{\"command\":\"dance\"}", "\"stop\""})
    void aMalformedCommandLineIsRefusedWithAReasonNeverAnotherException(String line) {
        assertThatThrownBy(() -> JsonLines.decodeCommand(line))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageNotContaining("Exception");
    }

    @Test
    void anUnknownCommandIsNamedInTheMessage() {
        assertThatThrownBy(() -> JsonLines.decodeCommand("{\"command\":\"dance\"}"))
                .hasMessageContaining("dance").hasMessageContaining("reconnect");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"state\",\"time\":\"2026-11-24T10:15:30Z\",\"state\":\"Dancing\"}",
            "{\"type\":\"state\",\"time\":\"yesterday\",\"state\":\"Stopped\"}",
            "{\"type\":\"state\",\"time\":\"2026-11-24T10:15:30Z\",\"state\":\"Failed\",\"cause\":\"x\",\"failureKind\":\"PERMANENT\",\"exitStatus\":3}",
            "{\"type\":\"state\",\"time\":\"2026-11-24T10:15:30Z\",\"state\":\"Retrying\",\"attempt\":1}",
            "{\"type\":\"gossip\",\"time\":\"2026-11-24T10:15:30Z\"}"})
    void aMalformedEventIsRefusedWithAReason(String line) {
        assertThatThrownBy(() -> JsonLines.decodeEvent(line)).isInstanceOf(MalformedMessageException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"heartbeat\",\"time\":\"2026-11-24T10:15:30Z\",\"pid\":1e99999999}",
            "{\"type\":\"heartbeat\",\"time\":\"2026-11-24T10:15:30Z\",\"pid\":99999999999999999999999}",
            "{\"type\":\"heartbeat\",\"time\":\"2026-11-24T10:15:30Z\",\"pid\":12.5}",
            "{\"type\":\"heartbeat\",\"time\":\"2026-11-24T10:15:30Z\",\"pid\":-3}",
            "{\"type\":\"heartbeat\",\"time\":\"2026-11-24T10:15:30Z\",\"pid\":NaN}",
            "{\"type\":\"state\",\"time\":\"2026-11-24T10:15:30Z\",\"state\":\"Connecting\",\"attempt\":4294967297,\"maxAttempts\":10}",
            "{\"type\":\"state\",\"time\":\"2026-11-24T10:15:30Z\",\"state\":\"Failed\",\"cause\":\"x\",\"failureKind\":\"PERMANENT\",\"exitStatus\":1e9}",
            "{\"type\":\"state\",\"time\":\"2026-11-24T10:15:30Z\",\"state\":\"Retrying\",\"attempt\":1,\"maxAttempts\":2,\"nextAttemptAt\":\"2026-11-24T10:15:30Z\",\"cause\":\"x\",\"failureKind\":\"SOMETIMES\"}",
            "{\"type\":\"heartbeat\",\"time\":\"+9999999999-01-01T00:00:00Z\",\"pid\":1}",
            "{\"type\":[1],\"time\":{}}"})
    void aBadNumberOrAnyOtherBadLineIsAMalformedMessageNeverAnotherException(String line) {
        assertThatThrownBy(() -> JsonLines.decodeEvent(line)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void aDeeplyNestedLineIsAMalformedMessageNeverAnotherException() {
        String deep = "{\"type\":" + "[".repeat(60_000);
        assertThatThrownBy(() -> JsonLines.decodeEvent(deep)).isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> JsonLines.decodeCommand(deep)).isInstanceOf(MalformedMessageException.class);
    }
}
