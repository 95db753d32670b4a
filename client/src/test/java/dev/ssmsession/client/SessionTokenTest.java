package dev.ssmsession.client;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("pure")
class SessionTokenTest {
    @Test
    void parsesTheAwsCliResponse() {
        SessionToken t = SessionToken.fromJson("{\"SessionId\": \"me-0abc\", \"TokenValue\": \"SECRET-TOKEN\", "
                + "\"StreamUrl\": \"wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/me-0abc?role=publish_subscribe\", "
                + "\"ResponseMetadata\": {}}");
        assertThat(t.sessionId()).isEqualTo("me-0abc");
        assertThat(t.tokenValue()).isEqualTo("SECRET-TOKEN");
        assertThat(t.streamUrl().getHost()).isEqualTo("ssmmessages.eu-west-1.amazonaws.com");
    }

    @Test
    void parsesEcsExecCamelCaseKeys() {
        SessionToken t = SessionToken.fromJson("{\"sessionId\":\"ecs-execute-command-1\",\"streamUrl\":\"wss://h/v1/data-channel/x\",\"tokenValue\":\"T\"}");
        assertThat(t.sessionId()).isEqualTo("ecs-execute-command-1");
        assertThat(t.tokenValue()).isEqualTo("T");
    }

    @Test
    void namesTheMissingKey() {
        assertThatThrownBy(() -> SessionToken.fromJson("{\"SessionId\":\"s\",\"StreamUrl\":\"wss://h/x\"}"))
                .isInstanceOf(SessionException.class).hasMessageContaining("TokenValue");
    }

    @Test
    void badJsonDoesNotEchoTheToken() {
        assertThatThrownBy(() -> SessionToken.fromJson("{\"TokenValue\":\"SECRET-TOKEN\""))
                .isInstanceOf(SessionException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SECRET"));
    }

    @Test
    void rejectsANonWebSocketUrl() {
        assertThatThrownBy(() -> SessionToken.fromJson("{\"SessionId\":\"s\",\"TokenValue\":\"T\",\"StreamUrl\":\"https://h/x\"}"))
                .isInstanceOf(SessionException.class).hasMessageContaining("wss://");
    }

    @Test
    void rejectsAStreamUrlWithoutAHost() {
        // Would otherwise fail at connect time with the socket code's "hostname can't be null".
        for (String url : new String[] {"wss:///v1/data-channel/s", "wss:data-channel", "wss://:443/x"}) {
            assertThatThrownBy(() -> SessionToken.fromJson("{\"SessionId\":\"s\",\"TokenValue\":\"SECRET-TOKEN\",\"StreamUrl\":\"" + url + "\"}"))
                    .as(url)
                    .isInstanceOf(SessionException.class)
                    .hasMessageContaining("StreamUrl").hasMessageContaining("no host")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SECRET"));
        }
    }

    @Test
    void rejectsAStreamUrlThatIsNoUrl() {
        assertThatThrownBy(() -> SessionToken.fromJson("{\"SessionId\":\"s\",\"TokenValue\":\"T\",\"StreamUrl\":\"wss://h/a b\"}"))
                .isInstanceOf(SessionException.class).hasMessageContaining("StreamUrl").hasMessageContaining("not a valid URL");
    }

    @Test
    void toStringHidesTheToken() {
        SessionToken t = new SessionToken("s-1", "SECRET-TOKEN", java.net.URI.create("wss://h/x"));
        assertThat(t.toString()).contains("s-1").doesNotContain("SECRET");
    }
}
