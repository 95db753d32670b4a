package dev.ssmsession.client;

import java.net.Socket;
import java.net.SocketException;
import java.net.SocketImpl;

/** A {@link Socket} whose implementation is a tunnel through a session, not an OS socket. */
final class TunnelSocket extends Socket {
    TunnelSocket(SocketImpl impl) throws SocketException {
        super(impl);
    }
}
