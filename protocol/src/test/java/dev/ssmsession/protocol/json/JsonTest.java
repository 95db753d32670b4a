package dev.ssmsession.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void readsTheAwsCliHandOver() {
        Object value = Json.parse(" {\"SessionId\": \"s-1\", \"TokenValue\": \"t\", \"StreamUrl\": \"wss://h/p?x=1\","
                + " \"ResponseMetadata\": {\"HTTPStatusCode\": 200, \"RetryAttempts\": 0, \"Headers\": {}}} \n");

        assertThat(value).isEqualTo(Map.of("SessionId", "s-1", "TokenValue", "t", "StreamUrl", "wss://h/p?x=1",
                "ResponseMetadata", Map.of("HTTPStatusCode", new BigDecimal("200"), "RetryAttempts", BigDecimal.ZERO,
                        "Headers", Map.of())));
    }

    @Test
    void keepsKeyOrderAndEveryKindOfValue() {
        @SuppressWarnings("unchecked")
        Map<String, Object> value = (Map<String, Object>) Json.parse(
                "{\"z\":[1,-2.5e3,0.25,true,false,null,[],{}],\"a\":\"\",\"m\":null}");

        assertThat(value.keySet()).containsExactly("z", "a", "m");
        assertThat((List<Object>) value.get("z")).containsExactly(BigDecimal.ONE, new BigDecimal("-2.5e3"),
                new BigDecimal("0.25"), true, false, null, List.of(), Map.of());
        assertThat(value).containsEntry("a", "").containsEntry("m", null);
    }

    @Test
    void decodesEscapesIncludingSurrogatePairs() {
        assertThat(Json.parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\""))
                .isEqualTo("a\"b\\c/d\b\f\n\r\t\u00e9\uD83D\uDE00");
        assertThat(Json.parse("\"plain unicode é 😀\"")).isEqualTo("plain unicode é 😀");
    }

    @Test
    void malformedInputIsNamedWithItsOffsetAndNeverQuoted() {
        for (String bad : Arrays.asList("", "{", "{\"TokenValue\":\"secret-token\"", "{\"a\" 1}", "{\"a\":1,}",
                "[1 2]", "{\"a\":tru}", "\"secret-token", "01", "1.", "-", "{a:1}", "\"\\x\"", "\"\\u12G4\"",
                "{\"a\":1} x", "\"tab\there\"", "nul")) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(Json.Malformed.class)
                    .hasMessageContaining("at offset ")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret", "tru", "here"));
        }
        assertThatThrownBy(() -> Json.parse("{\"a\" 1}")).hasMessage("expected ':' but found a bare word at offset 5");
        assertThatThrownBy(() -> Json.parse("[1,2")).hasMessage("expected ',' or ']' but found the end of input at offset 4");
    }

    @Test
    void quotesWhatParsesBackToTheSameString() {
        for (String s : List.of("", "plain", "q\"uote", "back\\slash", "line\nbreak\r\t", "\u0001\u001f", "é 😀 /")) {
            assertThat(Json.parse(Json.quote(s))).as(s).isEqualTo(s);
        }
        assertThat(Json.quote("a\"b\\c\u0001")).isEqualTo("\"a\\\"b\\\\c\\u0001\"");
    }

    @Test
    void fieldsMatchIgnoringCaseExactFirst() {
        Map<String, Object> camel = Map.of("sessionId", "s", "tokenValue", "t");
        assertThat(Json.field(camel, "SessionId")).isEqualTo("s");
        assertThat(Json.field(camel, "StreamUrl")).isNull();
        java.util.LinkedHashMap<String, Object> both = new java.util.LinkedHashMap<>();
        both.put("output", "lower");
        both.put("Output", "exact");
        assertThat(Json.field(both, "Output")).isEqualTo("exact");
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        assertThatThrownBy(() -> Json.parse(deep)).isInstanceOf(Json.Malformed.class)
                .hasMessageStartingWith("nested deeper than 64 levels");
        String fine = "[".repeat(60) + "]".repeat(60);
        assertThat(Json.parse(fine)).isInstanceOf(List.class);
    }
}
