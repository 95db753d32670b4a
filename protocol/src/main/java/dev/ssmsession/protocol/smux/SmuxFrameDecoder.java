package dev.ssmsession.protocol.smux;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A resumable smux frame decoder: feed it the peer's byte stream in chunks of any size (smux frames
 * do not line up with SSM messages, SPEC §8.4); it keeps partial headers and bodies between calls.
 * A wrong version, an unknown command or a PSH longer than the max frame size moves it to
 * {@link State#CORRUPT} for good: frame boundaries are lost, so all later input is refused.
 * Not thread-safe.
 */
public final class SmuxFrameDecoder {

    /** Where the decoder is within the byte stream. */
    public enum State {
        /** Collecting the 8-byte header. */
        HEADER,
        /** Collecting a PSH or UPD body. */
        BODY,
        /** A protocol error was seen; every further call throws. */
        CORRUPT
    }

    private static final byte[] EMPTY = new byte[0];

    private final SmuxVersion version;
    private final int maxFrameSize;
    private final byte[] header = new byte[SmuxFrameCodec.HEADER_LENGTH];
    private int headerFill;
    private SmuxCommand command;
    private long streamId;
    private byte[] body;
    private int bodyFill;
    private State state = State.HEADER;
    private SmuxProtocolException error;

    /**
     * @param maxFrameSize the largest PSH body accepted, {@code 1..65535}
     */
    public SmuxFrameDecoder(SmuxVersion version, int maxFrameSize) {
        this.version = Objects.requireNonNull(version, "version");
        if (maxFrameSize < 1 || maxFrameSize > SmuxFrameCodec.MAX_DATA_LENGTH) {
            throw new IllegalArgumentException("smux max frame size must be 1..65535, got " + maxFrameSize);
        }
        this.maxFrameSize = maxFrameSize;
    }

    public State state() {
        return state;
    }

    /** The error that made the decoder corrupt, if any. */
    public Optional<SmuxProtocolException> error() {
        return Optional.ofNullable(error);
    }

    /** Decodes every complete frame in the chunk; partial input is kept for the next call. */
    public List<SmuxFrame> decodeAll(byte[] b, int off, int len) {
        List<SmuxFrame> frames = new ArrayList<>();
        decode(b, off, len, f -> {
            frames.add(f);
            return true;
        });
        return frames;
    }

    /**
     * Decodes frames from {@code b[off..off+len)} and passes each to {@code sink} in order, stopping
     * right after a frame for which {@code sink} returns {@code false} (so a caller can stop reading,
     * e.g. when its receive buffer is full, and resume with the remaining bytes later).
     *
     * @return the number of bytes consumed; less than {@code len} only if {@code sink} asked to stop
     * @throws SmuxProtocolException naming the offending value when the input is not valid smux,
     *         and on every call once corrupt
     */
    public int decode(byte[] b, int off, int len, Predicate<SmuxFrame> sink) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (state == State.CORRUPT) {
            throw new SmuxProtocolException("smux decoder is corrupt and refuses further input: " + error.getMessage(), error);
        }
        int pos = off;
        int end = off + len;
        while (pos < end) {
            SmuxFrame frame;
            if (state == State.HEADER) {
                int n = Math.min(header.length - headerFill, end - pos);
                System.arraycopy(b, pos, header, headerFill, n);
                headerFill += n;
                pos += n;
                if (headerFill < header.length) {
                    break;
                }
                headerFill = 0;
                frame = parseHeader();
                if (frame == null) {
                    continue;
                }
            } else {
                int n = Math.min(body.length - bodyFill, end - pos);
                System.arraycopy(b, pos, body, bodyFill, n);
                bodyFill += n;
                pos += n;
                if (bodyFill < body.length) {
                    break;
                }
                frame = new SmuxFrame(version, command, streamId, body);
                body = null;
                state = State.HEADER;
            }
            if (!sink.test(frame)) {
                break;
            }
        }
        return pos - off;
    }

    /** Validates the complete header; returns a body-less frame, or null after switching to BODY. */
    private SmuxFrame parseHeader() {
        int v = header[SmuxFrameCodec.VERSION_OFFSET] & 0xFF;
        if (v != version.wire()) {
            throw corrupt("smux frame version " + v + " does not match the session's version " + version.wire());
        }
        int cmdWire = header[SmuxFrameCodec.CMD_OFFSET] & 0xFF;
        SmuxCommand cmd = SmuxCommand.fromWire(cmdWire, version)
                .orElseThrow(() -> corrupt("unknown smux command " + cmdWire + " in version " + version.wire()));
        int length = SmuxFrameCodec.getUint16(header, SmuxFrameCodec.LENGTH_OFFSET);
        long sid = SmuxFrameCodec.getUint32(header, SmuxFrameCodec.STREAM_ID_OFFSET);
        int bodyLength;
        switch (cmd) {
            case PSH -> {
                if (length > maxFrameSize) {
                    throw corrupt("smux PSH frame of " + length + " bytes on stream " + sid
                            + " exceeds the max frame size " + maxFrameSize);
                }
                bodyLength = length;
            }
            // Go's recvLoop reads exactly 8 bytes for UPD whatever the length field says (SPEC §10.2).
            case UPD -> bodyLength = SmuxFrameCodec.UPD_BODY_LENGTH;
            // SYN/FIN/NOP: the length is ignored and no data is read (SPEC §10.2).
            default -> bodyLength = 0;
        }
        if (bodyLength == 0) {
            return new SmuxFrame(version, cmd, sid, EMPTY);
        }
        command = cmd;
        streamId = sid;
        body = new byte[bodyLength];
        bodyFill = 0;
        state = State.BODY;
        return null;
    }

    private SmuxProtocolException corrupt(String message) {
        state = State.CORRUPT;
        body = null;
        error = new SmuxProtocolException(message);
        return error;
    }
}
