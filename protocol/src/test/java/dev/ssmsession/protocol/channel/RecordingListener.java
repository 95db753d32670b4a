package dev.ssmsession.protocol.channel;

import dev.ssmsession.protocol.crypto.PayloadDecryptionException;
import dev.ssmsession.protocol.message.ClientMessage;
import dev.ssmsession.protocol.message.MalformedMessageException;
import dev.ssmsession.protocol.message.PayloadType;
import dev.ssmsession.protocol.payload.ChannelClosed;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Records every callback, in order, for assertions. */
final class RecordingListener implements DataChannelListener {

    record Delivered(PayloadType type, long rawType, byte[] payload) {
        String text() {
            return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    final List<byte[]> frames = new ArrayList<>();
    final List<Delivered> delivered = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    final List<ChannelClosed> closed = new ArrayList<>();
    final List<String> giveUps = new ArrayList<>();
    final List<PayloadDecryptionException> decryptionFailures = new ArrayList<>();
    final List<MalformedMessageException> invalid = new ArrayList<>();
    final List<ClientMessage> ignored = new ArrayList<>();
    final ByteArrayOutputStream stream = new ByteArrayOutputStream();
    int writable;
    Function<Delivered, Delivery> answer = d -> Delivery.ACCEPTED;
    /** Where written frames go besides the record (a link to a peer, say). */
    java.util.function.Consumer<byte[]> wire = f -> { };

    @Override
    public void writeFrame(byte[] frame) {
        frames.add(frame);
        wire.accept(frame);
        events.add((TestFrames.isAck(frame) ? "ack " + TestFrames.ackedSequence(frame) : TestFrames.messageType(frame) + " " + TestFrames.sequenceNumber(frame)));
    }

    @Override
    public Delivery onPayload(PayloadType type, long rawType, byte[] payload) {
        Delivered d = new Delivered(type, rawType, payload);
        Delivery result = answer.apply(d);
        events.add("payload " + rawType + " " + result);
        if (result == Delivery.ACCEPTED) {
            delivered.add(d);
            if (type == PayloadType.OUTPUT) {
                stream.writeBytes(payload);
            }
        }
        return result;
    }

    @Override
    public void onChannelClosed(ChannelClosed c) {
        closed.add(c);
    }

    @Override
    public void onGiveUp(String reason) {
        giveUps.add(reason);
    }

    @Override
    public void onDecryptionFailure(PayloadType type, long sequenceNumber, PayloadDecryptionException cause) {
        decryptionFailures.add(cause);
        events.add("decryption failure " + sequenceNumber);
    }

    @Override
    public void onWritable() {
        writable++;
    }

    @Override
    public void onInvalidFrame(MalformedMessageException problem) {
        invalid.add(problem);
    }

    @Override
    public void onIgnoredMessage(ClientMessage message) {
        ignored.add(message);
    }

    List<byte[]> dataFrames() {
        return frames.stream().filter(TestFrames::isData).collect(Collectors.toList());
    }

    List<byte[]> ackFrames() {
        return frames.stream().filter(TestFrames::isAck).collect(Collectors.toList());
    }

    List<Long> ackedSequences() {
        return ackFrames().stream().map(TestFrames::ackedSequence).collect(Collectors.toList());
    }

    List<Long> dataSequences() {
        return dataFrames().stream().map(TestFrames::sequenceNumber).collect(Collectors.toList());
    }

    List<String> deliveredTexts() {
        return delivered.stream().map(Delivered::text).collect(Collectors.toList());
    }

    void clearFrames() {
        frames.clear();
        events.clear();
    }
}
