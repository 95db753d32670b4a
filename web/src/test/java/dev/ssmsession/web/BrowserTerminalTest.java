package dev.ssmsession.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ssmsession.client.SessionManager;
import dev.ssmsession.testkit.LocalSessionManager;
import dev.ssmsession.testkit.LocalSessionManagerExtension;
import dev.ssmsession.testkit.SessionView;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WindowType;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The page in a real browser (headless Chromium driven by Selenium) against the testkit's local Session Manager:
 * the whole path from key events in xterm.js to a shell on a PTY and back. Skipped when chromium or chromedriver is
 * not installed ({@code .ci/run} installs them).
 */
class BrowserTerminalTest {
    static final String TARGET = "i-0123456789abcdef0";
    static final String OFFLINE = "i-0ffffffffffffffff";

    @RegisterExtension
    static final LocalSessionManagerExtension LOCAL = new LocalSessionManagerExtension(
            LocalSessionManager.builder().target(TARGET, "web-1").offlineTarget(OFFLINE));

    @TempDir
    static Path dir;

    static SessionManager ssm;
    static WebTerminalServer server;
    static Browser browser;
    static String url;

    @BeforeAll
    static void start() {
        assumeTrue(Browser.chromium().isPresent() && Browser.chromedriver().isPresent(),
                "chromium and chromedriver are needed (apt-get install chromium chromium-driver)");
        LocalSessionManager local = LOCAL.get();
        ssm = SessionManager.builder()
                .region(local.region())
                .ssmEndpoint(local.ssmEndpoint()).kmsEndpoint(local.kmsEndpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                        local.credentials().accessKeyId(), local.credentials().secretAccessKey(),
                        local.credentials().sessionToken())))
                .environment(Map.of())
                .build();
        server = WebTerminalServer.builder().shells(ssm::shell).instances(ssm::managedInstances).start();
        url = server.url().toString();
        browser = Browser.start(dir.resolve("profile"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
        if (ssm != null) {
            ssm.close();
        }
    }

    static String page(String target) {
        return url + "?target=" + target;
    }

    @Test
    void thePageLoadsWithTheTokenAndListsTheInstancesButNotWithoutIt() {
        URI u = URI.create(url);
        browser.driver.get("http://" + u.getHost() + ":" + u.getPort() + "/");
        assertThat(browser.driver.findElement(By.tagName("body")).getText()).startsWith("403 Forbidden");
        browser.driver.get("http://" + u.getHost() + ":" + u.getPort() + "/xterm/xterm.js");
        assertThat(browser.driver.findElement(By.tagName("body")).getText()).startsWith("403 Forbidden");

        browser.driver.get(url);
        List<String> rows = browser.until(d -> {
            List<String> r = d.findElements(By.cssSelector("#instances tbody tr")).stream()
                    .map(e -> e.getText()).collect(Collectors.toList());
            return r.size() == 2 ? r : null;
        });
        assertThat(rows).containsExactly(TARGET + " web-1 testkit Online", OFFLINE + " testkit ConnectionLost");
        browser.driver.findElement(By.linkText(TARGET)).click();
        String sessionId = browser.awaitLive();
        assertThat(LOCAL.get().session(sessionId)).map(SessionView::target).hasValue(TARGET);
    }

    @Test
    void typingRunsCommandsAndCtrlCInterrupts() {
        browser.openTerminal(page(TARGET));
        browser.type("echo $((6*7))", Keys.ENTER);
        browser.awaitLine("42");
        browser.type("sleep 600", Keys.ENTER);
        browser.type(Keys.chord(Keys.CONTROL, "c"));
        browser.type("echo after-$((1+2))", Keys.ENTER);
        browser.awaitLine("after-3");
    }

    @Test
    void aWindowResizeChangesTheRemoteTerminalSize() {
        browser.driver.manage().window().setSize(new Dimension(1000, 700));
        browser.openTerminal(page(TARGET));
        browser.type("echo size=$(stty size)", Keys.ENTER);
        String before = browser.awaitLine(l -> l.matches("size=\\d+ \\d+"), "size=ROWS COLS");
        assertThat(before).isEqualTo("size=" + browser.js("return window.ssmTerminal.rows") + " "
                + browser.js("return window.ssmTerminal.cols"));

        browser.driver.manage().window().setSize(new Dimension(640, 420));
        browser.until(d -> !before.equals("size=" + browser.js("return window.ssmTerminal.rows") + " "
                + browser.js("return window.ssmTerminal.cols")));
        String expected = "size=" + browser.js("return window.ssmTerminal.rows") + " "
                + browser.js("return window.ssmTerminal.cols");
        browser.type("echo size=$(stty size)", Keys.ENTER);
        browser.awaitLine(expected);
        browser.driver.manage().window().setSize(new Dimension(1000, 700));
    }

    @Test
    void aPasteOfTwoThousandLinesArrivesIntactAndInOrder() throws Exception {
        Path file = dir.resolve("paste.txt");
        String text = IntStream.rangeClosed(1, 2000)
                .mapToObj(i -> String.format("line %04d: the quick brown fox jumps over the lazy dog %d", i, i * 7919))
                .collect(Collectors.joining("\n", "", "\n"));
        browser.openTerminal(page(TARGET));
        browser.type("stty -echo; echo ready-$((2+3)); cat > '" + file + "'", Keys.ENTER);
        browser.awaitLine("ready-5");
        browser.js("window.ssmTerminal.paste(arguments[0])", text);
        browser.type(Keys.chord(Keys.CONTROL, "d"));
        browser.type("stty echo; echo pasted-$((3+4))", Keys.ENTER);
        browser.awaitLine("pasted-7");
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(text);
    }

    @Test
    void utf8IsTypedAndRendered() {
        browser.openTerminal(page(TARGET));
        browser.type("printf 'π≈3.14\\n'", Keys.ENTER);
        browser.awaitLine("π≈3.14");
    }

    @Test
    void outputCutInsideACharacterRendersWhole() throws Exception {
        ScriptedShell shell = new ScriptedShell("scripted");
        try (WebTerminalServer scripted = WebTerminalServer.builder().target("i-scripted")
                .shellIos((t, c, r) -> shell).start()) {
            browser.openTerminal(scripted.url().toString());
            byte[] bytes = "π≈3.14 ✓\r\n".getBytes(StandardCharsets.UTF_8);
            // one message per byte: every multi-byte character is cut across messages
            for (byte b : bytes) {
                shell.output(new byte[] {b});
            }
            browser.awaitLine("π≈3.14 ✓");
            shell.end(OptionalInt.of(3), "");
            browser.until(d -> "ended".equals(browser.js("return window.ssmSession.state")));
            assertThat(browser.js("return window.ssmSession.exitCode")).isEqualTo(3L);
            assertThat(browser.driver.findElement(By.id("status")).getText())
                    .isEqualTo("Session ended with exit status 3");
            browser.awaitLine("[session ended with exit status 3]");
        }
    }

    @Test
    void exitEndsTheSessionAndThePageSaysSo() {
        String id = browser.openTerminal(page(TARGET));
        browser.type("exit", Keys.ENTER);
        browser.until(d -> "ended".equals(browser.js("return window.ssmSession.state")));
        assertThat(browser.driver.findElement(By.id("status")).getText()).startsWith("Session ended");
        browser.awaitLine(l -> l.startsWith("[session ended"), "[session ended…]");
        browser.until(d -> LOCAL.get().session(id).map(SessionView::status).orElse("").equals("TERMINATED"));
    }

    @Test
    void severalTabsAreSeveralSessionsAndClosingOneTerminatesItsSession() {
        String main = browser.driver.getWindowHandle();
        String first = browser.openTerminal(page(TARGET));
        browser.driver.switchTo().newWindow(WindowType.TAB);
        String second = browser.openTerminal(page(TARGET));
        assertThat(second).isNotEqualTo(first);
        browser.type("echo second-$((1+1))", Keys.ENTER);
        browser.awaitLine("second-2");
        assertThat(LOCAL.get().session(first).orElseThrow().status()).isEqualTo("CONNECTED");

        browser.driver.close();                       // the tab, with the shell still running in it
        browser.driver.switchTo().window(main);
        browser.until(d -> LOCAL.get().session(second).orElseThrow().status().equals("TERMINATED"));
        assertThat(LOCAL.get().session(first).orElseThrow().status()).isEqualTo("CONNECTED");
        browser.type("echo first-$((2+2))", Keys.ENTER);
        browser.awaitLine("first-4");
    }

    @Test
    void aPageOfAnotherSiteCannotOpenASession() throws Exception {
        int before = LOCAL.get().sessions().size();
        // another site: a plain page on another loopback port, without our server's Content-Security-Policy
        HttpServer other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        other.createContext("/", exchange -> {
            byte[] body = "<!doctype html><title>another site</title><p>another site".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        other.start();
        try {
            browser.driver.get("http://127.0.0.1:" + other.getAddress().getPort() + "/");
            // it knows the URL, token and all; the browser sends its own Origin, which the server refuses
            String ws = url.replaceFirst("^http", "ws") + "ws?target=" + TARGET;
            Object outcome = browser.driver.executeAsyncScript("var done = arguments[arguments.length - 1];"
                    + "var s = new WebSocket(arguments[0]); var opened = false;"
                    + "s.onopen = function () { opened = true; };"
                    + "s.onclose = function (e) { done((opened ? 'opened ' : 'refused ') + e.code); };", ws);
            assertThat(outcome).isEqualTo("refused 1006");
        } finally {
            other.stop(0);
        }
        assertThat(LOCAL.get().sessions()).hasSize(before);
    }

    @Test
    void screenshotForTheReadme() throws Exception {
        browser.driver.manage().window().setSize(new Dimension(900, 520));
        browser.openTerminal(page(TARGET));
        browser.type("cd /tmp && PS1='$ ' exec bash --norc", Keys.ENTER);
        browser.type("clear", Keys.ENTER);
        browser.type("echo $((6*7))", Keys.ENTER);
        browser.awaitLine("42");
        browser.type("printf 'π≈3.14\\n'", Keys.ENTER);
        browser.awaitLine("π≈3.14");
        browser.type("stty size; uname -s", Keys.ENTER);
        browser.awaitLine("Linux");
        Path png = browser.driver.getScreenshotAs(OutputType.FILE).toPath();
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
        Path out = Path.of(System.getProperty("web.screenshots", "target/screenshots"));
        Files.createDirectories(out);
        Files.copy(png, out.resolve("web-terminal.png"), StandardCopyOption.REPLACE_EXISTING);
        browser.driver.manage().window().setSize(new Dimension(1000, 700));
    }
}
