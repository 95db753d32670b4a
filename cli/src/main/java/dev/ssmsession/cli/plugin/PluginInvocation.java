package dev.ssmsession.cli.plugin;

import dev.ssmsession.protocol.json.Json;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The arguments of one {@code session-manager-plugin} run, read exactly as the AWS CLI passes them (SPEC §9):
 * {@code <response JSON | AWS_SSM_START_SESSION_RESPONSE* env name> <region> StartSession [profile]
 * [request JSON] [ssm endpoint]}.
 *
 * @param profile empty when the CLI runs without one
 * @param target the {@code Target} of the request JSON, empty for the legacy 3-argument form
 * @param documentName the {@code DocumentName} of the request JSON, empty when it names none (the default shell)
 * @param ssmEndpoint where to send ResumeSession/TerminateSession; empty for ECS Exec, whose argv[6] is the ECS
 *     endpoint (the SSM endpoint then comes from the region)
 * @param ecs an ECS Exec session ({@code aws ecs execute-command})
 * @param legacy the 3-argument form of old AWS CLIs: KMS encryption cannot be used (SPEC §4.3)
 */
public record PluginInvocation(
        SessionResponse response,
        String region,
        String profile,
        String target,
        String documentName,
        Optional<URI> ssmEndpoint,
        boolean ecs,
        boolean legacy) {

    public static final String OPERATION = "StartSession";
    public static final String RESPONSE_ENV_PREFIX = "AWS_SSM_START_SESSION_RESPONSE";
    static final String INSTALLED = "\nThe Session Manager plugin was installed successfully. "
            + "Use the AWS CLI to start a session.\n\n";

    /** What the argument list asks for. */
    public sealed interface Request permits Installed, ShowVersion, Start {}

    /** No arguments: the AWS CLI's installation check (ECS Exec runs it first; must exit 0). */
    public record Installed() implements Request {}

    /** {@code --version}: the AWS CLI picks the response hand-over from it. */
    public record ShowVersion() implements Request {}

    /** Start (attach to) the session. */
    public record Start(PluginInvocation invocation) implements Request {}

    /** The arguments cannot be used; {@link #getMessage()} is the text to print. */
    public static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * Reads the arguments (without the program name).
     *
     * @param env the process environment
     * @param unsetEnv called with the name of the env var the response was read from. The JVM cannot remove a
     *     variable from its own environment; the caller makes sure it reaches no child process.
     */
    public static Request parse(List<String> args, Map<String, String> env, Consumer<String> unsetEnv) {
        int argc = args.size() + 1; // SPEC §9 counts argv[0]
        if (argc == 1) {
            return new Installed();
        }
        if (argc == 2 && args.get(0).equals("--version")) {
            return new ShowVersion();
        }
        if (argc <= 3) {
            throw new UsageException("\nUnknown operation " + args.get(0)
                    + ". \nUse session-manager-plugin --version to check the version.\n");
        }
        if (!OPERATION.equals(args.get(2))) {
            throw new UsageException("Invalid Operation " + args.get(2) + " (expected " + OPERATION + ")");
        }
        SessionResponse response = SessionResponse.parse(responseJson(args.get(0), env, unsetEnv));
        String region = args.get(1);
        String profile = argc >= 5 ? args.get(3) : "";
        Map<?, ?> request = argc >= 6 ? request(args.get(4)) : Map.of();
        String target = argc >= 6 ? target(request) : "";
        String documentName = request.get("DocumentName") instanceof String name ? name : "";
        boolean ecs = target.startsWith("ecs:");
        Optional<URI> endpoint = argc >= 7 ? endpoint(args.get(5)) : Optional.empty();
        if (endpoint.isPresent() && isEcsEndpoint(endpoint.get())) {
            ecs = true;
        }
        if (ecs) {
            endpoint = Optional.empty(); // ECS Exec passes the ECS endpoint: never send SSM calls there
        }
        return new Start(new PluginInvocation(response, region, profile, target, documentName, endpoint, ecs,
                argc == 4));
    }

    private static String responseJson(String arg, Map<String, String> env, Consumer<String> unsetEnv) {
        if (!arg.startsWith(RESPONSE_ENV_PREFIX)) {
            return arg;
        }
        String value = env.get(arg);
        if (value == null) {
            throw new IllegalArgumentException("environment variable " + arg + " is not set");
        }
        unsetEnv.accept(arg);
        return value;
    }

    /**
     * For the log. Written out rather than the record's generated {@code toString}, whose first call bootstraps
     * method handles: ~25 ms of the plugin's start-up for one log line.
     */
    @Override
    public String toString() {
        return new StringBuilder("PluginInvocation[response=").append(response).append(", region=").append(region)
                .append(", profile=").append(profile).append(", target=").append(target).append(", documentName=")
                .append(documentName).append(", ssmEndpoint=").append(ssmEndpoint).append(", ecs=").append(ecs)
                .append(", legacy=").append(legacy).append(']').toString();
    }

    private static Map<?, ?> request(String requestJson) {
        Object root;
        try {
            root = Json.parse(requestJson);
        } catch (Json.Malformed e) {
            throw new IllegalArgumentException("the request parameters are not valid JSON (" + e.getMessage() + ")");
        }
        return root instanceof Map<?, ?> map ? map : Map.of();
    }

    private static String target(Map<?, ?> request) {
        if (!(request.get("Target") instanceof String target) || target.isEmpty()) {
            throw new IllegalArgumentException("the request parameters have no Target");
        }
        return target;
    }

    private static Optional<URI> endpoint(String value) {
        if (value.isBlank()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(value.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("the endpoint URL " + value + " has no scheme or host");
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the endpoint URL " + value + " is not a URL: " + e.getReason(), e);
        }
    }

    private static boolean isEcsEndpoint(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return host.startsWith("ecs.") || host.startsWith("ecs-fips.");
    }
}
