package dev.ssmsession.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class Utf8ChunkerTest {
    @Test
    void holdsBackAnIncompleteCharacterUntilTheNextRead() {
        Utf8Chunker c = new Utf8Chunker(1024);
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8); // e2 82 ac
        List<byte[]> first = c.feed(new byte[] {'a', euro[0], euro[1]}, 0, 3);
        assertThat(first).hasSize(1);
        assertThat(first.get(0)).containsExactly('a');
        List<byte[]> second = c.feed(new byte[] {euro[2], 'b'}, 0, 2);
        assertThat(new String(second.get(0), StandardCharsets.UTF_8)).isEqualTo("€b");
        assertThat(c.flush()).isEmpty();
    }

    @Test
    void cutsAtTheLastBoundaryBelowTheLimitForEveryWidth() {
        for (String ch : new String[] {"a", "é", "€", "😀"}) {
            for (int max = 4; max <= 12; max++) {
                Utf8Chunker c = new Utf8Chunker(max);
                byte[] all = ch.repeat(50).getBytes(StandardCharsets.UTF_8);
                ByteArrayOutputStream joined = new ByteArrayOutputStream();
                // Feed in awkward 7-byte slices.
                for (int i = 0; i < all.length; i += 7) {
                    for (byte[] chunk : c.feed(all, i, Math.min(7, all.length - i))) {
                        assertThat(chunk.length).isBetween(1, max);
                        assertThat(new String(chunk, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8)).isEqualTo(chunk);
                        joined.writeBytes(chunk);
                    }
                }
                joined.writeBytes(c.flush());
                assertThat(joined.toByteArray()).as("%s max %d", ch, max).isEqualTo(all);
            }
        }
    }

    @Test
    void invalidBytesPassThroughInsteadOfStalling() {
        Utf8Chunker c = new Utf8Chunker(4);
        List<byte[]> out = c.feed(new byte[] {(byte) 0xff, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80}, 0, 5);
        assertThat(out.stream().mapToInt(b -> b.length).sum() + c.flush().length).isEqualTo(5);
    }
}
