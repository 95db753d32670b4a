package dev.ssmsession.client.it;

import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.SessionRequest;
import dev.ssmsession.client.SocksProxy;
import dev.ssmsession.protocol.channel.DataChannelConfig;
import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.LocalSessionManagerExtension;
import dev.ssmsession.testkit.SessionView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The SOCKS5 proxy against the testkit, driven by a SOCKS client written out byte by byte here
 * (RFC 1928) and by the JDK's own SOCKS client as an independent peer.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SocksProxyIntegrationTest {
    private static final String OFFLINE = "i-00000000000000off";

    @RegisterExtension
    static final LocalSessionManagerExtension LOCAL = new LocalSessionManagerExtension(
            LocalSessionManager.builder().target(LocalSessionManager.DEFAULT_TARGET).offlineTarget(OFFLINE));

    private static final byte[] OK_REPLY = {5, 0, 0, 1, 0, 0, 0, 0, 0, 0};

    private SessionManager manager;
    private EchoServer echo;

    @BeforeEach
    void setUp() throws IOException {
        manager = Testkit.managerFor(LOCAL.get())
                .dataChannelConfig(DataChannelConfig.builder().messagesPerSecond(0).build())
                .build();
        echo = new EchoServer();
    }

    @AfterEach
    void tearDown() throws IOException {
        manager.close();
        echo.close();
    }

    private SocksProxy proxy() {
        return manager.socksProxy(LOCAL.get().defaultTarget(), SocksProxy.Options.defaults());
    }

    private static Socket connectTo(SocksProxy proxy) throws IOException {
        Socket s = new Socket(proxy.localAddress().getAddress(), proxy.localAddress().getPort());
        s.setSoTimeout(30_000);
        return s;
    }

    /** Greeting offering only "no authentication"; the server must choose it. */
    private static void greet(Socket s) throws IOException {
        s.getOutputStream().write(new byte[] {5, 1, 0});
        assertThat(readN(s, 2)).containsExactly(5, 0);
    }

    private static byte[] readN(Socket s, int n) throws IOException {
        byte[] b = new byte[n];
        new DataInputStream(s.getInputStream()).readFully(b);
        return b;
    }

    private static byte[] connectIpv4(byte[] address, int port) {
        return new byte[] {5, 1, 0, 1, address[0], address[1], address[2], address[3], (byte) (port >> 8), (byte) port};
    }

    private static byte[] connectDomain(String name, int port) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        byte[] req = new byte[4 + 1 + n.length + 2];
        req[0] = 5;
        req[1] = 1;
        req[3] = 3;
        req[4] = (byte) n.length;
        System.arraycopy(n, 0, req, 5, n.length);
        req[5 + n.length] = (byte) (port >> 8);
        req[6 + n.length] = (byte) port;
        return req;
    }

    /** The sessions started to {@code port}: each test's destination port is its own, the testkit is shared. */
    private static List<SessionView> remoteHostSessions(int port) {
        return LOCAL.get().sessions().stream()
                .filter(v -> v.documentName().equals(SessionRequest.PORT_FORWARDING_TO_REMOTE_HOST_DOCUMENT))
                .filter(v -> Integer.toString(port).equals(v.parameters().get("portNumber")))
                .toList();
    }

    @Test
    void connectByIpv4CarriesDataBothWays() throws Exception {
        try (SocksProxy proxy = proxy(); Socket s = connectTo(proxy)) {
            assertThat(proxy.localAddress().getAddress().isLoopbackAddress()).isTrue();
            assertThat(proxy.localAddress().getPort()).isPositive();
            greet(s);
            s.getOutputStream().write(connectIpv4(new byte[] {127, 0, 0, 1}, echo.port()));
            assertThat(readN(s, 10)).containsExactly(OK_REPLY);
            Transfers.assertEchoes(s, 200_000, 1);
            assertThat(remoteHostSessions(echo.port())).singleElement().satisfies(v -> {
                assertThat(v.parameters()).containsEntry("host", "127.0.0.1")
                        .containsEntry("portNumber", Integer.toString(echo.port()));
            });
        }
    }

    @Test
    void domainNameIsResolvedOnTheRemoteSide() throws Exception {
        try (SocksProxy proxy = proxy(); Socket s = connectTo(proxy)) {
            greet(s);
            s.getOutputStream().write(connectDomain("localhost", echo.port()));
            assertThat(readN(s, 10)).containsExactly(OK_REPLY);
            Transfers.assertEchoes(s, 50_000, 2);
            // The name itself went to the instance, not an address resolved here.
            assertThat(remoteHostSessions(echo.port())).singleElement()
                    .satisfies(v -> assertThat(v.parameters()).containsEntry("host", "localhost"));
        }
    }

    @Test
    void connectByIpv6() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        ServerSocket probe;
        try {
            probe = new ServerSocket(0, 50, v6);
        } catch (IOException e) {
            assumeTrue(false, "no IPv6 loopback here: " + e.getMessage());
            return;
        }
        try (ServerSocket server = probe; SocksProxy proxy = proxy(); Socket s = connectTo(proxy)) {
            CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> {
                try (Socket in = server.accept()) {
                    in.getOutputStream().write("v6 ok".getBytes(StandardCharsets.US_ASCII));
                    return new String(in.getInputStream().readNBytes(4), StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            greet(s);
            byte[] req = new byte[4 + 16 + 2];
            req[0] = 5;
            req[1] = 1;
            req[3] = 4;
            System.arraycopy(((Inet6Address) v6).getAddress(), 0, req, 4, 16);
            req[20] = (byte) (server.getLocalPort() >> 8);
            req[21] = (byte) server.getLocalPort();
            s.getOutputStream().write(req);
            assertThat(readN(s, 10)).containsExactly(OK_REPLY);
            assertThat(new String(readN(s, 5), StandardCharsets.US_ASCII)).isEqualTo("v6 ok");
            s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo("ping");
        }
    }

    @Test
    void concurrentConnectionsToOneDestinationShareOneSession() throws Exception {
        try (SocksProxy proxy = proxy()) {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                long seed = 10 + i;
                all.add(CompletableFuture.runAsync(() -> {
                    try (Socket s = connectTo(proxy)) {
                        greet(s);
                        s.getOutputStream().write(connectIpv4(new byte[] {127, 0, 0, 1}, echo.port()));
                        assertThat(readN(s, 10)).containsExactly(OK_REPLY);
                        Transfers.assertEchoes(s, 96 * 1024, seed);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
            assertThat(echo.accepted.get()).isEqualTo(6);
            assertThat(remoteHostSessions(echo.port())).hasSize(1);
        }
    }

    @Test
    void byDefaultTheReplyIsImmediateAndARefusedDialResetsTheConnection() throws Exception {
        try (SocksProxy proxy = manager.socksProxy(LOCAL.get().defaultTarget(), SocksProxy.Options.defaults());
             Socket s = connectTo(proxy)) {
            greet(s);
            s.getOutputStream().write(connectIpv4(new byte[] {127, 0, 0, 1}, EchoServer.closedPort()));
            assertThat(readN(s, 10)).as("answered before the agent could report anything").containsExactly(OK_REPLY);
            // The agent's ConnectToPortError then arrives: a reset, so the client sees a failure, not a clean end.
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(java.net.SocketException.class)
                    .hasMessageContaining("reset");
        }
    }

    @Test
    void refusedDestinationWithAConnectWaitIsReplyGeneralFailure() throws Exception {
        // A long wait: the agent's ConnectToPortError must arrive within it however loaded the machine is.
        try (SocksProxy proxy = manager.socksProxy(LOCAL.get().defaultTarget(),
                SocksProxy.Options.defaults().withConnectWait(Duration.ofSeconds(60)));
             Socket s = connectTo(proxy)) {
            greet(s);
            s.getOutputStream().write(connectIpv4(new byte[] {127, 0, 0, 1}, EchoServer.closedPort()));
            byte[] reply = readN(s, 10);
            assertThat(reply[0]).isEqualTo((byte) 5);
            // The agent's report carries no reason (refused, unresolved, unreachable): general failure, not a guess.
            assertThat(reply[1]).as("REP").isEqualTo((byte) 0x01);
            assertThat(s.getInputStream().read()).isEqualTo(-1);

            // A destination that speaks first answers at once, long before the wait is over, and its
            // first bytes, read while deciding the reply, are passed on after it.
            try (ServerSocket greeter = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                 Socket t = connectTo(proxy)) {
                CompletableFuture.runAsync(() -> {
                    try (Socket in = greeter.accept()) {
                        in.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                        in.getInputStream().transferTo(in.getOutputStream());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                greet(t);
                t.getOutputStream().write(connectDomain("localhost", greeter.getLocalPort()));
                assertThat(readN(t, 10)).containsExactly(OK_REPLY);
                assertThat(new String(readN(t, 6), StandardCharsets.US_ASCII)).isEqualTo("hello\n");
                Transfers.assertEchoes(t, 10_000, 3);
            }
        }
    }

    @Test
    void targetNotConnectedIsReplyHostUnreachable() throws Exception {
        try (SocksProxy proxy = manager.socksProxy(OFFLINE, SocksProxy.Options.defaults()); Socket s = connectTo(proxy)) {
            greet(s);
            s.getOutputStream().write(connectIpv4(new byte[] {127, 0, 0, 1}, echo.port()));
            byte[] reply = readN(s, 10);
            assertThat(reply[0]).isEqualTo((byte) 5);
            assertThat(reply[1]).as("REP").isEqualTo((byte) 0x04);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(echo.accepted.get()).isZero();
    }

    @Test
    void bindAndUdpAssociateAreCommandNotSupported() throws Exception {
        try (SocksProxy proxy = proxy()) {
            for (byte command : new byte[] {2, 3}) {
                try (Socket s = connectTo(proxy)) {
                    greet(s);
                    byte[] req = connectIpv4(new byte[] {127, 0, 0, 1}, echo.port());
                    req[1] = command;
                    s.getOutputStream().write(req);
                    byte[] reply = readN(s, 10);
                    assertThat(reply[0]).isEqualTo((byte) 5);
                    assertThat(reply[1]).as("REP for command %d", command).isEqualTo((byte) 0x07);
                    assertThat(s.getInputStream().read()).isEqualTo(-1);
                }
            }
            assertThat(remoteHostSessions(echo.port())).isEmpty();
            assertThat(echo.accepted.get()).isZero();
        }
    }

    @Test
    void unknownAddressTypeIsAddressTypeNotSupported() throws Exception {
        try (SocksProxy proxy = proxy(); Socket s = connectTo(proxy)) {
            greet(s);
            s.getOutputStream().write(new byte[] {5, 1, 0, 9});
            byte[] reply = readN(s, 10);
            assertThat(reply[1]).as("REP").isEqualTo((byte) 0x08);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void clientOfferingOnlyAuthenticationGetsNoAcceptableMethods() throws Exception {
        try (SocksProxy proxy = proxy(); Socket s = connectTo(proxy)) {
            // GSSAPI and username/password, but not "no authentication".
            s.getOutputStream().write(new byte[] {5, 2, 1, 2});
            assertThat(readN(s, 2)).containsExactly(5, 0xFF);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(remoteHostSessions(echo.port())).isEmpty();
    }

    @Test
    void theJdkSocksClientWorksThroughIt() throws Exception {
        try (SocksProxy proxy = proxy()) {
            Proxy socks = new Proxy(Proxy.Type.SOCKS, proxy.localAddress());
            try (Socket s = new Socket(socks)) {
                s.setSoTimeout(30_000);
                s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), echo.port()), 30_000);
                Transfers.assertEchoes(s, 120_000, 4);
            }
            try (Socket s = new Socket(socks)) {
                s.setSoTimeout(30_000);
                // Unresolved: the JDK sends the name (address type 3) for the proxy to resolve.
                s.connect(InetSocketAddress.createUnresolved("localhost", echo.port()), 30_000);
                Transfers.assertEchoes(s, 60_000, 5);
            }
            assertThat(remoteHostSessions(echo.port())).extracting(v -> v.parameters().get("host"))
                    .containsExactlyInAnyOrder("127.0.0.1", "localhost");
        }
    }

    @Test
    void closeStopsListeningEndsConnectionsAndCompletesEnded() throws Exception {
        SocksProxy proxy = proxy();
        InetSocketAddress where = proxy.localAddress();
        Socket s = connectTo(proxy);
        greet(s);
        s.getOutputStream().write(connectIpv4(new byte[] {127, 0, 0, 1}, echo.port()));
        assertThat(readN(s, 10)).containsExactly(OK_REPLY);
        Transfers.assertEchoes(s, 1000, 6);
        assertThat(proxy.ended()).isNotDone();

        proxy.close();
        proxy.ended().get(10, TimeUnit.SECONDS);
        InputStream in = s.getInputStream();
        assertThat(in.read()).isEqualTo(-1);
        s.close();
        assertThatThrownBy(() -> new Socket(where.getAddress(), where.getPort()).close()).isInstanceOf(IOException.class);
        String sessionId = remoteHostSessions(echo.port()).get(0).sessionId();
        assertThat(LOCAL.get().session(sessionId)).hasValueSatisfying(v -> assertThat(v.status()).isEqualTo("TERMINATED"));
    }
}
