package dev.connecttray.receiver.zeroconf;

import dev.connecttray.fakespotify.FakePhone;
import java.time.Duration;

/**
 * Test code: what a phone does after it found the device by mDNS, from another network namespace:
 * asks the Zeroconf endpoint at {@code HOST PORT} for {@code getInfo} and prints
 * {@code @@INFO remoteName deviceID}.
 *
 * <pre>java GetInfoMain HOST PORT</pre>
 */
public final class GetInfoMain {
    private GetInfoMain() {
    }

    public static void main(String[] args) throws Exception {
        FakePhone phone = new FakePhone(args[0], Integer.parseInt(args[1]), Duration.ofSeconds(10));
        FakePhone.DeviceInfo info = phone.getInfo();
        System.out.println("@@INFO\t" + info.remoteName() + "\t" + info.deviceId());
        System.out.flush();
    }
}
