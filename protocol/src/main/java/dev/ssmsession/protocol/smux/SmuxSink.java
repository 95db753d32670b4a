package dev.ssmsession.protocol.smux;

/**
 * Where a {@link SmuxSession} puts bytes for the peer. Called synchronously under the owner's lock;
 * must not block, must not throw (queue the bytes; report transport failure by closing the session
 * later) and must not call back into the session, except {@link SmuxSession#outputWritten(int)}.
 * Frames need not line up with the transport's messages: the owner may cut and join them freely.
 */
@FunctionalInterface
public interface SmuxSink {
    /**
     * One whole frame, header and data. The array is fresh and now belongs to the sink. The owner
     * reports its length through {@link SmuxSession#outputWritten(int)} once it has passed the bytes
     * on (e.g. the data channel accepted them); until then they count against
     * {@link SmuxConfig#maxOutgoingBuffer()}.
     */
    void send(byte[] frame);
}
