package dev.ssmsession.testkit.internal;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a byte stream into chunks of at most {@code max} bytes that end on UTF-8 character
 * boundaries, holding an incomplete trailing sequence back for the next call, as the agent does
 * with command and shell output (SPEC §8.1). Bytes that are not valid UTF-8 are passed through
 * rather than held forever. Not thread-safe.
 */
public final class Utf8Chunker {
    private final int max;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    public Utf8Chunker(int max) {
        if (max < 4) {
            throw new IllegalArgumentException("max " + max + " cannot hold a 4-byte character");
        }
        this.max = max;
    }

    /** Adds bytes and returns the complete chunks now available. */
    public List<byte[]> feed(byte[] data, int off, int len) {
        pending.write(data, off, len);
        byte[] all = pending.toByteArray();
        pending.reset();
        List<byte[]> out = new ArrayList<>();
        int pos = 0;
        while (pos < all.length) {
            int end = Math.min(all.length, pos + max);
            int cut = boundary(all, pos, end);
            if (cut == pos) {
                // Only an incomplete sequence is left: keep it for the next read.
                break;
            }
            out.add(Arrays.copyOfRange(all, pos, cut));
            pos = cut;
        }
        pending.write(all, pos, all.length - pos);
        return out;
    }

    /** Whatever is held back, at end of stream. */
    public byte[] flush() {
        byte[] rest = pending.toByteArray();
        pending.reset();
        return rest;
    }

    /** The largest cut in (from, end] that does not split a character starting before end. */
    static int boundary(byte[] b, int from, int end) {
        // Look back at most 3 bytes for the lead byte of the last character.
        int i = end - 1;
        int back = 0;
        while (i > from && back < 3 && (b[i] & 0xC0) == 0x80) {
            i--;
            back++;
        }
        int lead = b[i] & 0xFF;
        int need;
        if (lead < 0x80) {
            need = 1;
        } else if ((lead & 0xE0) == 0xC0) {
            need = 2;
        } else if ((lead & 0xF0) == 0xE0) {
            need = 3;
        } else if ((lead & 0xF8) == 0xF0) {
            need = 4;
        } else {
            return end; // a stray continuation or invalid byte: nothing to keep together
        }
        if (end - i >= need) {
            return end;
        }
        return i;
    }
}
