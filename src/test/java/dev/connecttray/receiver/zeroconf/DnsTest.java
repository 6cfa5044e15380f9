package dev.connecttray.receiver.zeroconf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.connecttray.receiver.zeroconf.Dns.Message;
import dev.connecttray.receiver.zeroconf.Dns.Question;
import dev.connecttray.receiver.zeroconf.Dns.Record;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DnsTest {

    @Test
    void aMessageRoundTrips() throws Exception {
        Map<String, String> txt = new LinkedHashMap<>();
        txt.put("CPath", "/");
        txt.put("VERSION", "1.0");
        String inst = Dns.escapeLabel("Connect Tray (v1.2)") + "._spotify-connect._tcp.local";
        Message m = new Message(7, Dns.FLAGS_RESPONSE,
                List.of(new Question(inst, Dns.ANY, true)),
                List.of(new Record("_spotify-connect._tcp.local", Dns.PTR, false, 4500, Dns.ptrData(inst)),
                        new Record(inst, Dns.SRV, true, 120, Dns.srvData(0, 0, 24879, "vm.local"))),
                List.of(new Record(inst, Dns.TXT, true, 4500, Dns.txtData(txt))),
                List.of(new Record("vm.local", Dns.A, true, 120, new byte[] {10, 77, 0, 1})));
        byte[] wire = Dns.encode(m);
        Message back = Dns.decode(wire, wire.length);

        assertThat(back.id()).isEqualTo(7);
        assertThat(back.isResponse()).isTrue();
        assertThat(back.questions()).containsExactly(new Question(inst, Dns.ANY, true));
        assertThat(Dns.ptrTarget(back.answers().get(0))).isEqualTo(inst);
        assertThat(back.answers().get(0).cacheFlush()).isFalse();
        assertThat(back.answers().get(1).cacheFlush()).isTrue();
        assertThat(Dns.srv(back.answers().get(1))).isEqualTo(new Dns.Srv(0, 0, 24879, "vm.local"));
        assertThat(back.authorities().get(0).rdata()).isEqualTo(Dns.txtData(txt));
        assertThat(Dns.address(back.additionals().get(0))).isEqualTo(InetAddress.getByName("10.77.0.1"));
        assertThat(back.additionals().get(0).ttl()).isEqualTo(120);
    }

    @Test
    void aDotInsideAnInstanceNameStaysInOneLabel() {
        String name = Dns.escapeLabel("a.b\\c") + ".local";
        assertThat(Dns.labels(name)).containsExactly("a.b\\c", "local");
        byte[] wire = Dns.nameBytes(name);
        assertThat(wire[0]).isEqualTo((byte) 5);
    }

    @Test
    void compressedNamesAreFollowed() throws Exception {
        // header: id 0, response, 0 questions, 2 answers
        byte[] msg = {
            0, 0, (byte) 0x84, 0, 0, 0, 0, 2, 0, 0, 0, 0,
            // offset 12: "vm.local" A 10.0.0.1
            2, 'v', 'm', 5, 'l', 'o', 'c', 'a', 'l', 0, 0, 1, (byte) 0x80, 1, 0, 0, 0, 120, 0, 4, 10, 0, 0, 1,
            // "x" + pointer to "local" (offset 15) SRV ... target pointer to "vm.local" (offset 12)
            1, 'x', (byte) 0xc0, 15, 0, 33, 0, 1, 0, 0, 0, 120, 0, 8, 0, 0, 0, 0, 0x61, 0x2f, (byte) 0xc0, 12,
        };
        Message m = Dns.decode(msg, msg.length);
        assertThat(m.answers().get(1).name()).isEqualTo("x.local");
        assertThat(Dns.srv(m.answers().get(1))).isEqualTo(new Dns.Srv(0, 0, 0x612f, "vm.local"));
    }

    @Test
    void aPointerLoopIsRejectedNotFollowedForever() {
        byte[] msg = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xc0, 12, 0, 1, 0, 1};
        assertThatThrownBy(() -> Dns.decode(msg, msg.length)).isInstanceOf(Dns.FormatException.class);
    }

    @Test
    void aTruncatedMessageIsRejected() {
        byte[] msg = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'a'};
        assertThatThrownBy(() -> Dns.decode(msg, msg.length)).isInstanceOf(Dns.FormatException.class);
    }

    @Test
    void probeTieBreakComparesRecordData() {
        Record low = new Record("h.local", Dns.A, true, 120, new byte[] {10, 0, 0, 1});
        Record high = new Record("h.local", Dns.A, true, 120, new byte[] {10, 0, 0, (byte) 200});
        assertThat(BuiltinAdvertiser.compareProbeData(List.of(high), List.of(low))).isPositive();
        assertThat(BuiltinAdvertiser.compareProbeData(List.of(low), List.of(high))).isNegative();
        assertThat(BuiltinAdvertiser.compareProbeData(List.of(low), List.of(low))).isZero();
    }
}
