package dev.connecttray.fakespotify;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import xyz.gianlu.librespot.crypto.Shannon;

/**
 * The server side of the access point's encrypted packet stream: each packet is
 * {@code cmd(1) length(2) payload}, Shannon-encrypted with a per-direction key and a nonce that
 * counts packets, followed by a 4-byte MAC. Uses librespot's public {@link Shannon} cipher.
 */
final class ShannonCodec {
    static final int MAX_PAYLOAD = Short.MAX_VALUE;

    /** One decrypted packet. */
    record ApPacket(int cmd, byte[] payload) {
    }

    private final Shannon sendCipher = new Shannon();
    private final Shannon recvCipher = new Shannon();
    private int sendNonce;
    private int recvNonce;

    ShannonCodec(byte[] sendKey, byte[] recvKey) {
        sendCipher.key(sendKey);
        recvCipher.key(recvKey);
    }

    void send(OutputStream out, int cmd, byte[] payload) throws IOException {
        if (payload.length > MAX_PAYLOAD) throw new IOException("payload too large: " + payload.length);
        synchronized (sendCipher) {
            sendCipher.nonce(ByteBuffer.allocate(4).putInt(sendNonce++).array());
            byte[] packet = ByteBuffer.allocate(3 + payload.length)
                    .put((byte) cmd).putShort((short) payload.length).put(payload).array();
            sendCipher.encrypt(packet);
            byte[] mac = new byte[4];
            sendCipher.finish(mac);
            out.write(packet);
            out.write(mac);
            out.flush();
        }
    }

    ApPacket receive(DataInputStream in) throws IOException {
        synchronized (recvCipher) {
            recvCipher.nonce(ByteBuffer.allocate(4).putInt(recvNonce++).array());
            byte[] header = new byte[3];
            in.readFully(header);
            recvCipher.decrypt(header);
            int length = ((header[1] & 0xff) << 8) | (header[2] & 0xff);
            byte[] payload = new byte[length];
            in.readFully(payload);
            recvCipher.decrypt(payload);
            byte[] mac = new byte[4];
            in.readFully(mac);
            byte[] expected = new byte[4];
            recvCipher.finish(expected);
            if (!MessageDigest.isEqual(mac, expected)) throw new IOException("bad packet MAC");
            return new ApPacket(header[0] & 0xff, payload);
        }
    }
}
