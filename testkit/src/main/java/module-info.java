/**
 * A local Session Manager for tests: the SSM and KMS APIs, the ssmmessages WebSocket, a simulated agent, fault
 * injection and transcripts. Only {@code dev.ssmsession.testkit} is API.
 */
module dev.ssmsession.testkit {
    requires transitive dev.ssmsession.protocol;
    requires jdk.httpserver;
    requires org.java_websocket;
    requires org.slf4j;
    // no Automatic-Module-Name in its jar: the name comes from the file name
    requires pty4j;
    // LocalSessionManagerExtension is a JUnit 5 extension: the tests that use it bring JUnit
    requires static transitive org.junit.jupiter.api;

    exports dev.ssmsession.testkit;
}
