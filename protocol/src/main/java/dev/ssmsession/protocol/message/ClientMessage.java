package dev.ssmsession.protocol.message;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One data-channel message (SPEC §2): the fixed header fields and the payload exactly as carried
 * on the wire (the ciphertext envelope when KMS encryption is on). HeaderLength, PayloadLength and
 * PayloadDigest are derived by {@link ClientMessageCodec} and are therefore not fields here.
 *
 * @param messageType    the MessageType text; see {@link MessageType} for the known values
 * @param schemaVersion  always 1 for what a client sends; not checked on receive
 * @param createdDate    epoch milliseconds when the message was first serialized
 * @param sequenceNumber per-direction stream sequence for data messages, 0 for acks
 * @param flags          bit 0 SYN, bit 1 FIN; informational only
 * @param messageId      the message id, written half-swapped on the wire (SPEC §2.2)
 * @param payloadType    the uint32 PayloadType; see {@link PayloadType}
 * @param payload        the payload bytes; the array is not copied, callers must not mutate it
 */
public record ClientMessage(
        String messageType,
        long schemaVersion,
        long createdDate,
        long sequenceNumber,
        long flags,
        UUID messageId,
        long payloadType,
        byte[] payload) {

    /** SYN: the receiver treats SequenceNumber as the first of the stream. */
    public static final long FLAG_SYN = 1;
    /** FIN: the final message of the sequence. */
    public static final long FLAG_FIN = 2;

    public ClientMessage {
        Objects.requireNonNull(messageType, "messageType");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(payload, "payload");
    }

    /** The known message type, if the text is one. */
    public Optional<MessageType> type() {
        return MessageType.fromWire(messageType);
    }

    /** Whether this message has the given type. */
    public boolean is(MessageType type) {
        return type.wire().equals(messageType);
    }

    /** The known payload type, if the value is one. */
    public Optional<PayloadType> knownPayloadType() {
        return PayloadType.fromWire(payloadType);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientMessage m
                && messageType.equals(m.messageType)
                && schemaVersion == m.schemaVersion
                && createdDate == m.createdDate
                && sequenceNumber == m.sequenceNumber
                && flags == m.flags
                && messageId.equals(m.messageId)
                && payloadType == m.payloadType
                && Arrays.equals(payload, m.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(messageType, schemaVersion, createdDate, sequenceNumber, flags, messageId, payloadType)
                * 31 + Arrays.hashCode(payload);
    }

    /** Names the header fields and the payload size, never the payload bytes. */
    @Override
    public String toString() {
        return "ClientMessage[" + messageType + " seq=" + sequenceNumber + " id=" + messageId
                + " payloadType=" + payloadType + " flags=" + flags + " createdDate=" + createdDate
                + " payload=" + payload.length + " bytes]";
    }
}
