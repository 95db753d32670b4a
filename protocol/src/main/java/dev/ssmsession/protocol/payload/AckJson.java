package dev.ssmsession.protocol.payload;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The acknowledge body written and read by hand: one goes each way for every data message (about 2000 a second on
 * a busy channel), and Jackson's general path costs more than the rest of handling the message. Writes exactly what
 * {@link Payloads#toJson} writes; reads the flat objects agents send and hands anything else (escapes, nesting,
 * odd literals) back to Jackson, so the accepted language is the same.
 */
final class AckJson {
    private static final byte[] TYPE = "{\"AcknowledgedMessageType\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID = ",\"AcknowledgedMessageId\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQUENCE = ",\"AcknowledgedMessageSequenceNumber\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQUENTIAL = ",\"IsSequentialMessage\":".getBytes(StandardCharsets.US_ASCII);

    private AckJson() {}

    static byte[] encode(Acknowledge a) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160);
        out.writeBytes(TYPE);
        string(out, a.acknowledgedMessageType());
        out.writeBytes(ID);
        string(out, a.acknowledgedMessageId());
        out.writeBytes(SEQUENCE);
        out.writeBytes(Long.toString(a.acknowledgedMessageSequenceNumber()).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(SEQUENTIAL);
        out.writeBytes((a.isSequentialMessage() ? "true}" : "false}").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** JSON string with Jackson's escaping: quote, backslash and control characters; everything else as UTF-8. */
    private static void string(ByteArrayOutputStream out, String s) {
        if (s == null) {
            out.writeBytes("null".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        out.write('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.write('\\');
                out.write(c);
            } else if (c < 0x20) {
                switch (c) {
                    case '\n' -> out.writeBytes(new byte[] {'\\', 'n'});
                    case '\r' -> out.writeBytes(new byte[] {'\\', 'r'});
                    case '\t' -> out.writeBytes(new byte[] {'\\', 't'});
                    case '\b' -> out.writeBytes(new byte[] {'\\', 'b'});
                    case '\f' -> out.writeBytes(new byte[] {'\\', 'f'});
                    default -> out.writeBytes(String.format("\\u%04X", (int) c).getBytes(StandardCharsets.US_ASCII));
                }
            } else if (c < 0x80) {
                out.write(c);
            } else {
                int end = i + 1;
                while (end < s.length() && s.charAt(end) >= 0x80) {
                    end++;
                }
                out.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            }
        }
        out.write('"');
    }

    /** The acknowledge in {@code json}, or null when it is not a plain flat object this reader takes. */
    static Acknowledge decode(byte[] json) {
        Reader r = new Reader(json);
        String type = null;
        String id = null;
        long sequence = 0;
        boolean sequential = false;
        if (!r.skipSpace() || r.next() != '{') {
            return null;
        }
        if (r.skipSpace() && r.peek() == '}') {
            r.pos++;
            return r.atEnd() ? new Acknowledge(null, null, 0, false) : null;
        }
        while (true) {
            if (!r.skipSpace() || r.peek() != '"') {
                return null;
            }
            String key = r.plainString();
            if (key == null || !r.skipSpace() || r.next() != ':' || !r.skipSpace()) {
                return null;
            }
            int c = r.peek();
            if (c == '"') {
                String value = r.plainString();
                if (value == null) {
                    return null;
                }
                if (key.equalsIgnoreCase("AcknowledgedMessageType")) {
                    type = value;
                } else if (key.equalsIgnoreCase("AcknowledgedMessageId")) {
                    id = value;
                } else if (key.equalsIgnoreCase("AcknowledgedMessageSequenceNumber")
                        || key.equalsIgnoreCase("IsSequentialMessage")) {
                    return null;  // a quoted number or boolean: Jackson decides
                }
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                Long value = r.plainLong();
                if (value == null) {
                    return null;
                }
                if (key.equalsIgnoreCase("AcknowledgedMessageSequenceNumber")) {
                    sequence = value;
                } else if (!isUnknown(key)) {
                    return null;
                }
            } else if (c == 't' || c == 'f') {
                boolean value = c == 't';
                if (!r.literal(value ? "true" : "false")) {
                    return null;
                }
                if (key.equalsIgnoreCase("IsSequentialMessage")) {
                    sequential = value;
                } else if (!isUnknown(key)) {
                    return null;
                }
            } else {
                return null;  // null, nested values: Jackson decides
            }
            if (!r.skipSpace()) {
                return null;
            }
            int sep = r.next();
            if (sep == '}') {
                return r.atEnd() ? new Acknowledge(type, id, sequence, sequential) : null;
            }
            if (sep != ',') {
                return null;
            }
        }
    }

    private static boolean isUnknown(String key) {
        return !key.equalsIgnoreCase("AcknowledgedMessageType") && !key.equalsIgnoreCase("AcknowledgedMessageId")
                && !key.equalsIgnoreCase("AcknowledgedMessageSequenceNumber") && !key.equalsIgnoreCase("IsSequentialMessage");
    }

    private static final class Reader {
        private final byte[] b;
        private int pos;

        Reader(byte[] b) {
            this.b = b;
        }

        /** Skips JSON whitespace; false at the end of input. */
        boolean skipSpace() {
            while (pos < b.length && (b[pos] == ' ' || b[pos] == '\t' || b[pos] == '\n' || b[pos] == '\r')) {
                pos++;
            }
            return pos < b.length;
        }

        int peek() {
            return b[pos];
        }

        int next() {
            return pos < b.length ? b[pos++] : -1;
        }

        boolean atEnd() {
            return !skipSpace();
        }

        /** A string of printable ASCII with no escapes, or null. */
        String plainString() {
            int start = ++pos;
            while (pos < b.length) {
                byte c = b[pos];
                if (c == '"') {
                    return new String(b, start, pos++ - start, StandardCharsets.US_ASCII);
                }
                if (c == '\\' || c < 0x20) {
                    return null;
                }
                pos++;
            }
            return null;
        }

        /** An integer that fits a long (no fraction or exponent), or null. */
        Long plainLong() {
            int start = pos;
            if (b[pos] == '-') {
                pos++;
            }
            int digits = pos;
            while (pos < b.length && b[pos] >= '0' && b[pos] <= '9') {
                pos++;
            }
            int n = pos - digits;
            if (n == 0 || n > 18 || (n > 1 && b[digits] == '0')) {
                return null;
            }
            if (pos < b.length && (b[pos] == '.' || b[pos] == 'e' || b[pos] == 'E')) {
                return null;
            }
            return Long.parseLong(new String(b, start, pos - start, StandardCharsets.US_ASCII));
        }

        boolean literal(String word) {
            if (pos + word.length() > b.length) {
                return false;
            }
            for (int i = 0; i < word.length(); i++) {
                if (b[pos + i] != word.charAt(i)) {
                    return false;
                }
            }
            pos += word.length();
            return true;
        }
    }
}
