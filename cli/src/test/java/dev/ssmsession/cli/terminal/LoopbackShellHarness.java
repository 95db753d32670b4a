package dev.ssmsession.cli.terminal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.jline.terminal.Terminal;

/**
 * A process for {@code TerminalRelayPtyIT}: the relay on the real system terminal (a PTY the test owns) against a
 * remote that answers every chunk it receives with its bytes in hex, e.g. {@code [03]}, and every resize with
 * {@code [size CxR]}.
 */
public final class LoopbackShellHarness {
    private LoopbackShellHarness() {}

    public static void main(String[] args) throws IOException {
        // a queue, not piped streams: those break once a writing thread (here the WINCH handler's) has died
        LinkedBlockingQueue<byte[]> toScreen = new LinkedBlockingQueue<>();
        byte[] end = new byte[0];
        InputStream screen = new InputStream() {
            private byte[] current = new byte[0];
            private int position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                while (position == current.length) {
                    if (current == end) {
                        return -1;
                    }
                    try {
                        current = toScreen.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException();
                    }
                    position = 0;
                }
                int n = Math.min(len, current.length - position);
                System.arraycopy(current, position, b, off, n);
                position += n;
                return n;
            }
        };
        CompletableFuture<OptionalInt> completion = new CompletableFuture<>();
        RemoteShell shell = new RemoteShell() {
            @Override
            public String sessionId() {
                return "loopback";
            }

            @Override
            public OutputStream input() {
                return new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        StringBuilder hex = new StringBuilder("[");
                        for (int i = off; i < off + len; i++) {
                            hex.append(String.format("%02x", b[i] & 0xff));
                        }
                        emit(hex.append("]").toString());
                    }
                };
            }

            private void emit(String text) {
                toScreen.add(text.getBytes(StandardCharsets.US_ASCII));
            }

            @Override
            public InputStream output() {
                return screen;
            }

            @Override
            public void resize(int cols, int rows) {
                emit("[size " + cols + "x" + rows + "]");
            }

            @Override
            public CompletableFuture<OptionalInt> completion() {
                return completion;
            }

            @Override
            public void terminate() {
                toScreen.add(end);
                completion.complete(OptionalInt.empty());
            }
        };
        // the test reads this TTY's settings while the relay runs
        System.out.print("[tty " + java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/0")) + "]\r\n");
        System.out.flush();
        int status;
        try (Terminal terminal = SystemTerminal.open()) {
            status = new TerminalRelay(terminal, SystemTerminal.keyboard(), shell, System.err).run();
            boolean cooked = terminal.getAttributes().getLocalFlag(org.jline.terminal.Attributes.LocalFlag.ICANON);
            System.out.print("[relay-exit " + status + " cooked=" + cooked + " type=" + terminal.getType() + "]\r\n");
            System.out.flush();
        }
        System.exit(status);
    }
}
