package dev.ssmsession.protocol.smux;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A client and a server session joined by two {@link Link}s, on one virtual nanosecond clock. */
final class Pair {
    final long[] now = {5_000_000_000L};
    final Link toServer;
    final Link toClient;
    final SmuxSession client;
    final SmuxSession server;
    final List<Recorder> accepted = new ArrayList<>();
    final List<Optional<SmuxException>> serverCloses = new ArrayList<>();

    Pair(SmuxConfig config) {
        toServer = new Link(config.version());
        toClient = new Link(config.version());
        client = SmuxSession.client(config, () -> now[0], toServer::add, new SmuxSessionHandler() { });
        server = SmuxSession.server(config, () -> now[0], toClient::add, new SmuxSessionHandler() {
            @Override
            public SmuxStreamListener onAccept(SmuxStream stream) {
                Recorder r = new Recorder(false);
                r.stream = stream;
                accepted.add(r);
                return r;
            }

            @Override
            public void onClosed(Optional<SmuxException> error) {
                serverCloses.add(error);
            }
        });
        toServer.connect(client, server);
        toClient.connect(server, client);
    }

    /** Moves everything queued both ways, in 777-byte chunks (splitting frames), until quiet. */
    void flush() {
        while (toServer.queued() > 0 || toClient.queued() > 0) {
            toServer.pump(777);
            toClient.pump(777);
        }
    }
}
