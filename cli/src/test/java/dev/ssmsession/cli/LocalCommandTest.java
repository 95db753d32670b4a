package dev.ssmsession.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.testkit.LocalSessionManager;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalCommandTest {
    @Test
    void printsEndpointsAndAnEnvironmentThatPointsClientsAtIt() {
        try (LocalSessionManager local = LocalSessionManager.builder().target("i-0aaa").build().start()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            LocalCommand.print(local, List.of("i-0aaa"), new PrintStream(bytes, true, StandardCharsets.UTF_8));
            String out = bytes.toString(StandardCharsets.UTF_8);

            assertThat(out).contains("#   SSM API:      " + local.ssmEndpoint(),
                    "export AWS_ENDPOINT_URL_SSM=" + local.ssmEndpoint() + "\n",
                    "export AWS_ENDPOINT_URL_KMS=" + local.kmsEndpoint() + "\n",
                    "export AWS_ACCESS_KEY_ID=" + local.credentials().accessKeyId() + "\n",
                    // API calls must be signed with these, token included, or the testkit refuses them
                    "export AWS_SECRET_ACCESS_KEY=" + local.credentials().secretAccessKey() + "\n",
                    "export AWS_SESSION_TOKEN=" + local.credentials().sessionToken() + "\n",
                    "export AWS_REGION=" + local.region(),
                    "ssm-session start --target i-0aaa",
                    "--endpoint-url " + local.ssmEndpoint());
            // every line is either a comment or an export, so `eval "$(ssm-session local)"`-style use is safe
            assertThat(out.lines()).allMatch(line -> line.startsWith("#") || line.startsWith("export "));
        }
    }

    @Test
    void listsEveryTargetItSimulates() {
        try (LocalSessionManager local = LocalSessionManager.builder().target("i-0aaa").target("i-0bbb").build()
                .start()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            LocalCommand.print(local, List.of("i-0aaa", "i-0bbb"),
                    new PrintStream(bytes, true, StandardCharsets.UTF_8));
            assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("#   targets:      i-0aaa, i-0bbb\n",
                    "ssm-session start --target i-0aaa");
        }
    }

    @Test
    void withoutTargetsNamesTheDefaultOne() {
        try (LocalSessionManager local = LocalSessionManager.builder().build().start()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            LocalCommand.print(local, List.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
            assertThat(bytes.toString(StandardCharsets.UTF_8))
                    .contains("#   target:       " + LocalSessionManager.DEFAULT_TARGET + "\n");
        }
    }
}
