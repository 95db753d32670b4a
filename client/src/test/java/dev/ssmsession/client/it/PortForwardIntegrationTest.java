package dev.ssmsession.client.it;

import dev.ssmsession.client.PortForward;
import dev.ssmsession.client.PortForwardListener;
import dev.ssmsession.client.Session;
import dev.ssmsession.client.SessionException;
import dev.ssmsession.client.SessionInfo;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.SessionRequest;
import dev.ssmsession.client.TunnelSocketFactory;
import dev.ssmsession.protocol.channel.DataChannelConfig;
import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.LocalSessionManagerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PortForwardIntegrationTest {
    @RegisterExtension
    static final LocalSessionManagerExtension LOCAL = new LocalSessionManagerExtension();

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

    /** A listener that records the clients it heard of. */
    private static final class Opened implements PortForwardListener {
        final List<SocketAddress> clients = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void onConnectionOpened(SocketAddress client) {
            clients.add(client);
        }
    }

    @Test
    void forwardsSharingASessionEachHaveTheirListenerAndCloseOnlyThemselves() throws Exception {
        LocalSessionManager local = LOCAL.get();
        Opened heardByA = new Opened();
        Opened heardByB = new Opened();
        try (Session session = manager.start(SessionRequest.portForwarding(local.defaultTarget(), null, echo.port()))) {
            PortForward a = session.forwardPort(PortForward.Options.defaults().withListener(heardByA));
            PortForward b = session.forwardPort(PortForward.Options.defaults().withListener(heardByB));
            try (Socket s = new Socket(a.localAddress().getAddress(), a.localAddress().getPort())) {
                Transfers.assertEchoes(s, 1024, 1);
            }
            a.close();

            try (Socket s = new Socket(b.localAddress().getAddress(), b.localAddress().getPort())) {
                Transfers.assertEchoes(s, 1024, 2);
            }
            assertThat(session.ended()).as("the session outlives a closed forward").isNotDone();
            assertThat(local.session(session.sessionId()).orElseThrow().status()).isNotEqualTo("TERMINATED");
            assertThatThrownBy(() -> new Socket(a.localAddress().getAddress(), a.localAddress().getPort()).close())
                    .isInstanceOf(IOException.class);
            assertThat(heardByA.clients).hasSize(1);
            assertThat(heardByB.clients).hasSize(1);
            b.close();
        }
    }

    @Test
    void smuxForwardCarriesManyConcurrentConnections() throws Exception {
        LocalSessionManager local = LOCAL.get();
        try (PortForward fwd = manager.forwardPort(local.defaultTarget(), null, echo.port(), PortForward.Options.defaults())) {
            InetSocketAddress bound = fwd.localAddress();
            assertThat(bound.getAddress().isLoopbackAddress()).isTrue();
            assertThat(bound.getPort()).isPositive();
            assertThat(fwd.session().awaitInfo(Duration.ofSeconds(20)).mode()).isEqualTo(SessionInfo.Mode.PORT_MUX);

            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                long seed = i;
                all.add(CompletableFuture.runAsync(() -> {
                    try (Socket s = new Socket(bound.getAddress(), bound.getPort())) {
                        Transfers.assertEchoes(s, 96 * 1024, seed);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertThat(echo.accepted.get()).isEqualTo(8);
            assertThat(local.session(fwd.sessionId()).orElseThrow().clientVersion()).isEqualTo(SessionManager.DEFAULT_CLIENT_VERSION);

            fwd.close();
            assertThat(fwd.ended().get(10, TimeUnit.SECONDS).closedLocally()).isTrue();
            assertThat(local.session(fwd.sessionId()).orElseThrow().status()).isEqualToIgnoringCase("terminated");
            assertThatThrownBy(() -> new Socket(bound.getAddress(), bound.getPort()).close())
                    .isInstanceOf(java.net.ConnectException.class);  // the listener is gone
        }
    }

    @Test
    void aDestinationThatSendsAndClosesIsReadToTheEnd() throws Exception {
        byte[] data = Transfers.random(512 * 1024, 3);
        try (java.net.ServerSocket source = new java.net.ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (Socket s = source.accept()) {
                    s.getOutputStream().write(data);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (PortForward fwd = manager.forwardPort(LOCAL.get().defaultTarget(), null, source.getLocalPort(),
                    PortForward.Options.defaults());
                 Socket s = new Socket(fwd.localAddress().getAddress(), fwd.localAddress().getPort())) {
                // FIN arrives after the data: everything, then EOF, and the forward stays up.
                byte[] got = s.getInputStream().readAllBytes();
                assertThat(Transfers.sha256(got)).isEqualTo(Transfers.sha256(data));
                served.get(10, TimeUnit.SECONDS);
                assertThat(fwd.ended()).isNotDone();
            }
        }
    }

    @Test
    void connectToPortErrorIsReportedPerConnection() throws Exception {
        CompletableFuture<SessionException> failed = new CompletableFuture<>();
        PortForwardListener listener = new PortForwardListener() {
            @Override
            public void onConnectionFailed(SocketAddress client, SessionException error) {
                failed.complete(error);
            }
        };
        try (PortForward fwd = manager.forwardPort(LOCAL.get().defaultTarget(), null, EchoServer.closedPort(),
                PortForward.Options.defaults().withListener(listener))) {
            try (Socket s = new Socket(fwd.localAddress().getAddress(), fwd.localAddress().getPort())) {
                s.getOutputStream().write("hello".getBytes());
                // the local socket is closed: EOF, or a reset when the forward closed it before reading "hello"
                // (TCP answers unread data at close with RST); either way nothing but the end arrives
                try {
                    assertThat(s.getInputStream().read()).isEqualTo(-1);
                } catch (java.net.SocketException reset) {
                    assertThat(reset).hasMessageContaining("reset");
                }
            }
            assertThat(failed.get(20, TimeUnit.SECONDS)).hasMessageContaining("Connection to destination port failed");
            assertThat(fwd.ended()).isNotDone();  // one failed connection does not end the session
        }
    }

    @Test
    void inProcessSocketsMultiplexOneSession() throws Exception {
        try (Session session = manager.start(SessionRequest.portForwarding(LOCAL.get().defaultTarget(), "127.0.0.1", echo.port()))) {
            try (Socket a = session.socket(); Socket b = session.socket()) {
                Transfers.assertEchoes(a, 50_000, 1);
                Transfers.assertEchoes(b, 70_000, 2);
                a.setSoTimeout(200);
                assertThatThrownBy(() -> a.getInputStream().read()).isInstanceOf(java.net.SocketTimeoutException.class);
                Transfers.assertEchoes(a, 10, 3);  // still usable after a read timeout
            }
            assertThat(echo.accepted.get()).isEqualTo(2);
        }
    }

    @Test
    void socketFactoryReachesTheHostItIsConnectedTo() throws Exception {
        try (TunnelSocketFactory factory = manager.socketFactory(LOCAL.get().defaultTarget())) {
            // What a JDBC driver does: createSocket(), then connect to the database host.
            Socket s = factory.createSocket();
            s.setTcpNoDelay(true);
            s.setSoTimeout(30_000);
            s.connect(new InetSocketAddress("127.0.0.1", echo.port()), 5000);
            assertThat(s.isConnected()).isTrue();
            assertThat(s.getPort()).isEqualTo(echo.port());
            Transfers.assertEchoes(s, 40_000, 4);
            try (Socket t = factory.createSocket("127.0.0.1", echo.port())) {
                Transfers.assertEchoes(t, 40_000, 5);
            }
            s.close();
            assertThat(LOCAL.get().sessions()).filteredOn(v -> v.documentName().equals(SessionRequest.PORT_FORWARDING_TO_REMOTE_HOST_DOCUMENT))
                    .hasSize(1);
        }
    }

    @Test
    void driversCanInstantiateTheFactoryByClassName() throws Exception {
        try (TunnelSocketFactory factory = manager.socketFactory(LOCAL.get().defaultTarget())) {
            dev.ssmsession.client.NamedTunnelSocketFactory.register("echo-db", factory);
            try {
                // What PgJDBC does with socketFactory=<class>&socketFactoryArg=<name>.
                javax.net.SocketFactory byName = (javax.net.SocketFactory) Class
                        .forName("dev.ssmsession.client.NamedTunnelSocketFactory")
                        .getConstructor(String.class).newInstance("echo-db");
                try (Socket s = byName.createSocket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", echo.port()));
                    Transfers.assertEchoes(s, 20_000, 8);
                }
                assertThatThrownBy(() -> new dev.ssmsession.client.NamedTunnelSocketFactory("nope"))
                        .hasMessageContaining("'nope'");
            } finally {
                dev.ssmsession.client.NamedTunnelSocketFactory.unregister("echo-db");
            }
        }
    }

    @Test
    void listensOnAUnixDomainSocketWhenAsked(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path path = dir.resolve("db.sock");
        try (PortForward fwd = manager.forwardPort(LOCAL.get().defaultTarget(), null, echo.port(),
                PortForward.Options.defaults().withUnixSocket(path))) {
            assertThat(fwd.localSocketAddress()).isEqualTo(java.net.UnixDomainSocketAddress.of(path));
            try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(path))) {
                byte[] data = Transfers.random(150_000, 9);
                // Channel I/O directly: Channels.newInputStream/newOutputStream of one channel block each other.
                java.io.InputStream in = new java.io.InputStream() {
                    @Override
                    public int read() {
                        throw new UnsupportedOperationException();
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws java.io.IOException {
                        return ch.read(java.nio.ByteBuffer.wrap(b, off, len));
                    }
                };
                java.io.OutputStream out = new java.io.OutputStream() {
                    @Override
                    public void write(int b) {
                        throw new UnsupportedOperationException();
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws java.io.IOException {
                        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b, off, len);
                        while (bb.hasRemaining()) {
                            ch.write(bb);
                        }
                    }
                };
                byte[] got = Transfers.roundTrip(in, out, data);
                assertThat(Transfers.sha256(got)).isEqualTo(Transfers.sha256(data));
            }
            assertThat(path).exists();
        }
        assertThat(path).doesNotExist();  // removed on close
    }

    @Test
    void bindAddressAndFixedPortAreHonoured() throws Exception {
        int port = EchoServer.closedPort();
        try (PortForward fwd = manager.forwardPort(LOCAL.get().defaultTarget(), null, echo.port(),
                PortForward.Options.defaults().withBindAddress(InetAddress.getByName("127.0.0.1")).withLocalPort(port))) {
            assertThat(fwd.localAddress().getPort()).isEqualTo(port);
            try (Socket s = new Socket("127.0.0.1", port)) {
                Transfers.assertEchoes(s, 1000, 6);
            }
        }
    }
}
