package dev.ssmsession.client.internal;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The blocking steps of one attempt to (re)open a data channel: {@code ResumeSession} and a new WebSocket carrying
 * OpenDataChannel. {@link DataChannelTransport} runs them on the I/O executor (or, for the first attempt, on the
 * caller's thread) and decides everything else — when to try, until when, what to report — so tests can script the
 * outcomes of attempts and run the transport on virtual time.
 */
interface DataChannelConnector {
    /** One open connection, as the transport uses it. */
    interface Link {
        /** Queues a frame without blocking; false when the connection is gone. */
        boolean enqueue(byte[] frame);

        /** Writes what is queued on the calling thread; false when the connection is gone. */
        boolean flush();

        void ping();

        boolean isOpen();

        /** Closes without telling the listener. */
        void close();
    }

    /** ResumeSession (SPEC §7.2): the new token, or empty when the service has ended the session. */
    Optional<String> resume(String sessionId);

    /**
     * Connects to {@code streamUrl} and sends OpenDataChannel with {@code token}, within {@code timeoutMillis} for
     * the whole attempt; the connection's frames and its end go to {@code listener}.
     *
     * @throws IOException naming the stage that failed; a {@link ProxyFailureException} when a proxy refused
     */
    Link open(URI streamUrl, String token, int timeoutMillis, WebSocketConnection.Listener listener) throws IOException;

    /** The real thing: the manager's SSM client, signer, credentials and WebSocket settings. */
    static DataChannelConnector over(TransportContext ctx) {
        return new WebSocket(ctx);
    }

    /** {@link WebSocketConnection}s, signed with credentials resolved for each attempt. */
    final class WebSocket implements DataChannelConnector {
        private final TransportContext ctx;

        private WebSocket(TransportContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Optional<String> resume(String sessionId) {
            return ctx.ssm().resumeSession(sessionId);
        }

        @Override
        public Link open(URI streamUrl, String token, int timeoutMillis, WebSocketConnection.Listener listener)
                throws IOException {
            Map<String, String> headers = Map.of();
            if (ctx.signUpgrade() && !UpgradeSigner.isPresigned(streamUrl)) {
                // Resolved on every open: a refreshed credential (SSO, assume-role) is used at once.
                headers = ctx.signer().sign(streamUrl, ctx.credentials().resolveCredentials(), ctx.region());
            }
            String open = WebSocketConnection.openDataChannel(UUID.randomUUID(), token, ctx.clientId(), ctx.clientVersion());
            WebSocketConnection c = WebSocketConnection.open(ctx.connection().withConnectTimeoutMillis(timeoutMillis),
                    streamUrl, headers, open, listener);
            return new Link() {
                @Override
                public boolean enqueue(byte[] frame) {
                    return c.enqueue(frame);
                }

                @Override
                public boolean flush() {
                    return c.flush();
                }

                @Override
                public void ping() {
                    c.ping();
                }

                @Override
                public boolean isOpen() {
                    return c.isOpen();
                }

                @Override
                public void close() {
                    c.close();
                }
            };
        }
    }
}
