package dev.ssmsession.cli;

import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.TestkitCredentials;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ssm-session local}: the testkit as a standalone server for other clients (AWS CLI, SDKs, this CLI). */
@Command(name = "local", description = {
    "Run the local Session Manager (the testkit) until Ctrl-C, for the AWS CLI, SDKs and ssm-session.",
    "Prints its endpoints and the environment that points those clients at it."
})
final class LocalCommand implements Callable<Integer> {
    @ParentCommand
    SsmSession root;

    @Option(names = "--target", paramLabel = "ID", description = "A simulated managed node; repeat for more "
            + "(default " + LocalSessionManager.DEFAULT_TARGET + ").")
    List<String> targets = new ArrayList<>();

    @Option(names = "--kms", description = "Ask clients for KMS encryption (SPEC §5).")
    boolean kms;

    @Option(names = "--agent-version", paramLabel = "VERSION",
            description = "AgentVersion the simulated agent reports (default ${DEFAULT-VALUE}).",
            defaultValue = LocalSessionManager.DEFAULT_AGENT_VERSION)
    String agentVersion;

    @Option(names = "--working-directory", paramLabel = "DIR", description = "Where shells and commands start.")
    Path workingDirectory;

    @Option(names = "--accept-unsigned-api-calls", description = "Serve SSM and KMS API calls that carry no SigV4 "
            + "signature, for tools that cannot sign (curl); signed calls are still verified.")
    boolean acceptUnsignedApiCalls;

    @Override
    public Integer call() throws InterruptedIOException {
        LocalSessionManager.Builder builder = LocalSessionManager.builder().kmsEncryption(kms)
                .agentVersion(agentVersion)
                .acceptUnsignedApiCalls(acceptUnsignedApiCalls);
        targets.forEach(builder::target);
        if (workingDirectory != null) {
            builder.workingDirectory(workingDirectory);
        }
        LocalSessionManager local = builder.build().start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            local.close();
            stopped.countDown();
        }, "ssm-session-local-stop"));
        print(local, targets, root.context.out());
        root.context.err().println("Local Session Manager running; Ctrl-C stops it.");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
        return ExitCodes.OK;
    }

    /** @param targets the simulated managed nodes, as given on the command line (empty: the default one) */
    static void print(LocalSessionManager local, List<String> targets, PrintStream out) {
        TestkitCredentials credentials = local.credentials();
        String target = local.defaultTarget();
        out.println("# Local Session Manager (ssm-session testkit)");
        out.println("#   SSM API:      " + local.ssmEndpoint());
        out.println("#   KMS API:      " + local.kmsEndpoint());
        out.println("#   data channel: " + local.streamUrlBase() + "/v1/data-channel/<session-id>");
        out.println("#   region:       " + local.region());
        out.println((targets.size() > 1 ? "#   targets:      " : "#   target:       ")
                + (targets.isEmpty() ? target : String.join(", ", targets)));
        out.println("# Point the AWS CLI, the SDKs and ssm-session at it (fake credentials, valid only here):");
        out.println("export AWS_ACCESS_KEY_ID=" + credentials.accessKeyId());
        out.println("export AWS_SECRET_ACCESS_KEY=" + credentials.secretAccessKey());
        out.println("export AWS_SESSION_TOKEN=" + credentials.sessionToken());
        out.println("export AWS_REGION=" + local.region() + " AWS_DEFAULT_REGION=" + local.region());
        out.println("export AWS_ENDPOINT_URL_SSM=" + local.ssmEndpoint());
        out.println("export AWS_ENDPOINT_URL_KMS=" + local.kmsEndpoint());
        out.println("# Then, for example:");
        out.println("#   ssm-session start --target " + target);
        out.println("#   ssm-session exec --target " + target + " -- uname -a");
        out.println("#   aws ssm start-session --target " + target + " --endpoint-url " + local.ssmEndpoint()
                + "   # with cli/target/bin first on PATH");
        out.flush();
    }
}
