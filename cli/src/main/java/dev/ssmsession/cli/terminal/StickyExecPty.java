package dev.ssmsession.cli.terminal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.impl.exec.ExecPty;
import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;

/**
 * JLine's {@code stty}-based terminal that remembers what it read and set: JLine runs {@code stty -a} for every
 * attribute read, once more inside every attribute write (to compute the flags to change), and again for the size, so
 * opening a shell cost six processes before its first prompt (~20-40 ms apiece). Here the attributes are read once and
 * then kept as this process sets them (nothing else changes a terminal a session holds in raw mode); the first size
 * comes from that same read, later ones (after SIGWINCH) from a fresh {@code stty}.
 */
final class StickyExecPty extends ExecPty {
    private Attributes attributes;
    private String firstConfig;

    private StickyExecPty(TerminalProvider provider, SystemStream stream, String name) {
        super(provider, stream, name);
    }

    /**
     * The terminal on the process's stdin and stdout, named from {@code /proc/self/fd/0} where there is one (no
     * {@code tty} process), else as JLine finds it.
     */
    static ExecPty current(TerminalProvider provider) throws IOException {
        Path fd0 = Path.of("/proc/self/fd/0");
        try {
            String name = Files.readSymbolicLink(fd0).toString();
            if (name.startsWith("/dev/")) {
                return new StickyExecPty(provider, SystemStream.Output, name);
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // no /proc (macOS): below
        }
        String name = ((ExecPty) ExecPty.current(provider, SystemStream.Output)).getName();
        return new StickyExecPty(provider, SystemStream.Output, name);
    }

    @Override
    public synchronized Attributes getAttr() throws IOException {
        if (attributes == null) {
            String config = doGetConfig();
            attributes = doGetAttr(config);
            firstConfig = config;
        }
        return new Attributes(attributes);
    }

    @Override
    protected synchronized void doSetAttr(Attributes attr) throws IOException {
        super.doSetAttr(attr); // computes the flags to change against getAttr(): the remembered attributes
        attributes = new Attributes(attr);
    }

    @Override
    public synchronized Size getSize() throws IOException {
        String config = firstConfig;
        firstConfig = null;
        return config != null ? size(config) : super.getSize();
    }

    /** Rows and columns from {@code stty -a}: {@code rows 24; columns 80;} (Linux) or {@code 24 rows; 80 columns;} (BSD). */
    static Size size(String sttyAll) throws IOException {
        return new Size(number(sttyAll, "columns"), number(sttyAll, "rows"));
    }

    private static int number(String sttyAll, String name) throws IOException {
        Matcher m = Pattern.compile("\\b" + name + "\\s+(\\d+)|(\\d+)\\s+" + name + "\\b").matcher(sttyAll);
        if (!m.find()) {
            throw new IOException("stty -a shows no " + name);
        }
        return Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
    }
}
