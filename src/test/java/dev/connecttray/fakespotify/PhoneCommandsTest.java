package dev.connecttray.fakespotify;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.spotify.transfer.TransferStateOuterClass;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import xyz.gianlu.librespot.common.ProtoUtils;
import xyz.gianlu.librespot.dealer.MessageType;
import xyz.gianlu.librespot.player.state.DeviceStateHandler;
import xyz.gianlu.librespot.player.state.DeviceStateHandler.PlayCommandHelper;

/** The dealer requests, read with librespot's own helpers where it has them. */
class PhoneCommandsTest {
    private static final String TRACK = "spotify:track:4uLU6hMCjMI75M1A2tKUQC";
    private static final String OTHER = "spotify:track:6rqhFgbbKwnb9MLmUQDhG6";

    @Test
    void playIsADealerRequestForThePlayerCommandWithAGzippedPayload() {
        PhoneCommands.Request play = PhoneCommands.playTrack(TRACK);

        JsonObject message = JsonParser.parseString(play.text()).getAsJsonObject();
        assertThat(MessageType.parse(message.get("type").getAsString())).isEqualTo(MessageType.REQUEST);
        assertThat(message.get("message_ident").getAsString()).isEqualTo("hm://connect-state/v1/player/command");
        assertThat(message.get("key").getAsString()).isEqualTo(play.key());
        assertThat(message.getAsJsonObject("headers").get("Transfer-Encoding").getAsString()).isEqualTo("gzip");

        JsonObject payload = PhoneCommands.payloadOf(play.text());
        assertThat(payload.get("message_id").getAsInt()).isPositive();
        assertThat(payload.get("sent_by_device_id").getAsString()).isEqualTo(PhoneCommands.PHONE_DEVICE_ID);
        assertThat(payload.get("target_alias_id").isJsonNull()).isTrue();
        JsonObject command = payload.getAsJsonObject("command");
        assertThat(DeviceStateHandler.Endpoint.parse(command.get("endpoint").getAsString()))
                .isEqualTo(DeviceStateHandler.Endpoint.Play);
        assertThat(PlayCommandHelper.getContextUri(command)).isEqualTo(TRACK);
        assertThat(PlayCommandHelper.isInitiallyPaused(command)).isFalse();
        assertThat(PlayCommandHelper.willSkipToSomething(command)).isTrue();
        assertThat(PlayCommandHelper.getSkipToUri(command)).isEqualTo(TRACK);
        assertThat(PlayCommandHelper.getSkipToIndex(command)).isZero();
        assertThat(ProtoUtils.jsonToPlayOrigin(PlayCommandHelper.getPlayOrigin(command)).getFeatureIdentifier())
                .isEqualTo("harmony");
        assertThat(ProtoUtils.jsonToContextPages(PlayCommandHelper.getContext(command).getAsJsonArray("pages")))
                .singleElement().satisfies(page -> assertThat(page.getTracks(0).getUri()).isEqualTo(TRACK));
    }

    @Test
    void playOfSeveralTracksSkipsToTheChosenOneByUid() {
        JsonObject command = PhoneCommands.payloadOf(PhoneCommands.play("spotify:album:1", List.of(TRACK, OTHER), 1).text())
                .getAsJsonObject("command");

        assertThat(PlayCommandHelper.getContextUri(command)).isEqualTo("spotify:album:1");
        assertThat(PlayCommandHelper.getSkipToUri(command)).isEqualTo(OTHER);
        assertThat(PlayCommandHelper.getSkipToUid(command)).isEqualTo(PhoneCommands.uid(1));
        assertThat(ProtoUtils.jsonToContextPages(PlayCommandHelper.getContext(command).getAsJsonArray("pages")).get(0)
                .getTracks(1).getUid()).isEqualTo(PhoneCommands.uid(1));
    }

    @Test
    void playContextHasNoPages() {
        JsonObject command = PhoneCommands.payloadOf(PhoneCommands.playContext(TRACK).text()).getAsJsonObject("command");

        assertThat(PlayCommandHelper.getContextUri(command)).isEqualTo(TRACK);
        assertThat(PlayCommandHelper.getContext(command).has("pages")).isFalse();
        assertThat(PlayCommandHelper.willSkipToSomething(command)).isFalse();
    }

    @Test
    void transferCarriesATransferState() throws Exception {
        JsonObject command = PhoneCommands.payloadOf(PhoneCommands.transfer(TRACK, List.of(TRACK), 0, 1234).text())
                .getAsJsonObject("command");

        assertThat(DeviceStateHandler.Endpoint.parse(command.get("endpoint").getAsString()))
                .isEqualTo(DeviceStateHandler.Endpoint.Transfer);
        TransferStateOuterClass.TransferState state = TransferStateOuterClass.TransferState.parseFrom(
                Base64.getDecoder().decode(command.get("data").getAsString()));
        assertThat(state.getCurrentSession().getContext().getUri()).isEqualTo(TRACK);
        assertThat(state.getPlayback().getCurrentTrack().getUri()).isEqualTo(TRACK);
        assertThat(state.getPlayback().getPositionAsOfTimestamp()).isEqualTo(1234);
        assertThat(state.getPlayback().getIsPaused()).isFalse();
    }

    @Test
    void keysAndMessageIdsDifferBetweenRequests() {
        PhoneCommands.Request a = PhoneCommands.simple("pause");
        PhoneCommands.Request b = PhoneCommands.simple("resume");

        assertThat(a.key()).isNotEqualTo(b.key());
        assertThat(PhoneCommands.payloadOf(a.text()).get("message_id").getAsInt())
                .isNotEqualTo(PhoneCommands.payloadOf(b.text()).get("message_id").getAsInt());
    }

    @Test
    void repliesAreParsed() {
        assertThat(PhoneCommands.Reply.parse("{\"type\":\"reply\", \"key\": \"1/x\", \"payload\": {\"success\": true}}"))
                .isEqualTo(new PhoneCommands.Reply("1/x", true));
        assertThat(PhoneCommands.Reply.parse("{\"type\":\"ping\"}")).isNull();
        assertThat(PhoneCommands.Reply.parse("not json")).isNull();
    }
}
