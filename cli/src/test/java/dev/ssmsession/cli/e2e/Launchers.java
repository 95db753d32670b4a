package dev.ssmsession.cli.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the packaged launchers ({@code cli/target/bin}) as real processes. */
final class Launchers {
    private Launchers() {}

    static Path bin() {
        String bin = System.getProperty("ssmsession.bin");
        Path path = bin != null ? Path.of(bin) : Path.of("target", "bin").toAbsolutePath();
        if (!Files.isExecutable(path.resolve("ssm-session"))) {
            throw new IllegalStateException("launchers not built at " + path + " (run mvn package first)");
        }
        return path;
    }

    record Result(int exitCode, String out, String err) {}

    static Result run(List<String> command, Map<String, String> env, byte[] stdin, long timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        Process process = builder.start();
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try (var in = process.getOutputStream()) {
            in.write(stdin);
        } catch (IOException closedEarly) {
            // the process may exit before reading its stdin
        }
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out after " + timeoutSeconds + "s: " + command + "\nstdout: "
                    + out.getNow("") + "\nstderr: " + err.getNow(""));
        }
        return new Result(process.exitValue(), out.join(), err.join());
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (InputStream in = stream) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                in.transferTo(buffer);
                return buffer.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
