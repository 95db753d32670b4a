package dev.ssmsession.protocol.payload;

import java.nio.charset.StandardCharsets;

/**
 * The ExitCode payload (PayloadType 12, SPEC §3.6): UTF-8 text {@code EXIT_CODE: <decimal>}.
 *
 * @param code the remote command's exit status
 */
public record ExitCode(int code) {
    private static final String PREFIX = "EXIT_CODE: ";

    /**
     * Parses an ExitCode payload. Surrounding whitespace (a trailing newline) is tolerated.
     *
     * @throws PayloadFormatException if the text is not {@code EXIT_CODE: <int>}
     */
    public static ExitCode parse(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8).strip();
        if (!text.startsWith(PREFIX)) {
            throw new PayloadFormatException("ExitCode payload does not start with '" + PREFIX + "' (" + payload.length + " bytes)");
        }
        String number = text.substring(PREFIX.length());
        try {
            return new ExitCode(Integer.parseInt(number));
        } catch (NumberFormatException e) {
            throw new PayloadFormatException("ExitCode payload has no decimal int after '" + PREFIX + "': '" + abbreviate(number) + "'", e);
        }
    }

    /** The payload text {@code EXIT_CODE: <code>} as UTF-8. */
    public byte[] toBytes() {
        return (PREFIX + code).getBytes(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s.length() <= 20 ? s : s.substring(0, 20) + "…";
    }
}
