package dev.ssmsession.protocol.smux;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A stream listener that records every event; consumes at once only if {@code autoConsume}. */
class Recorder implements SmuxStreamListener {
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    final List<String> events = new ArrayList<>();
    final List<Optional<SmuxException>> closes = new ArrayList<>();
    final boolean autoConsume;
    long held;
    int writable;
    SmuxStream stream;

    Recorder(boolean autoConsume) {
        this.autoConsume = autoConsume;
    }

    @Override
    public void onData(SmuxStream s, byte[] b, int off, int len) {
        stream = s;
        data.write(b, off, len);
        events.add("data " + len);
        if (autoConsume) {
            s.consumed(len);
        } else {
            held += len;
        }
    }

    @Override
    public void onEndOfStream(SmuxStream s) {
        events.add("eof");
    }

    @Override
    public void onWritable(SmuxStream s) {
        writable++;
    }

    @Override
    public void onClosed(SmuxStream s, Optional<SmuxException> error) {
        events.add("closed");
        closes.add(error);
    }

    void consumeAll() {
        long n = held;
        held = 0;
        stream.consumed((int) n);
    }
}
