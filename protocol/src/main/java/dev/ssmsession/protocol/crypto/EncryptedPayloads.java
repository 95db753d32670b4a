package dev.ssmsession.protocol.crypto;

import dev.ssmsession.protocol.message.PayloadType;

/**
 * Which payload types pass through the {@link PayloadCipher} once KMS encryption is on (SPEC §5.5).
 * Client to agent only Output is encrypted; agent to client Output, StdErr and ExitCode. Size, Flag,
 * handshake and challenge payloads are never encrypted.
 */
public final class EncryptedPayloads {
    private EncryptedPayloads() {
    }

    /** Whether a payload of {@code type} travelling in {@code direction} is an encrypted envelope. */
    public static boolean isEncrypted(Direction direction, PayloadType type) {
        return switch (direction) {
            case CLIENT_TO_AGENT -> type == PayloadType.OUTPUT;
            case AGENT_TO_CLIENT -> type == PayloadType.OUTPUT || type == PayloadType.STDERR || type == PayloadType.EXIT_CODE;
        };
    }

    /** As {@link #isEncrypted(Direction, PayloadType)} for a raw wire value; unknown values are never encrypted. */
    public static boolean isEncrypted(Direction direction, long payloadType) {
        return PayloadType.fromWire(payloadType).map(t -> isEncrypted(direction, t)).orElse(false);
    }
}
