package dev.ssmsession.client.internal;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * What every data channel of one {@code SessionManager} shares: how to reach ssmmessages, how to
 * sign, the SSM API for ResumeSession/TerminateSession, the process-wide ClientId (SPEC §1.3),
 * the reconnect deadline, the scheduler and ticker that time runs on (never blocked), and the
 * executor for blocking work (AWS calls, connecting, socket pumps).
 */
public record TransportContext(
        WebSocketConnection.Settings connection,
        UnaryOperator<URI> streamUrlRewrite,
        AwsCredentialsProvider credentials,
        String region,
        boolean signUpgrade,
        UpgradeSigner signer,
        SsmApi ssm,
        UUID clientId,
        String clientVersion,
        Duration reconnectDeadline,
        Duration pingInterval,
        ScheduledExecutorService scheduler,
        java.util.concurrent.ExecutorService io,
        LongSupplier nanoTime) {
    public TransportContext {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(streamUrlRewrite, "streamUrlRewrite");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(ssm, "ssm");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientVersion, "clientVersion");
        Objects.requireNonNull(reconnectDeadline, "reconnectDeadline");
        Objects.requireNonNull(pingInterval, "pingInterval");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(io, "io");
        Objects.requireNonNull(nanoTime, "nanoTime");
    }
}
