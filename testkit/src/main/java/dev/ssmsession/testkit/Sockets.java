package dev.ssmsession.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** Small pieces the loopback relays of tests share: daemon threads, a one-way pump, a quiet close. */
public final class Sockets {
    private Sockets() {}

    /** Starts {@code r} on a daemon thread (a test relay never keeps the JVM alive). */
    public static Thread startDaemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Copies {@code from} to {@code to} until either side ends, then closes both. */
    public static void pump(Socket from, Socket to) {
        try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
            i.transferTo(o);
        } catch (IOException e) {
            // one side closed: close both below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    public static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
