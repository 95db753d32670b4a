package dev.ssmsession.bench;

import dev.ssmsession.client.SessionManager;
import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.TestkitCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.util.Map;

/** A {@link SessionManager} pointed at an in-process testkit, with an empty environment (no proxy, no profile). */
final class TestkitManagers {
    private TestkitManagers() {
    }

    static SessionManager.Builder builder(LocalSessionManager local) {
        TestkitCredentials c = local.credentials();
        return SessionManager.builder()
                .region(local.region())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
                .ssmEndpoint(local.ssmEndpoint())
                .kmsEndpoint(local.kmsEndpoint())
                .environment(Map.of());
    }
}
