package dev.ssmsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ssm.SsmClient;

/** The JUnit 5 extension starts the testkit, injects it and stops it; start-up is cheap. */
class ExtensionTest {
    @RegisterExtension
    static final LocalSessionManagerExtension LOCAL =
            new LocalSessionManagerExtension(LocalSessionManager.builder().target("i-0feedfacefeedface"));

    @Test
    void registeredExtensionServesTheConfiguredTarget(LocalSessionManager injected) {
        assertThat(injected).isSameAs(LOCAL.get());
        assertThat(injected.defaultTarget()).isEqualTo("i-0feedfacefeedface");
        assertThat(injected.ssmEndpoint().getHost()).isEqualTo("127.0.0.1");
        assertThat(injected.streamUrlBase().getScheme()).isEqualTo("ws");
        try (SsmClient ssm = SsmApiTest.sdk(injected)) {
            assertThat(ssm.startSession(b -> b.target("i-0feedfacefeedface")).streamUrl())
                    .startsWith(injected.streamUrlBase().toString());
        }
    }

    @Test
    void startingAndStoppingCostsWellUnderASecond() throws Exception {
        LocalSessionManager.startDefault().close(); // warm class loading
        long t0 = System.nanoTime();
        URI endpoint;
        try (LocalSessionManager local = LocalSessionManager.startDefault()) {
            endpoint = local.ssmEndpoint();
            HttpResponse<String> r = SignedCalls.call(local, "AmazonSSM.DescribeInstanceInformation", "{}");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains(LocalSessionManager.DEFAULT_TARGET);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void unknownOperationsGetTheAwsErrorShape() throws Exception {
        HttpResponse<String> r = SignedCalls.call(LOCAL.get(), "AmazonSSM.SendCommand", "{}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"__type\":\"UnknownOperationException\"").contains("AmazonSSM.SendCommand");
    }
}
