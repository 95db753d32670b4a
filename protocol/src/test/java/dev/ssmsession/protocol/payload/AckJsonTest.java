package dev.ssmsession.protocol.payload;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hand-written acknowledge JSON agrees with Jackson's, byte for byte out and value for value in. */
@Tag("pure")
class AckJsonTest {
    @Test
    void writesTheAgentsByteLayout() {
        Acknowledge a = new Acknowledge("output_stream_data", "0b3a4c4e-5f60-4a7b-8c9d-0e1f2a3b4c5d", 42, true);
        assertThat(new String(a.toJson(), StandardCharsets.UTF_8)).isEqualTo("{\"AcknowledgedMessageType\":\"output_stream_data\","
                + "\"AcknowledgedMessageId\":\"0b3a4c4e-5f60-4a7b-8c9d-0e1f2a3b4c5d\",\"AcknowledgedMessageSequenceNumber\":42,"
                + "\"IsSequentialMessage\":true}");
    }

    @Property(tries = 500)
    void writesWhatJacksonWrites(@ForAll String type, @ForAll String id, @ForAll long sequence, @ForAll boolean sequential) {
        Acknowledge a = new Acknowledge(type, id, sequence, sequential);
        assertThat(new String(a.toJson(), StandardCharsets.UTF_8)).isEqualTo(new String(Payloads.toJson(a), StandardCharsets.UTF_8));
    }

    @Property(tries = 500)
    void readsWhatJacksonReads(@ForAll String type, @ForAll String id, @ForAll @LongRange(min = -1, max = Long.MAX_VALUE) long sequence,
                               @ForAll boolean sequential) {
        byte[] json = Payloads.toJson(new Acknowledge(type, id, sequence, sequential));
        assertThat(Acknowledge.fromJson(json)).isEqualTo(Payloads.fromJson(json, Acknowledge.class));
    }

    @Test
    void readsVariantsAsJacksonDoes() {
        for (String json : new String[] {
            "{\"AcknowledgedMessageType\":\"input_stream_data\",\"AcknowledgedMessageId\":\"x\",\"AcknowledgedMessageSequenceNumber\":7,\"IsSequentialMessage\":true}",
            " { \"acknowledgedmessagesequencenumber\" : 7 , \"ISSEQUENTIALMESSAGE\" : false } ",
            "{\"Unknown\":123,\"AcknowledgedMessageSequenceNumber\":9,\"Other\":true}",
            "{\"AcknowledgedMessageSequenceNumber\":\"12\"}",          // quoted number: Jackson's rules
            "{\"AcknowledgedMessageType\":\"a\\\"b\",\"AcknowledgedMessageSequenceNumber\":1}",  // escape
            "{\"AcknowledgedMessageSequenceNumber\":1,\"Nested\":{\"a\":[1,2]}}",
            "{\"AcknowledgedMessageSequenceNumber\":1.0}",
            "{}",
            "{} trailing",                                          // Jackson ignores what follows the object
        }) {
            byte[] b = json.getBytes(StandardCharsets.UTF_8);
            assertThat(Acknowledge.fromJson(b)).as(json).isEqualTo(Payloads.fromJson(b, Acknowledge.class));
        }
    }

    @Test
    void rejectsWhatIsNotJson() {
        for (String json : new String[] {"", "{", "{\"AcknowledgedMessageSequenceNumber\":1", "[1]", "{\"a\":tru}"}) {
            assertThatThrownBy(() -> Acknowledge.fromJson(json.getBytes(StandardCharsets.UTF_8))).as(json)
                    .isInstanceOf(PayloadFormatException.class);
        }
    }
}
