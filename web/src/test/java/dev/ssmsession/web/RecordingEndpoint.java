package dev.ssmsession.web;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An endpoint that records what the bridge sends, in order. */
final class RecordingEndpoint implements TerminalEndpoint {
    /** One message: binary bytes, a text, or a close. */
    record Sent(String kind, byte[] bytes, String text) {
        @Override
        public String toString() {
            return kind + (bytes != null ? Arrays.toString(bytes) : "") + (text != null ? text : "");
        }
    }

    final BlockingQueue<Sent> sent = new LinkedBlockingQueue<>();

    @Override
    public void sendBinary(byte[] bytes, int offset, int length) {
        sent.add(new Sent("binary", Arrays.copyOfRange(bytes, offset, offset + length), null));
    }

    @Override
    public void sendText(String json) {
        sent.add(new Sent("text", null, json));
    }

    @Override
    public void close(int code, String reason) {
        sent.add(new Sent("close", null, code + " " + reason));
    }

    Sent next() throws InterruptedException {
        Sent s = sent.poll(10, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("nothing sent within 10 s");
        }
        return s;
    }

    List<Sent> drained() {
        List<Sent> out = new java.util.ArrayList<>();
        sent.drainTo(out);
        return out;
    }
}
