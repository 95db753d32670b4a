package dev.ssmsession.client.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import dev.ssmsession.client.PortForward;
import dev.ssmsession.client.Session;
import dev.ssmsession.client.SessionException;
import dev.ssmsession.client.SessionInfo;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.SessionRequest;
import dev.ssmsession.client.SessionToken;
import dev.ssmsession.client.ShellSession;
import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.TestkitCredentials;
import dev.ssmsession.testkit.TinyProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A full session at TRACE (a KMS-encrypted shell with a reconnect, a port forward, failures), through a proxy
 * that wants a password, with credentials that rotate on every resolution: no session token value, secret
 * access key, session token, KMS data key or proxy password appears in any log line of the client side (the
 * testkit's own loggers, the service's side, are left out), in any exception, or in the {@code toString()} of
 * the public objects.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecretsIntegrationTest {
    private static final String PROXY_PASSWORD = "Pr0xy-Pa55w0rd-do-not-log";
    /**
     * The AWS SDK's own SigV4 signer logs the canonical request at DEBUG, and with it the {@code x-amz-security-token}
     * header: a session token. No library on top of the SDK can stop that through SLF4J; the CLI keeps
     * {@code software.amazon.awssdk} at INFO, and README "Guarantees" tells library users to do the same. Its
     * lines are left out here; everything else, the SDK's other loggers included, is checked.
     */
    private static final String SDK_SIGNER = "software.amazon.awssdk.http.auth.aws.internal.signer";
    private static final Pattern TOKEN_VALUE = Pattern.compile("\"TokenValue\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern PLAINTEXT = Pattern.compile("\"Plaintext\"\\s*:\\s*\"([^\"]+)\"");

    @TempDir
    Path dir;

    /** Records every set of credentials it hands out (a new one per resolution, as STS refreshes give). */
    static final class RecordingCredentials implements AwsCredentialsProvider {
        final List<TestkitCredentials> issued = new CopyOnWriteArrayList<>();
        private final LocalSessionManager local;

        RecordingCredentials(LocalSessionManager local) {
            this.local = local;
            issued.add(local.credentials());
        }

        @Override
        public AwsCredentials resolveCredentials() {
            TestkitCredentials c = local.issueCredentials();
            issued.add(c);
            return AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
        }
    }

    /** Keeps every event, rendered as a log line would be: message, arguments, MDC and stack trace. */
    static final class Capture extends AppenderBase<ILoggingEvent> {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent e) {
            if (e.getLoggerName().startsWith("dev.ssmsession.testkit") || e.getLoggerName().startsWith("org.java_websocket")) {
                return;  // the service's side, which hands the secrets out
            }
            StringBuilder line = new StringBuilder().append(e.getLevel()).append(' ').append(e.getLoggerName())
                    .append(" [").append(e.getThreadName()).append("] ").append(e.getFormattedMessage())
                    .append(' ').append(e.getMDCPropertyMap());
            if (e.getArgumentArray() != null) {
                for (Object a : e.getArgumentArray()) {
                    line.append(" | ").append(a);
                }
            }
            if (e.getThrowableProxy() != null) {
                line.append('\n').append(ThrowableProxyUtil.asString(e.getThrowableProxy()));
            }
            lines.add(line.toString());
        }
    }

    @Test
    void noSecretReachesALogLineAnExceptionOrToString() throws Exception {
        assumeThat(TinyProxy.binary()).as("tinyproxy is installed (.ci/run installs it)").isPresent();
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level level = root.getLevel();
        List<Appender<ILoggingEvent>> console = new ArrayList<>();
        root.iteratorForAppenders().forEachRemaining(console::add);
        Capture capture = new Capture();
        capture.setContext(logback);
        capture.start();
        console.forEach(root::detachAppender);  // TRACE of everything would flood the test output
        root.addAppender(capture);
        root.setLevel(Level.TRACE);
        List<String> observed = new ArrayList<>();
        RecordingCredentials credentials;
        String answers;
        try (LocalSessionManager local = LocalSessionManager.builder().kmsEncryption(true).requireSigV4(true)
                .target(LocalSessionManager.DEFAULT_TARGET).offlineTarget("i-0ffffffffffffffff").build().start();
             TapRelay api = new TapRelay(local.ssmEndpoint().getPort());
             TinyProxy proxy = TinyProxy.start(dir, "BasicAuth alice " + PROXY_PASSWORD);
             EchoServer echo = new EchoServer()) {
            credentials = new RecordingCredentials(local);
            URI tapped = URI.create("http://127.0.0.1:" + api.port());
            try (SessionManager manager = Testkit.managerFor(local).credentialsProvider(credentials)
                    .ssmEndpoint(tapped).kmsEndpoint(tapped)
                    .proxy(URI.create(proxy.url("alice:" + PROXY_PASSWORD))).build()) {
                observed.add(manager.toString());

                // A KMS-encrypted shell, attached from its token as the plugin does, with a reconnect.
                SessionToken token = manager.startSession(SessionRequest.shell(local.defaultTarget()));
                observed.add(token.toString());
                try (Session session = manager.open(token, local.defaultTarget())) {
                    ShellSession shell = session.shell();
                    SessionInfo info = session.awaitInfo(Duration.ofSeconds(20));
                    assertThat(info.encrypted()).isTrue();
                    shell.stdin().write("echo one-$((1+0))\r".getBytes(StandardCharsets.UTF_8));
                    FaultMatrixIntegrationTest.readUntil(shell.stdout(), "one-1");
                    local.cutConnection(session.sessionId());
                    shell.stdin().write("echo two-$((1+1))\r".getBytes(StandardCharsets.UTF_8));
                    FaultMatrixIntegrationTest.readUntil(shell.stdout(), "two-2");
                    assertThat(session.reconnects()).isEqualTo(1);
                    observed.addAll(List.of(session.toString(), info.toString(), shell.toString(),
                            session.awaitEnd(Duration.ofMillis(1)).toString()));
                } catch (SessionException expected) {
                    observed.add(describe(expected));  // awaitEnd timed out: the shell is still running
                }

                // A port forward with one connection, then closed.
                try (PortForward fwd = manager.forwardPort(local.defaultTarget(), null, echo.port(),
                        PortForward.Options.defaults())) {
                    SessionInfo info = fwd.session().awaitInfo(Duration.ofSeconds(20));
                    try (Socket s = new Socket(fwd.localAddress().getAddress(), fwd.localAddress().getPort())) {
                        Transfers.assertEchoes(s, 64 * 1024, 3);
                    }
                    observed.addAll(List.of(fwd.toString(), info.toString(), fwd.session().toString()));
                    fwd.close();
                    observed.add(fwd.ended().get(20, TimeUnit.SECONDS).toString());
                }

                // Failures: an offline target, a token that was already used, a bad token.
                observed.add(describe(catchThrowable(() -> manager.start(SessionRequest.shell("i-0ffffffffffffffff")))));
                observed.add(describe(catchThrowable(() -> manager.open(token, local.defaultTarget())
                        .awaitInfo(Duration.ofSeconds(20)))));
                observed.add(describe(catchThrowable(() -> manager.open(token.withToken("forged-" + token.tokenValue()),
                        local.defaultTarget()).awaitInfo(Duration.ofSeconds(20)))));
                observed.add(describe(catchThrowable(() -> SessionToken.fromJson(
                        "{\"SessionId\":\"s-1\",\"TokenValue\":\"" + token.tokenValue() + "\",\"StreamUrl\":\"https://x\"}"))));
                observed.add(describe(catchThrowable(() -> SessionToken.fromJson(
                        "{\"SessionId\":\"s-1\",\"TokenValue\":\"" + token.tokenValue() + "\" broken"))));
            }
            answers = api.answers();
        } finally {
            root.setLevel(level);
            root.detachAppender(capture);
            console.forEach(root::addAppender);
        }

        Set<String> secrets = new LinkedHashSet<>();
        secrets.add(PROXY_PASSWORD);
        for (TestkitCredentials c : credentials.issued) {
            secrets.add(c.secretAccessKey());
            secrets.add(c.sessionToken());
        }
        List<String> tokens = all(TOKEN_VALUE, answers);
        List<String> dataKeys = all(PLAINTEXT, answers);
        assertThat(tokens).as("token values of both StartSessions and the ResumeSession, seen on the wire").hasSizeGreaterThanOrEqualTo(3);
        assertThat(dataKeys).as("KMS data keys seen on the wire").isNotEmpty();
        secrets.addAll(tokens);
        for (String k : dataKeys) {
            byte[] key = Base64.getDecoder().decode(k);
            secrets.add(k);
            secrets.add(HexFormat.of().formatHex(key));
            for (int half = 0; half + 32 <= key.length; half += 32) {  // one AES-256 key per direction
                byte[] part = java.util.Arrays.copyOfRange(key, half, half + 32);
                secrets.add(Base64.getEncoder().encodeToString(part));
                secrets.add(HexFormat.of().formatHex(part));
            }
        }

        assertThat(capture.lines).as("TRACE logging captured the client's work").hasSizeGreaterThan(50);
        List<String> leaks = new ArrayList<>();
        for (String secret : secrets) {
            assertThat(secret.length()).isGreaterThanOrEqualTo(12);
            for (String l : capture.lines) {
                if (l.contains(" " + SDK_SIGNER + ".")) {
                    continue;  // see SDK_SIGNER
                }
                if (containsIgnoringCase(l, secret)) {
                    leaks.add("log line has " + secret + ": " + l);
                }
            }
            for (String o : observed) {
                if (containsIgnoringCase(o, secret)) {
                    leaks.add("exception or toString() has " + secret + ": " + o);
                }
            }
        }
        assertThat(leaks).as("secrets that leaked").isEmpty();
    }

    private static boolean containsIgnoringCase(String text, String secret) {
        return text.toLowerCase(java.util.Locale.ROOT).contains(secret.toLowerCase(java.util.Locale.ROOT));
    }

    private static List<String> all(Pattern p, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The exception as a user sees it: toString, message and the full stack trace with every cause. */
    private static String describe(Throwable t) {
        assertThat(t).isNotNull();
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return t + "\n" + t.getMessage() + "\n" + w;
    }
}
