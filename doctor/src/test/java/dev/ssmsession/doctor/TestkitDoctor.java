package dev.ssmsession.doctor;

import dev.ssmsession.client.SessionManager;
import dev.ssmsession.testkit.Account;
import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.TestkitCredentials;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A doctor against a local testkit serving an {@link Account}: the SessionManager is configured as a user would
 * configure it (SSM and ssmmessages endpoints, {@code AWS_ENDPOINT_URL} for EC2/IAM/STS), and the real SDK clients
 * talk to the stand-ins over loopback.
 */
final class TestkitDoctor {
    static final String INSTANCE = "i-0123456789abcdef0";
    static final String REGION = "us-east-1";

    private TestkitDoctor() {
    }

    /** Runs the doctor on {@link #INSTANCE} with the agent online (or not) in {@code account}. */
    static Report diagnose(Account account, boolean agentOnline, boolean session) {
        LocalSessionManager.Builder b = LocalSessionManager.builder().region(REGION).account(account);
        if (agentOnline) {
            b.target(INSTANCE);
        } else {
            b.offlineTarget(INSTANCE);
        }
        try (LocalSessionManager local = b.build().start(); SessionManager manager = manager(local)) {
            return Doctor.builder(manager).session(session).sessionTimeout(Duration.ofSeconds(20)).build().diagnose(INSTANCE);
        }
    }

    static SessionManager manager(LocalSessionManager local) {
        TestkitCredentials c = local.credentials();
        return SessionManager.builder()
                .environment(Map.of("AWS_ENDPOINT_URL", local.accountEndpoint().toString()))
                .region(local.region())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
                .ssmEndpoint(local.ssmEndpoint())
                .ssmMessagesEndpoint(local.streamUrlBase())
                .build();
    }
}
