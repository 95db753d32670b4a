package dev.ssmsession.protocol.channel;

import dev.ssmsession.protocol.message.MessageType;
import dev.ssmsession.protocol.message.PayloadType;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which end of the data channel an engine plays. The roles differ in the message type they send and
 * receive, the SYN flag on their first data message (SPEC §2.1) and which payload types are
 * encrypted in each direction (SPEC §5.5).
 */
public enum ChannelRole {
    /** The Session Manager client: sends {@code input_stream_data}, receives {@code output_stream_data}. */
    CLIENT(MessageType.INPUT_STREAM_DATA, MessageType.OUTPUT_STREAM_DATA, 0,
            EnumSet.of(PayloadType.OUTPUT),
            EnumSet.of(PayloadType.OUTPUT, PayloadType.STDERR, PayloadType.EXIT_CODE)),
    /** The agent (the testkit's simulated one): the reverse of {@link #CLIENT}. */
    AGENT(MessageType.OUTPUT_STREAM_DATA, MessageType.INPUT_STREAM_DATA, 1,
            EnumSet.of(PayloadType.OUTPUT, PayloadType.STDERR, PayloadType.EXIT_CODE),
            EnumSet.of(PayloadType.OUTPUT));

    private final MessageType sends;
    private final MessageType receives;
    private final long firstMessageFlags;
    private final Set<PayloadType> encryptedOut;
    private final Set<PayloadType> encryptedIn;

    ChannelRole(MessageType sends, MessageType receives, long firstMessageFlags,
                Set<PayloadType> encryptedOut, Set<PayloadType> encryptedIn) {
        this.sends = sends;
        this.receives = receives;
        this.firstMessageFlags = firstMessageFlags;
        this.encryptedOut = encryptedOut;
        this.encryptedIn = encryptedIn;
    }

    /** The MessageType of the data messages this role sends. */
    public MessageType sends() {
        return sends;
    }

    /** The MessageType of the data messages this role receives. */
    public MessageType receives() {
        return receives;
    }

    /** Flags of a data message: the agent marks its first one SYN, everything else carries 0 (SPEC §2.1). */
    long flagsFor(long sequenceNumber) {
        return sequenceNumber == 0 ? firstMessageFlags : 0;
    }

    /** Whether this role encrypts an outgoing payload of this type once a cipher is set (SPEC §5.5). */
    public boolean encryptsOutgoing(PayloadType type) {
        return type != null && encryptedOut.contains(type);
    }

    /** Whether this role decrypts an incoming payload of this type once a cipher is set (SPEC §5.5). */
    public boolean decryptsIncoming(PayloadType type) {
        return type != null && encryptedIn.contains(type);
    }
}
