package dev.ssmsession.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.SessionRequest;
import dev.ssmsession.client.SessionToken;
import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.TestkitCredentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The launchers' start-up caches as users get them from the build (cli/target): the plugin maps an archive of its own,
 * recorded from its paths alone (a static one: the JVM keeps a whole archive resident, so the CLI's, or the JDK's base
 * archive, would cost the plugin memory for classes it never loads), and that archive covers what a plugin shell loads. {@code -Xshare:on} makes the JVM refuse
 * to start when an archive does not map, so a run that works proves it maps. Java 25+ uses AOT caches instead, whose
 * mapping the dist module's DistributionIT requires.
 */
class StartupCacheIT {
    private static LocalSessionManager local;

    @TempDir
    static Path home;

    @BeforeAll
    static void startTestkit() {
        Assumptions.assumeTrue(Runtime.version().feature() < 25, "this JDK uses the AOT cache, not the CDS archive");
        local = LocalSessionManager.builder().build().start();
    }

    @AfterAll
    static void stopTestkit() {
        if (local != null) {
            local.close();
        }
    }

    @Test
    void pluginShellRunsFromThePluginsOwnArchive() throws Exception {
        Path lib = Launchers.bin().resolveSibling("lib");
        Path cdsLog = home.resolve("cds.log");
        Path classLog = home.resolve("classes.log");
        Map<String, String> env = TestkitEnvironment.of(local, home);
        env.put("SSM_SESSION_JAVA_OPTS", "-Xshare:on -Xlog:cds=info:file=" + cdsLog + " -Xlog:class+load=info:file="
                + classLog);

        Launchers.Result result = Launchers.run(List.of(Launchers.bin().resolve("session-manager-plugin").toString(),
                response(), local.region(), "StartSession", "", "{\"Target\": \"" + local.defaultTarget() + "\"}",
                local.ssmEndpoint().toString()), env, "echo marker-$((6*7))\nexit\n".getBytes(StandardCharsets.UTF_8), 120);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("marker-42");
        assertThat(Files.readString(cdsLog)).contains("Opened archive " + lib.resolve("session-manager-plugin.jsa") + ".")
                .doesNotContain("ssm-session.jsa");
        // what the shell loaded came from the archives, not the jar: the training covered this path
        List<String> loaded = Files.readAllLines(classLog).stream().filter(l -> l.contains(" source: ")).toList();
        long fromArchives = loaded.stream().filter(l -> l.contains("source: shared objects file")).count();
        assertThat(fromArchives).as("classes from the archives of %s loaded", loaded.size())
                .isGreaterThan(loaded.size() * 9 / 10);
        assertThat(loaded).filteredOn(l -> l.contains("dev.ssmsession.cli.plugin.PluginMain source:"))
                .singleElement().asString().contains("source: shared objects file");
        // a plain shell has no handshake: nothing on its path needs Jackson's object mapper (~0.1-0.2 s of a cold start)
        // (a few of its type names load with the handshake classes' signatures; the mapper itself must not)
        assertThat(loaded).noneMatch(l -> l.contains("com.fasterxml.jackson.databind.ObjectMapper "));
        // and it is the plugin's alone: the CLI's (picocli, the SDK client that starts sessions) is bigger
        assertThat(Files.size(lib.resolve("session-manager-plugin.jsa"))).isLessThan(Files.size(lib.resolve("ssm-session.jsa")));
    }

    @Test
    void cliStillMapsItsOwnArchive() throws Exception {
        Path cdsLog = home.resolve("cli-cds.log");
        Map<String, String> env = TestkitEnvironment.of(local, home);
        env.put("SSM_SESSION_JAVA_OPTS", "-Xshare:on -Xlog:cds=info:file=" + cdsLog);

        Launchers.Result result = Launchers.run(List.of(Launchers.bin().resolve("ssm-session").toString(),
                "--endpoint-url", local.ssmEndpoint().toString(), "exec", "--target", local.defaultTarget(), "exit 4"),
                env, new byte[0], 120);

        assertThat(result.exitCode()).as(result.err()).isEqualTo(4);
        assertThat(Files.readString(cdsLog))
                .contains("Opened archive " + Launchers.bin().resolveSibling("lib").resolve("ssm-session.jsa") + ".");
    }

    private static String response() {
        TestkitCredentials c = local.credentials();
        SessionToken token;
        try (SessionManager manager = SessionManager.builder().region(local.region()).ssmEndpoint(local.ssmEndpoint())
                .environment(Map.of()).credentialsProvider(StaticCredentialsProvider.create(
                        AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
                .build()) {
            token = manager.startSession(SessionRequest.shell(local.defaultTarget()));
        }
        return "{\"SessionId\": \"" + token.sessionId() + "\", \"TokenValue\": \"" + token.tokenValue()
                + "\", \"StreamUrl\": \"" + token.streamUrl() + "\"}";
    }
}
