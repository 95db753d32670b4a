/**
 * The data-channel reliability engine (SPEC §6): {@link dev.ssmsession.protocol.channel.DataChannel}.
 *
 * <p>How an owner (the client's transport, the testkit's simulated agent) drives it, all under one
 * lock:
 * <pre>{@code
 * DataChannel ch = DataChannel.create(DataChannelConfig.builder().build(), ChannelRole.CLIENT,
 *         clock, UUID::randomUUID, listener);      // listener.writeFrame enqueues, never writes inline
 * // WebSocket binary message arrived:      ch.onFrame(bytes)
 * // terminal / socket bytes to send:       n = ch.offerOutput(buf, off, len)  (n < len: wait for onWritable)
 * // Size, Flag, handshake response:        ch.sendMessage(PayloadType.SIZE, json)
 * // KMS handshake finished:                ch.setCipher(cipher)
 * // timer: after every call, (re)schedule  ch.nextDeadlineNanos() -> ch.tick()
 * // WebSocket lost / reopened:             ch.transportDown() / ch.transportUp()
 * // session handler installed late:        ch.retryDelivery()
 * }</pre>
 * After releasing the lock, the owner writes the frames the listener queued, in order.
 */
package dev.ssmsession.protocol.channel;
