package dev.ssmsession.web;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Headless Chromium through chromedriver (Debian's packages), and the page's terminal as seen from JavaScript. */
final class Browser implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(60);

    final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** The first of {@code names} on PATH, if any. */
    static Optional<Path> onPath(String... names) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : names) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    static Optional<Path> chromium() {
        return onPath("chromium", "chromium-browser", "google-chrome");
    }

    static Optional<Path> chromedriver() {
        return onPath("chromedriver");
    }

    /** Starts a fresh headless browser (own profile directory, no network services of its own). */
    static Browser start(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium().orElseThrow().toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1000,700");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver().orElseThrow().toFile()).usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options));
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Opens the page and waits until its session is live; returns the session id. */
    String openTerminal(String url) {
        driver.get(url);
        return awaitLive();
    }

    String awaitLive() {
        until(d -> "live".equals(js("return window.ssmSession && window.ssmSession.state")));
        return (String) js("return window.ssmSession.sessionId");
    }

    /** Every line of xterm's active buffer (scrollback included), trailing blanks trimmed. */
    @SuppressWarnings("unchecked")
    List<String> lines() {
        return (List<String>) js("var b = window.ssmTerminal.buffer.active, out = [];"
                + "for (var i = 0; i < b.length; i++) { out.push(b.getLine(i).translateToString(true)); }"
                + "return out;");
    }

    /** Types into the terminal as a user would (key events into xterm's input element). */
    void type(CharSequence... keys) {
        driver.findElement(By.cssSelector(".xterm-helper-textarea")).sendKeys(keys);
    }

    /** Waits until some line of the terminal satisfies {@code line}; returns it. */
    String awaitLine(Predicate<String> line, String what) {
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        wait.withMessage(() -> "no line " + what + " in the terminal:\n" + String.join("\n", lines()));
        return wait.until(d -> lines().stream().filter(line).findFirst().orElse(null));
    }

    String awaitLine(String exact) {
        return awaitLine(exact::equals, "equal to '" + exact + "'");
    }

    <T> T until(java.util.function.Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT).until(condition::apply);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
