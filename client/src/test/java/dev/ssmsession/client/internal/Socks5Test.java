package dev.ssmsession.client.internal;

import dev.ssmsession.client.internal.Socks5.Destination;
import dev.ssmsession.client.internal.Socks5.Reply;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SOCKS5 handshake parser on bytes alone: what it answers and what it refuses (RFC 1928). */
class Socks5Test {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private Destination accept(int... bytes) throws Exception {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return Socks5.accept(new ByteArrayInputStream(b), out);
    }

    @Test
    void choosesNoAuthenticationAmongSeveralMethodsAndReadsADomainName() throws Exception {
        Destination d = accept(5, 3, 2, 0, 1, /* request */ 5, 1, 0, 3, 6, 'd', 'b', '.', 'i', 'n', 't', 0x15, 0x38);
        assertThat(d).isEqualTo(new Destination("db.int", 5432));
        assertThat(out.toByteArray()).containsExactly(5, 0);
    }

    @Test
    void readsIpv4AndIpv6Literals() throws Exception {
        assertThat(accept(5, 1, 0, 5, 1, 0, 1, 10, 0, 1, 23, 0, 22)).isEqualTo(new Destination("10.0.1.23", 22));
        assertThat(accept(5, 1, 0, 5, 1, 0, 4, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x01, 0xbb))
                .isEqualTo(new Destination("fd00:0:0:0:0:0:0:1", 443));
        assertThat(new Destination("fd00:0:0:0:0:0:0:1", 443)).hasToString("[fd00:0:0:0:0:0:0:1]:443");
    }

    @Test
    void noAcceptableMethodIsAnsweredWithFfAndRejected() {
        assertThatThrownBy(() -> accept(5, 1, 2)).isInstanceOf(Socks5.Rejected.class)
                .hasMessageContaining("no authentication");
        assertThat(out.toByteArray()).containsExactly(5, 0xFF);
    }

    @Test
    void notSocks5IsRejectedWithoutAnswer() {
        assertThatThrownBy(() -> accept(4, 1, 0, 80, 127, 0, 0, 1, 0)).isInstanceOf(Socks5.Rejected.class)
                .hasMessageContaining("version byte 4");
        assertThat(out.toByteArray()).isEmpty();
    }

    @Test
    void unsupportedCommandIsAnsweredAfterTheWholeRequestWasRead() {
        assertThatThrownBy(() -> accept(5, 1, 0, 5, 3, 0, 1, 0, 0, 0, 0, 0, 0)).isInstanceOf(Socks5.Rejected.class);
        assertThat(out.toByteArray()).containsExactly(5, 0, 5, 7, 0, 1, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void emptyDomainNameOrPortZeroIsAGeneralFailure() {
        assertThatThrownBy(() -> accept(5, 1, 0, 5, 1, 0, 3, 0, 0, 80)).isInstanceOf(Socks5.Rejected.class);
        assertThat(out.toByteArray()).containsExactly(5, 0, 5, 1, 0, 1, 0, 0, 0, 0, 0, 0);
        out.reset();
        assertThatThrownBy(() -> accept(5, 1, 0, 5, 1, 0, 1, 127, 0, 0, 1, 0, 0)).isInstanceOf(Socks5.Rejected.class);
        assertThat(out.toByteArray()).containsExactly(5, 0, 5, 1, 0, 1, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void aTruncatedHandshakeIsAnEofNotAHang() {
        assertThatThrownBy(() -> accept(5, 1, 0, 5, 1, 0, 3, 9, 'a', 'b')).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> accept(5, 2, 0)).isInstanceOf(EOFException.class);
    }

    @Test
    void replyCarriesTheCodeAndAnUnspecifiedBoundAddress() throws Exception {
        Socks5.reply(out, Reply.CONNECTION_REFUSED);
        assertThat(out.toByteArray()).containsExactly(5, 5, 0, 1, 0, 0, 0, 0, 0, 0);
    }
}
