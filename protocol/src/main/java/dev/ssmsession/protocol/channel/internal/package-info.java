/**
 * How {@link dev.ssmsession.protocol.channel.DataChannel} works inside; not API, and not for use
 * outside {@code channel}.
 *
 * <ul>
 *   <li>{@link dev.ssmsession.protocol.channel.internal.Receiver}: what arrives (decode, in-order
 *       delivery through the {@link dev.ssmsession.protocol.channel.internal.ReorderBuffer}, acks and
 *       re-acks, acks received with their RTT samples, {@code channel_closed}, publication pause).</li>
 *   <li>{@link dev.ssmsession.protocol.channel.internal.Sender}: what leaves (the
 *       {@link dev.ssmsession.protocol.channel.internal.OutboundQueue}, chunking, pacing, backpressure,
 *       retransmission, give-up, the next deadline).</li>
 *   <li>{@link dev.ssmsession.protocol.channel.internal.PacingControl}: the
 *       {@link dev.ssmsession.protocol.channel.internal.Pacer}'s slots and, with adaptive pacing, the
 *       {@link dev.ssmsession.protocol.channel.internal.RateController} that sets their rate from what
 *       the receiver's acks show (RTT against its minimum) and what the sender resends.</li>
 *   <li>Shared by both: {@link dev.ssmsession.protocol.channel.internal.ChannelState} (open, paused,
 *       transport, cipher), the {@link dev.ssmsession.protocol.channel.internal.RetransmitWindow} of
 *       {@link dev.ssmsession.protocol.channel.internal.Outgoing} messages and the
 *       {@link dev.ssmsession.protocol.channel.internal.RttEstimator}.</li>
 * </ul>
 * None of it is thread-safe: {@code DataChannel} is called under its owner's lock and keeps
 * callbacks from re-entering it.
 */
package dev.ssmsession.protocol.channel.internal;
