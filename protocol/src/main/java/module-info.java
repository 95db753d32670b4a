/**
 * The Session Manager wire protocol: message codec, payloads, the reliable data channel, handshake, session crypto
 * and smux. No sockets, no threads of its own.
 */
module dev.ssmsession.protocol {
    // JsonNode, ObjectNode and ObjectMapper appear in the payload and handshake API
    requires transitive com.fasterxml.jackson.databind;

    exports dev.ssmsession.protocol.channel;
    exports dev.ssmsession.protocol.crypto;
    exports dev.ssmsession.protocol.handshake;
    exports dev.ssmsession.protocol.json;
    exports dev.ssmsession.protocol.message;
    exports dev.ssmsession.protocol.payload;
    exports dev.ssmsession.protocol.smux;

    // Jackson binds the payload records by reflection
    opens dev.ssmsession.protocol.payload to com.fasterxml.jackson.databind;
}
