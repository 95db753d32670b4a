package dev.ssmsession.client.it;

import dev.ssmsession.client.SessionManager;
import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.TestkitCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.util.Map;

/** A {@link SessionManager} pointed at a running testkit, with an empty environment. */
final class Testkit {
    private Testkit() {
    }

    static AwsCredentialsProvider credentials(LocalSessionManager local) {
        TestkitCredentials c = local.credentials();
        return StaticCredentialsProvider.create(AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
    }

    static SessionManager.Builder managerFor(LocalSessionManager local) {
        return SessionManager.builder()
                .region(local.region())
                .credentialsProvider(credentials(local))
                .ssmEndpoint(local.ssmEndpoint())
                .kmsEndpoint(local.kmsEndpoint())
                .environment(Map.of());
    }
}
