package dev.ssmsession.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The page and its assets, from this jar: serve them under one base path of your web application and the page's
 * WebSocket at {@code <base>/ws} (relative to the page), handled by a {@link WebTerminalBridge}. The page opens a
 * terminal at once when it has a {@code ?target=} parameter or when {@code <base>/api/config} is missing (your
 * handler decides what to open); {@link WebTerminalServer} also serves {@code api/config} and {@code api/instances}.
 */
public final class WebAssets {
    private static final String ROOT = "dev/ssmsession/web/assets/";
    /** Request path below the base → resource below {@link #ROOT}. */
    private static final Map<String, String> FILES = Map.of(
            "", "index.html",
            "index.html", "index.html",
            "terminal.js", "terminal.js",
            "terminal.css", "terminal.css",
            "xterm/xterm.js", "xterm/xterm.js",
            "xterm/xterm.css", "xterm/xterm.css",
            "xterm/addon-fit.js", "xterm/addon-fit.js");
    private static final Map<String, Asset> CACHE = new ConcurrentHashMap<>();

    /**
     * One file of the page.
     *
     * @param path        its path below the base ({@code ""} is the page itself)
     * @param contentType the {@code Content-Type} to serve it with
     * @param bytes       its content (do not modify)
     */
    public record Asset(String path, String contentType, byte[] bytes) {
    }

    private WebAssets() {
    }

    /** The paths below the base that {@link #get} serves. */
    public static Set<String> paths() {
        return FILES.keySet();
    }

    /** The asset at {@code path} below the base (no leading slash; {@code ""} or {@code index.html} for the page). */
    public static Optional<Asset> get(String path) {
        String resource = FILES.get(path);
        if (resource == null) {
            return Optional.empty();
        }
        return Optional.of(CACHE.computeIfAbsent(resource, r -> new Asset(path, contentType(r), load(r))));
    }

    private static byte[] load(String resource) {
        try (InputStream in = WebAssets.class.getClassLoader().getResourceAsStream(ROOT + resource)) {
            if (in == null) {
                throw new IllegalStateException("web asset " + resource + " is missing from the jar (build web with Maven,"
                        + " which fetches xterm.js)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading web asset " + resource, e);
        }
    }

    private static String contentType(String resource) {
        if (resource.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (resource.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (resource.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        return "application/octet-stream";
    }
}
