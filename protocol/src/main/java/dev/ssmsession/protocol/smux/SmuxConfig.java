package dev.ssmsession.protocol.smux;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable smux session settings. Defaults are xtaci/smux's {@code DefaultConfig()}, which both
 * the Go plugin and the agent use (SPEC §8.4, §10): version 1, max frame 32768, receive buffer
 * 4 MiB, stream buffer 64 KiB, keepalive on every 10 s with a 30 s timeout.
 */
public final class SmuxConfig {
    public static final int DEFAULT_MAX_FRAME_SIZE = 32768;
    public static final int DEFAULT_MAX_RECEIVE_BUFFER = 4 * 1024 * 1024;
    public static final int DEFAULT_MAX_STREAM_BUFFER = 65536;
    /** Our own bound on frame bytes handed to the output sink and not yet reported written. */
    public static final int DEFAULT_MAX_OUTGOING_BUFFER = 256 * 1024;
    public static final Duration DEFAULT_KEEPALIVE_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_KEEPALIVE_TIMEOUT = Duration.ofSeconds(30);

    private final SmuxVersion version;
    private final int maxFrameSize;
    private final int maxReceiveBuffer;
    private final int maxStreamBuffer;
    private final int maxOutgoingBuffer;
    private final boolean keepAlive;
    private final Duration keepAliveInterval;
    private final Duration keepAliveTimeout;

    private SmuxConfig(Builder b) {
        this.version = Objects.requireNonNull(b.version, "version");
        this.maxFrameSize = b.maxFrameSize;
        this.maxReceiveBuffer = b.maxReceiveBuffer;
        this.maxStreamBuffer = b.maxStreamBuffer;
        this.maxOutgoingBuffer = b.maxOutgoingBuffer;
        this.keepAlive = b.keepAlive;
        this.keepAliveInterval = Objects.requireNonNull(b.keepAliveInterval, "keepAliveInterval");
        this.keepAliveTimeout = Objects.requireNonNull(b.keepAliveTimeout, "keepAliveTimeout");
        if (maxFrameSize < 1 || maxFrameSize > SmuxFrameCodec.MAX_DATA_LENGTH) {
            throw new IllegalArgumentException("maxFrameSize must be 1..65535, got " + maxFrameSize);
        }
        if (maxReceiveBuffer < 1) {
            throw new IllegalArgumentException("maxReceiveBuffer must be positive, got " + maxReceiveBuffer);
        }
        if (maxStreamBuffer < 1 || maxStreamBuffer > maxReceiveBuffer) {
            throw new IllegalArgumentException("maxStreamBuffer must be 1..maxReceiveBuffer (" + maxReceiveBuffer
                    + "), got " + maxStreamBuffer);
        }
        if (maxOutgoingBuffer <= SmuxFrameCodec.HEADER_LENGTH) {
            throw new IllegalArgumentException("maxOutgoingBuffer must exceed the 8-byte frame header, got " + maxOutgoingBuffer);
        }
        if (keepAliveInterval.isNegative() || keepAliveInterval.isZero()) {
            throw new IllegalArgumentException("keepAliveInterval must be positive, got " + keepAliveInterval);
        }
        if (keepAliveTimeout.compareTo(keepAliveInterval) < 0) {
            throw new IllegalArgumentException("keepAliveTimeout " + keepAliveTimeout
                    + " must not be shorter than keepAliveInterval " + keepAliveInterval);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults of SPEC §10. */
    public static SmuxConfig defaults() {
        return builder().build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public SmuxVersion version() {
        return version;
    }

    /** The largest PSH body sent; also the largest accepted. */
    public int maxFrameSize() {
        return maxFrameSize;
    }

    /** Session-wide bytes delivered to stream listeners and not yet {@code consumed} before input stops. */
    public int maxReceiveBuffer() {
        return maxReceiveBuffer;
    }

    /** The v2 per-stream window advertised in UPD frames. */
    public int maxStreamBuffer() {
        return maxStreamBuffer;
    }

    /** Frame bytes given to the output sink and not yet reported written before stream writes return 0. */
    public int maxOutgoingBuffer() {
        return maxOutgoingBuffer;
    }

    public boolean keepAlive() {
        return keepAlive;
    }

    public Duration keepAliveInterval() {
        return keepAliveInterval;
    }

    public Duration keepAliveTimeout() {
        return keepAliveTimeout;
    }

    @Override
    public String toString() {
        return "SmuxConfig[v" + version.wire() + ", maxFrameSize=" + maxFrameSize + ", maxReceiveBuffer=" + maxReceiveBuffer
                + ", maxStreamBuffer=" + maxStreamBuffer + ", maxOutgoingBuffer=" + maxOutgoingBuffer
                + ", keepAlive=" + (keepAlive ? keepAliveInterval + "/" + keepAliveTimeout : "off") + "]";
    }

    /** Builder for {@link SmuxConfig}; starts from the defaults. */
    public static final class Builder {
        private SmuxVersion version = SmuxVersion.V1;
        private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
        private int maxReceiveBuffer = DEFAULT_MAX_RECEIVE_BUFFER;
        private int maxStreamBuffer = DEFAULT_MAX_STREAM_BUFFER;
        private int maxOutgoingBuffer = DEFAULT_MAX_OUTGOING_BUFFER;
        private boolean keepAlive = true;
        private Duration keepAliveInterval = DEFAULT_KEEPALIVE_INTERVAL;
        private Duration keepAliveTimeout = DEFAULT_KEEPALIVE_TIMEOUT;

        private Builder() {
        }

        private Builder(SmuxConfig c) {
            version = c.version;
            maxFrameSize = c.maxFrameSize;
            maxReceiveBuffer = c.maxReceiveBuffer;
            maxStreamBuffer = c.maxStreamBuffer;
            maxOutgoingBuffer = c.maxOutgoingBuffer;
            keepAlive = c.keepAlive;
            keepAliveInterval = c.keepAliveInterval;
            keepAliveTimeout = c.keepAliveTimeout;
        }

        public Builder version(SmuxVersion version) {
            this.version = version;
            return this;
        }

        public Builder maxFrameSize(int maxFrameSize) {
            this.maxFrameSize = maxFrameSize;
            return this;
        }

        public Builder maxReceiveBuffer(int maxReceiveBuffer) {
            this.maxReceiveBuffer = maxReceiveBuffer;
            return this;
        }

        public Builder maxStreamBuffer(int maxStreamBuffer) {
            this.maxStreamBuffer = maxStreamBuffer;
            return this;
        }

        public Builder maxOutgoingBuffer(int maxOutgoingBuffer) {
            this.maxOutgoingBuffer = maxOutgoingBuffer;
            return this;
        }

        /** SPEC §8.4: Session Manager clients turn this off iff the agent version is above 3.1.1511.0. */
        public Builder keepAlive(boolean keepAlive) {
            this.keepAlive = keepAlive;
            return this;
        }

        public Builder keepAliveInterval(Duration keepAliveInterval) {
            this.keepAliveInterval = keepAliveInterval;
            return this;
        }

        public Builder keepAliveTimeout(Duration keepAliveTimeout) {
            this.keepAliveTimeout = keepAliveTimeout;
            return this;
        }

        /** @throws IllegalArgumentException naming the first setting out of range */
        public SmuxConfig build() {
            return new SmuxConfig(this);
        }
    }
}
