package dev.ssmsession.cli.e2e;

import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.TestkitCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A clean process environment for the AWS CLI and our launchers: testkit credentials, no user AWS config. */
final class TestkitEnvironment {
    private TestkitEnvironment() {}

    /** Whether the AWS CLI is installed (it is on the project's machines; elsewhere its tests are skipped). */
    static boolean awsCliInstalled() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "aws"))) {
                return true;
            }
        }
        return false;
    }

    static Map<String, String> of(LocalSessionManager local, Path home) throws IOException {
        TestkitCredentials credentials = local.credentials();
        Map<String, String> env = new HashMap<>();
        env.put("PATH", Launchers.bin() + ":" + System.getenv("PATH"));
        env.put("HOME", home.toString());
        env.put("AWS_ACCESS_KEY_ID", credentials.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey());
        env.put("AWS_SESSION_TOKEN", credentials.sessionToken());
        env.put("AWS_DEFAULT_REGION", local.region());
        env.put("AWS_REGION", local.region());
        Path aws = Files.createDirectories(home.resolve(".aws"));
        env.put("AWS_CONFIG_FILE", aws.resolve("config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", aws.resolve("credentials").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("TERM", "xterm-256color");
        return env;
    }
}
