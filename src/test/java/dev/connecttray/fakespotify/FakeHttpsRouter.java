package dev.connecttray.fakespotify;

import java.util.Objects;

/**
 * Routes the plain HTTPS requests reaching the fake TLS server ({@link FakeDealer}'s port, directly
 * or through a {@link FakeApResolve} CONNECT tunnel) by their {@code Host} header:
 * {@link FakeHosts#LOGIN5} to {@link FakeLogin5}, {@link FakeHosts#CLIENTTOKEN} to
 * {@link FakeClientToken}, the CDN hosts to {@link FakeCdn}, everything else (127.0.0.1:port,
 * {@link FakeHosts#SPCLIENT}, {@link FakeHosts#DEALER}) to {@link FakeSpclient}. WebSocket
 * upgrades never get here: the dealer takes them, whatever the host.
 */
final class FakeHttpsRouter implements FakeDealer.HttpHandler {
    private final FakeLogin5 login5;
    private final FakeClientToken clientToken;
    private final FakeSpclient spclient;
    private final FakeCdn cdn;

    FakeHttpsRouter(FakeLogin5 login5, FakeClientToken clientToken, FakeSpclient spclient, FakeCdn cdn) {
        this.login5 = Objects.requireNonNull(login5);
        this.clientToken = Objects.requireNonNull(clientToken);
        this.spclient = Objects.requireNonNull(spclient);
        this.cdn = Objects.requireNonNull(cdn);
    }

    @Override
    public HttpResponse handle(HttpHead head, byte[] body) {
        String host = FakeHosts.hostOnly(head.header("Host"));
        if (FakeHosts.LOGIN5.equals(host)) return login5.handle(head, body);
        if (FakeHosts.CLIENTTOKEN.equals(host)) return clientToken.handle(head, body);
        if (host != null && FakeHosts.CDN.contains(host)) return cdn.handle(host, head);
        return spclient.handle(host, head, body);
    }

    @Override
    public boolean isSpclient(HttpHead head) {
        String host = FakeHosts.hostOnly(head.header("Host"));
        return !(FakeHosts.LOGIN5.equals(host) || FakeHosts.CLIENTTOKEN.equals(host)
                || (host != null && FakeHosts.CDN.contains(host)));
    }
}
