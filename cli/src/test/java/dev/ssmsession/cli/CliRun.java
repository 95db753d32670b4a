package dev.ssmsession.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One in-process run of {@code ssm-session}, with captured streams. */
record CliRun(int exitCode, String out, String err) {
    static CliRun run(FakeSessions sessions, Path logFile, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliContext context = new CliContext(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(), sessions, Optional::empty);
        List<String> all = new ArrayList<>(List.of("--log-file", logFile.toString()));
        all.addAll(List.of(args));
        int code = SsmSession.execute(context, all.toArray(String[]::new));
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
