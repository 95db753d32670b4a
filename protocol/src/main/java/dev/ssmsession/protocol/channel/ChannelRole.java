package dev.ssmsession.protocol.channel;

import dev.ssmsession.protocol.crypto.EncryptedPayloads;
import dev.ssmsession.protocol.crypto.Side;
import dev.ssmsession.protocol.message.MessageType;
import dev.ssmsession.protocol.message.PayloadType;

/**
 * Which end of the data channel an engine plays. The roles differ in the message type they send and
 * receive, the SYN flag on their first data message (SPEC §2.1) and, through their {@link Side},
 * which payload types are encrypted in each direction (SPEC §5.5, decided by {@link EncryptedPayloads}
 * alone).
 */
public enum ChannelRole {
    /** The Session Manager client: sends {@code input_stream_data}, receives {@code output_stream_data}. */
    CLIENT(MessageType.INPUT_STREAM_DATA, MessageType.OUTPUT_STREAM_DATA, 0, Side.CLIENT),
    /** The agent (the testkit's simulated one): the reverse of {@link #CLIENT}. */
    AGENT(MessageType.OUTPUT_STREAM_DATA, MessageType.INPUT_STREAM_DATA, 1, Side.AGENT);

    private final MessageType sends;
    private final MessageType receives;
    private final long firstMessageFlags;
    private final Side side;

    ChannelRole(MessageType sends, MessageType receives, long firstMessageFlags, Side side) {
        this.sends = sends;
        this.receives = receives;
        this.firstMessageFlags = firstMessageFlags;
        this.side = side;
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
        return type != null && EncryptedPayloads.isEncrypted(side.outgoing(), type);
    }

    /** Whether this role decrypts an incoming payload of this type once a cipher is set (SPEC §5.5). */
    public boolean decryptsIncoming(PayloadType type) {
        return type != null && EncryptedPayloads.isEncrypted(side.incoming(), type);
    }
}
