/**
 * smux versions 1 and 2 (xtaci/smux), the stream multiplexer Session Manager runs inside the data
 * channel for port forwarding in mux mode (SPEC §8.4, §10).
 *
 * <p>{@link dev.ssmsession.protocol.smux.SmuxFrameCodec} and
 * {@link dev.ssmsession.protocol.smux.SmuxFrameDecoder} are the wire format: an 8-byte
 * little-endian header and a resumable decoder for a byte stream cut anywhere.
 * {@link dev.ssmsession.protocol.smux.SmuxSession} is the multiplexer itself. It owns no thread,
 * socket or clock: the owner feeds it the concatenated Output payloads ({@code onInput}), sends what
 * the {@link dev.ssmsession.protocol.smux.SmuxSink} gets as Input payloads, reports those bytes
 * written ({@code outputWritten}), and calls {@code tick()} at {@code nextDeadlineNanos()}.
 *
 * <p>Backpressure runs end to end, like MINA SSHD's channel windows: a stream write accepts only
 * what the peer's v2 window and the session's outgoing buffer allow (the rest stays with the
 * caller until {@code onWritable}); received bytes hold receive credit until the consumer calls
 * {@code consumed(n)} after writing them onward, and a full session receive buffer pauses decoding.
 * Nothing is dropped.
 *
 * <p>Nothing here is thread-safe: the owner holds one lock around every call, and all callbacks run
 * synchronously inside those calls and must not block.
 */
package dev.ssmsession.protocol.smux;
