package dev.ssmsession.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class ForwardSpecTest {
    @Test
    void localAndRemotePortBindLoopback() {
        assertThat(ForwardSpec.parse("8080:80")).isEqualTo(new ForwardSpec("127.0.0.1", 8080, Optional.empty(), 80));
    }

    @Test
    void threePartsWithNumericFirstIsLocalHostRemote() {
        assertThat(ForwardSpec.parse("5432:db.internal:5432"))
                .isEqualTo(new ForwardSpec("127.0.0.1", 5432, Optional.of("db.internal"), 5432));
    }

    @Test
    void threePartsWithAddressFirstIsBindLocalRemote() {
        assertThat(ForwardSpec.parse("0.0.0.0:2222:22"))
                .isEqualTo(new ForwardSpec("0.0.0.0", 2222, Optional.empty(), 22));
        assertThat(ForwardSpec.parse("localhost:2222:22").bindAddress()).isEqualTo("localhost");
    }

    @Test
    void fourParts() {
        assertThat(ForwardSpec.parse("127.0.0.2:0:10.0.0.5:443"))
                .isEqualTo(new ForwardSpec("127.0.0.2", 0, Optional.of("10.0.0.5"), 443));
    }

    @Test
    void bracketedIpv6() {
        ForwardSpec spec = ForwardSpec.parse("[::1]:8080:[fd00::5]:80");
        assertThat(spec).isEqualTo(new ForwardSpec("::1", 8080, Optional.of("fd00::5"), 80));
        assertThat(spec.toString()).isEqualTo("[::1]:8080:[fd00::5]:80");
    }

    @Test
    void errorsNameTheBadPart() {
        assertThatThrownBy(() -> ForwardSpec.parse("80")).hasMessageContaining("expected [bind:]localport");
        assertThatThrownBy(() -> ForwardSpec.parse("http:80")).hasMessageContaining("local port 'http' is not a number");
        assertThatThrownBy(() -> ForwardSpec.parse("8080:0")).hasMessageContaining("remote port 0 is out of range");
        assertThatThrownBy(() -> ForwardSpec.parse("70000:80")).hasMessageContaining("local port 70000 is out of range");
        assertThatThrownBy(() -> ForwardSpec.parse("8080::80")).hasMessageContaining("empty host");
        assertThatThrownBy(() -> ForwardSpec.parse("[::1:8080:80")).hasMessageContaining("unclosed '['");
        assertThatThrownBy(() -> ForwardSpec.parse("1:2:3:4:5")).hasMessageContaining("expected");
    }
}
