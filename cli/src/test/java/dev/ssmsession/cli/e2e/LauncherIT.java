package dev.ssmsession.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launchers left by {@code mvn package}: executable, symlink-safe, and answering like the Go plugin. */
class LauncherIT {
    @TempDir
    Path dir;

    @Test
    void ssmSessionRunsFromTheBuildTree() throws Exception {
        Launchers.Result result = Launchers.run(List.of(Launchers.bin().resolve("ssm-session").toString(),
                "--version"), Map.of(), new byte[0], 60);
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("ssm-session ", "session-manager-plugin compatible 1.2.764.0");
    }

    @Test
    void launcherWorksThroughAChainOfSymlinksOnPath() throws Exception {
        Path onPath = Files.createDirectories(dir.resolve("bin"));
        Path other = Files.createDirectories(dir.resolve("opt"));
        // PATH/ssm-session -> ../opt/ssm -> <build>/bin/ssm-session (a relative link, then an absolute one)
        Files.createSymbolicLink(other.resolve("ssm"), Launchers.bin().resolve("ssm-session"));
        Files.createSymbolicLink(onPath.resolve("ssm-session"), Path.of("..", "opt", "ssm"));
        Files.createSymbolicLink(onPath.resolve("session-manager-plugin"),
                Launchers.bin().resolve("session-manager-plugin"));
        Map<String, String> env = Map.of("PATH", onPath + ":" + System.getenv("PATH"));

        Launchers.Result version = Launchers.run(List.of("sh", "-c", "cd / && ssm-session --version"), env,
                new byte[0], 60);
        Launchers.Result plugin = Launchers.run(List.of("sh", "-c", "cd / && session-manager-plugin --version"), env,
                new byte[0], 60);

        assertThat(version.exitCode()).as(version.err()).isZero();
        assertThat(version.out()).contains("session-manager-plugin compatible");
        assertThat(plugin.exitCode()).as(plugin.err()).isZero();
        assertThat(plugin.out()).isEqualTo("1.2.764.0\n");
    }

    /**
     * The AWS CLI asks the plugin for its version (and ECS Exec for the installation check) before every session: the
     * launcher answers without a JVM, exactly as the Java entry point does. A JVM option that cannot start Java shows
     * that no JVM ran, and that a session does start one.
     */
    @Test
    void pluginAnswersTheAwsCliQuestionsWithoutJavaAndAsPluginMainDoes() throws Exception {
        Map<String, String> noJvm = Map.of("SSM_SESSION_JAVA_OPTS", "-XX:+ThisOptionDoesNotExist");
        String plugin = Launchers.bin().resolve("session-manager-plugin").toString();
        String java = ProcessHandle.current().info().command().orElse("java");
        String jar = Launchers.bin().resolveSibling("lib").resolve("ssm-session.jar").toString();

        Launchers.Result version = Launchers.run(List.of(plugin, "--version"), noJvm, new byte[0], 60);
        Launchers.Result installed = Launchers.run(List.of(plugin), noJvm, new byte[0], 60);
        Launchers.Result javaVersion = Launchers.run(List.of(java, "-cp", jar, "dev.ssmsession.cli.plugin.PluginMain",
                "--version"), Map.of(), new byte[0], 60);
        Launchers.Result javaInstalled = Launchers.run(List.of(java, "-cp", jar, "dev.ssmsession.cli.plugin.PluginMain"),
                Map.of(), new byte[0], 60);

        assertThat(version.exitCode()).as(version.err()).isZero();
        assertThat(version.out()).isEqualTo(javaVersion.out()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+\n");
        assertThat(installed.exitCode()).as(installed.err()).isZero();
        assertThat(installed.out()).isEqualTo(javaInstalled.out());
        Launchers.Result session = Launchers.run(List.of(plugin, "{}", "us-east-1", "StartSession"), noJvm, new byte[0], 60);
        assertThat(session.exitCode()).isNotZero();
        assertThat(session.err()).contains("ThisOptionDoesNotExist");
    }

    @Test
    void pluginInstallationCheckExitsZero() throws Exception {
        Launchers.Result result = Launchers.run(List.of(
                Launchers.bin().resolve("session-manager-plugin").toString()), Map.of(), new byte[0], 60);
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("The Session Manager plugin was installed successfully.");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void usageErrorIsOneLineAndStatusTwo() throws Exception {
        Launchers.Result result = Launchers.run(List.of(Launchers.bin().resolve("ssm-session").toString(),
                "port-forward", "--target", "i-1", "-L", "eighty:80"), Map.of("HOME", dir.toString()), new byte[0], 60);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("ssm-session: ")
                .contains("local port 'eighty' is not a number")
                .doesNotContain("\tat ");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void packageLeavesACompletionScriptThatBashAccepts() throws Exception {
        Path script = Launchers.bin().resolveSibling("completion").resolve("ssm-session.bash");
        assertThat(script).isRegularFile();
        Launchers.Result result = Launchers.run(List.of("bash", "-c", "source '" + script + "' && complete -p ssm-session"),
                Map.of(), new byte[0], 60);
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("ssm-session");
    }
}
