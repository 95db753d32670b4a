package dev.ssmsession.bench;

/** Daemon threads, so that nothing the bench starts can keep the JVM alive. */
final class Threads {
    private Threads() {
    }

    static Thread daemon(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
