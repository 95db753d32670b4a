package dev.ssmsession.client.internal;

import dev.ssmsession.client.ManagedInstance;
import dev.ssmsession.client.SessionException;
import dev.ssmsession.client.SessionRequest;
import dev.ssmsession.client.SessionToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;
import software.amazon.awssdk.services.ssm.model.ResumeSessionResponse;
import software.amazon.awssdk.services.ssm.model.StartSessionResponse;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The three SSM operations a session needs (SPEC §1.1), with errors translated. */
public final class SsmApi {
    private static final Logger log = LoggerFactory.getLogger(SsmApi.class);

    private final Supplier<SsmClient> clients;
    private SsmClient ssm;
    private String endpoint;
    /** TerminateSession calls under way: closing the SDK client under one would lose it. Guarded by this. */
    private int terminating;

    public SsmApi(SsmClient ssm) {
        Objects.requireNonNull(ssm, "ssm");
        this.clients = () -> ssm;
    }

    /** @param clients gives the client when a call is first made (it is built lazily) */
    public SsmApi(Supplier<SsmClient> clients) {
        this.clients = Objects.requireNonNull(clients, "clients");
    }

    private synchronized SsmClient client() {
        if (ssm == null) {
            ssm = clients.get();
            endpoint = AwsErrors.endpointOf(ssm.serviceClientConfiguration(), "ssm");
        }
        return ssm;
    }

    private synchronized String endpoint() {
        return endpoint;
    }

    public SessionToken startSession(SessionRequest request) {
        StartSessionResponse r;
        try {
            r = client().startSession(b -> {
                b.target(request.target());
                request.documentName().ifPresent(b::documentName);
                request.reason().ifPresent(b::reason);
                if (!request.parameters().isEmpty()) {
                    b.parameters(request.parameters());
                }
            });
        } catch (SdkException e) {
            throw AwsErrors.translate("ssm:StartSession", "target " + request.target(), e, endpoint());
        }
        if (r.tokenValue() == null || r.streamUrl() == null || r.sessionId() == null) {
            throw new SessionException(SessionException.Reason.SERVICE,
                    "StartSession for target " + request.target() + " returned no SessionId/TokenValue/StreamUrl");
        }
        log.debug("Started session {} on {}", r.sessionId(), request.target());
        URI streamUrl;
        try {
            streamUrl = URI.create(r.streamUrl());
        } catch (IllegalArgumentException e) {
            throw new SessionException(SessionException.Reason.SERVICE, "StartSession for target " + request.target()
                    + " returned a StreamUrl that is not a valid URL: " + e.getMessage(), e);
        }
        return new SessionToken(r.sessionId(), r.tokenValue(), streamUrl);
    }

    /**
     * @return the new token, or empty when the service no longer knows the session (SPEC §7.2:
     *         no TokenValue means the session timed out)
     */
    public Optional<String> resumeSession(String sessionId) {
        ResumeSessionResponse r;
        try {
            r = client().resumeSession(b -> b.sessionId(sessionId));
        } catch (SdkException e) {
            throw AwsErrors.translate("ssm:ResumeSession", "session " + sessionId, e, endpoint());
        }
        String token = r.tokenValue();
        return token == null || token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    /** {@code DescribeInstanceInformation}, every page, in the service's order. */
    public List<ManagedInstance> describeInstances() {
        List<ManagedInstance> out = new ArrayList<>();
        try {
            for (InstanceInformation i : client().describeInstanceInformationPaginator(b -> { }).instanceInformationList()) {
                out.add(new ManagedInstance(i.instanceId(), Optional.ofNullable(i.name()).filter(n -> !n.isEmpty()),
                        Optional.ofNullable(i.platformName()).filter(n -> !n.isEmpty())
                                .or(() -> Optional.ofNullable(i.platformTypeAsString())),
                        Optional.ofNullable(i.pingStatusAsString())));
            }
        } catch (SdkException e) {
            throw AwsErrors.translate("ssm:DescribeInstanceInformation", "the managed nodes", e, endpoint());
        }
        return List.copyOf(out);
    }

    public void terminateSession(String sessionId) {
        synchronized (this) {
            terminating++;
        }
        try {
            client().terminateSession(b -> b.sessionId(sessionId));
            log.debug("Terminated session {}", sessionId);
        } catch (SdkException e) {
            throw AwsErrors.translate("ssm:TerminateSession", "session " + sessionId, e, endpoint());
        } catch (IllegalStateException e) {
            // the SDK's HTTP client was closed under the call ("Connection pool shut down")
            throw new SessionException(SessionException.Reason.CLOSED, "TerminateSession for session " + sessionId
                    + " was cut off: its SessionManager was closed meanwhile", e);
        } finally {
            synchronized (this) {
                terminating--;
                notifyAll();
            }
        }
    }

    /**
     * Waits until no {@link #terminateSession} call is under way, at most {@code timeout}: a session closed on
     * another thread (a shutdown hook, say) may still be telling the service while its manager closes.
     *
     * @return whether none is left
     */
    public synchronized boolean awaitTerminations(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (terminating > 0) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
