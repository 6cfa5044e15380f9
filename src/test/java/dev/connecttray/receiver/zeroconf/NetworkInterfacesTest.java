package dev.connecttray.receiver.zeroconf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.receiver.zeroconf.NetworkInterfaces.Nic;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NetworkInterfacesTest {

    private static Nic nic(String name, boolean up, boolean loopback, boolean multicast, String... addrs) throws Exception {
        List<InetAddress> a = new java.util.ArrayList<>();
        List<Integer> p = new java.util.ArrayList<>();
        for (String s : addrs) {
            a.add(InetAddress.getByName(s));
            p.add(s.contains(":") ? 64 : 24);
        }
        return new Nic(name, 1, up, loopback, multicast, a, p);
    }

    @Test
    void upRoutedMulticastInterfacesWithAnIpv4AddressAreChosen() throws Exception {
        List<Nic> all = List.of(
                nic("lo", true, true, true, "127.0.0.1"),
                nic("eth0", true, false, true, "192.168.1.20", "2001:db8::20"),
                nic("eth1", false, false, true, "192.168.2.20"),
                nic("wlan0", true, false, true),
                nic("tun0", true, false, false, "10.8.0.2"),
                nic("eth2", true, false, true, "10.1.0.2"),
                nic("v6only", true, false, true, "2001:db8::1"));
        assertThat(NetworkInterfaces.choose(all, Set.of("eth0", "eth1", "wlan0", "tun0", "v6only")))
                .extracting(Nic::name).containsExactly("eth0");
        // routing table unreadable (not Linux): every other rule still applies
        assertThat(NetworkInterfaces.choose(all, Set.of())).extracting(Nic::name).containsExactly("eth0", "eth2");
    }

    @Test
    void theRouteTablesNameTheirInterfaces() {
        List<String> v4 = List.of(
                "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
                "eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0",
                "eth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0",
                "docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0");
        assertThat(NetworkInterfaces.parseRouteTable(v4, 0)).containsExactlyInAnyOrder("eth0", "docker0");
        List<String> v6 = List.of(
                "fe800000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0",
                "00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000002 00000000 80200001       lo");
        assertThat(NetworkInterfaces.parseRouteTable(v6, 9)).containsExactly("eth0");
    }

    @Test
    void aSenderIsOnTheLinkOfTheInterfaceWhoseSubnetHoldsIt() throws Exception {
        Nic eth0 = nic("eth0", true, false, true, "192.168.1.20");
        assertThat(eth0.onLink(InetAddress.getByName("192.168.1.99"))).isTrue();
        assertThat(eth0.onLink(InetAddress.getByName("192.168.2.99"))).isFalse();
    }
}
