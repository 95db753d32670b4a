package dev.ssmsession.bench;

import dev.ssmsession.protocol.channel.DataChannelConfig;

/**
 * One row of the table: which testkit (capped like the service or not), how the client is
 * configured, how the application writes, and how many sessions × connections run at once.
 *
 * @param bytesPerConnection what each connection carries in each direction measured
 */
record Scenario(String key, String description, boolean serviceCap, DataChannelConfig client, LocalPeer.Sender sender,
                int sessions, int connectionsPerSession, int bytesPerConnection, boolean upload, boolean download) {

    int connections() {
        return sessions * connectionsPerSession;
    }

    String clientSummary() {
        String pace = client.messagesPerSecond() == 0 ? "unpaced"
                : client.pacing() == DataChannelConfig.Pacing.ADAPTIVE ? "adaptive from " + client.messagesPerSecond() + " msg/s"
                : client.messagesPerSecond() + " msg/s";
        String app = sender == LocalPeer.Sender.GO_LOOP ? ", app 1016 B + 1 ms sleep" : "";
        return client.chunkSize() + " B, " + pace + app;
    }
}
