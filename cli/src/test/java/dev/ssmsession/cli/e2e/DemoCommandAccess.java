package dev.ssmsession.cli.e2e;

import dev.ssmsession.cli.ClientSessions;
import dev.ssmsession.cli.session.Connection;
import dev.ssmsession.client.SessionManager;
import dev.ssmsession.testkit.LocalSessionManager;
import java.util.Map;
import java.util.Optional;

/** A client {@link SessionManager} pointed at a testkit, configured as the CLI configures it. */
final class DemoCommandAccess {
    private DemoCommandAccess() {}

    static SessionManager manager(LocalSessionManager local) {
        Connection connection = new Connection(Optional.empty(), Optional.of(local.region()),
                Optional.of(local.ssmEndpoint()), Optional.of(local.kmsEndpoint()),
                Optional.of(new Connection.StaticCredentials(local.credentials().accessKeyId(),
                        local.credentials().secretAccessKey(), local.credentials().sessionToken())), true);
        return ClientSessions.manager(connection, Map.of());
    }
}
