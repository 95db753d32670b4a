package dev.ssmsession.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class AwsSetupInputsTest {
    @Test
    void toStringShowsTheSettingsButNoSecretFromTheEnvironmentOrTheProxy() {
        AwsSetup.Inputs in = new AwsSetup.Inputs(null, "dev", "eu-west-1", URI.create("https://ssm.example"), null, null,
                URI.create("http://alice:PROXY-SECRET@proxy.example:3128"), "localhost", Path.of("/etc/ca.pem"),
                Map.of("AWS_SECRET_ACCESS_KEY", "KEY-SECRET", "AWS_SESSION_TOKEN", "TOKEN-SECRET",
                        "HTTPS_PROXY", "http://alice:PROXY-SECRET@proxy.example:3128"));
        assertThat(in.toString())
                .contains("profile=dev", "region=eu-west-1", "https://ssm.example", "proxy.example:3128", "with credentials",
                        "/etc/ca.pem", "3 variables")
                .doesNotContain("SECRET")
                .doesNotContain("alice");
    }
}
