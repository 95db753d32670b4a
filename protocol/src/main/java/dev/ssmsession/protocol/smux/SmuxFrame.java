package dev.ssmsession.protocol.smux;

import java.util.Arrays;
import java.util.Objects;

/**
 * One smux frame. {@code data} is not copied (frames carry up to 64 KiB and are built once per
 * read or write); do not modify it after construction. For UPD it is the 8-byte body, read it
 * with {@link #updConsumed()} and {@link #updWindow()}.
 *
 * @param streamId unsigned 32-bit stream id, {@code 0..0xFFFFFFFF}
 */
public record SmuxFrame(SmuxVersion version, SmuxCommand command, long streamId, byte[] data) {

    private static final byte[] EMPTY = new byte[0];

    public SmuxFrame {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(data, "data");
        if (streamId < 0 || streamId > SmuxFrameCodec.MAX_STREAM_ID) {
            throw new IllegalArgumentException("smux stream id must be a uint32, got " + streamId);
        }
        if (!command.existsIn(version)) {
            throw new IllegalArgumentException("smux " + command + " does not exist in version " + version.wire());
        }
        switch (command) {
            case PSH -> {
                if (data.length > SmuxFrameCodec.MAX_DATA_LENGTH) {
                    throw new IllegalArgumentException("smux PSH data of " + data.length + " bytes exceeds the uint16 length field");
                }
            }
            case UPD -> {
                if (data.length != SmuxFrameCodec.UPD_BODY_LENGTH) {
                    throw new IllegalArgumentException("smux UPD body must be 8 bytes, got " + data.length);
                }
            }
            default -> {
                if (data.length != 0) {
                    throw new IllegalArgumentException("smux " + command + " carries no data, got " + data.length + " bytes");
                }
            }
        }
    }

    public static SmuxFrame syn(SmuxVersion version, long streamId) {
        return new SmuxFrame(version, SmuxCommand.SYN, streamId, EMPTY);
    }

    public static SmuxFrame fin(SmuxVersion version, long streamId) {
        return new SmuxFrame(version, SmuxCommand.FIN, streamId, EMPTY);
    }

    public static SmuxFrame psh(SmuxVersion version, long streamId, byte[] data) {
        return new SmuxFrame(version, SmuxCommand.PSH, streamId, data);
    }

    /** A keepalive; always on stream 0 (SPEC §10.2). */
    public static SmuxFrame nop(SmuxVersion version) {
        return new SmuxFrame(version, SmuxCommand.NOP, 0, EMPTY);
    }

    /** A v2 window update: {@code consumed} total bytes read on the stream (mod 2^32), {@code window} bytes. */
    public static SmuxFrame upd(long streamId, long consumed, long window) {
        byte[] body = new byte[SmuxFrameCodec.UPD_BODY_LENGTH];
        SmuxFrameCodec.putUint32(body, 0, consumed);
        SmuxFrameCodec.putUint32(body, 4, window);
        return new SmuxFrame(SmuxVersion.V2, SmuxCommand.UPD, streamId, body);
    }

    /** UPD only: the peer's total consumed byte count, unsigned 32-bit. */
    public long updConsumed() {
        requireUpd();
        return SmuxFrameCodec.getUint32(data, 0);
    }

    /** UPD only: the peer's receive window in bytes, unsigned 32-bit. */
    public long updWindow() {
        requireUpd();
        return SmuxFrameCodec.getUint32(data, 4);
    }

    private void requireUpd() {
        if (command != SmuxCommand.UPD) {
            throw new IllegalStateException("not a UPD frame: " + command);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SmuxFrame f
                && version == f.version
                && command == f.command
                && streamId == f.streamId
                && Arrays.equals(data, f.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, command, streamId, Arrays.hashCode(data));
    }

    /** Names the frame and its data length; never the data. */
    @Override
    public String toString() {
        return "SmuxFrame[v" + version.wire() + " " + command + " sid=" + streamId + " len=" + data.length + "]";
    }
}
