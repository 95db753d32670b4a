package dev.ssmsession.client;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * The collected outcome of a command session.
 *
 * @param stdout   all Output bytes
 * @param stderr   all StdErr bytes
 * @param exitCode the exit status from the ExitCode payload (SPEC §3.6); empty when the document
 *                 does not report one
 */
public record CommandResult(byte[] stdout, byte[] stderr, OptionalInt exitCode) {
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "CommandResult[stdout=" + stdout.length + " bytes, stderr=" + stderr.length + " bytes, exitCode=" + exitCode + "]";
    }
}
