package dev.ssmsession.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.junit.jupiter.api.Test;

/**
 * A cut must count as a disconnect before the client can see it. Through real sockets this is a
 * race of microseconds (Java-WebSocket closes the socket, then calls onClose, which detached): a
 * loop of the end-to-end test under load passes with or without the fix. Here the socket is a
 * stand-in that records the session's status at the moment it is closed.
 */
class ServiceSessionCutTest {

    @Test
    void aCutDetachesTheSessionBeforeTheSocketIsClosed() throws Exception {
        AgentSettings agent = new AgentSettings("3.3.1000.0", null, false, "/bin/sh", Path.of("."), Duration.ofMinutes(1));
        ServiceConfig config = new ServiceConfig("us-east-1", "123456789012", "AKIDTESTKIT", "testkit-secret", null,
                Map.of("i-0123456789abcdef0", true), agent, false, false, 0, null, 1 << 20, 1, s -> FrameRelay.PASS_THROUGH, null, null);
        try (LocalService service = new LocalService(config)) {
            // NonInteractiveCommands: the agent sends its handshake request and waits, starting nothing.
            ServiceSession session = new ServiceSession(service, "s-cut", "i-0123456789abcdef0",
                    SessionDocument.NON_INTERACTIVE_COMMAND, Map.of("command", "true"), null, "token",
                    s -> FrameRelay.PASS_THROUGH);
            CompletableFuture<ServiceSession.Status> statusAtClose = new CompletableFuture<>();
            session.attach(socket(() -> statusAtClose.complete(session.status())));
            assertThat(session.status()).isEqualTo(ServiceSession.Status.CONNECTED);

            session.cut();

            assertThat(statusAtClose.get(5, TimeUnit.SECONDS)).isEqualTo(ServiceSession.Status.DISCONNECTED);
            assertThat(session.connection()).isNull();
            session.shutdown();
        }
    }

    /** A WebSocket that is never open and runs {@code onCloseConnection} when it is cut. */
    private static WebSocket socket(Runnable onCloseConnection) {
        return (WebSocket) Proxy.newProxyInstance(WebSocket.class.getClassLoader(), new Class<?>[] {WebSocket.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "closeConnection" -> {
                        onCloseConnection.run();
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "cut-recording socket";
                    default -> method.getReturnType() == boolean.class ? Boolean.FALSE
                            : method.getReturnType() == int.class ? 0 : null;
                });
    }
}
