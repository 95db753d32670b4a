package dev.ssmsession.testkit.internal;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import com.pty4j.WinSize;
import dev.ssmsession.protocol.message.PayloadType;
import dev.ssmsession.protocol.payload.PayloadFormatException;
import dev.ssmsession.protocol.payload.Payloads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Standard_Stream} and {@code InteractiveCommands}: a shell (or {@code sh -c command}) on a
 * real PTY with {@code TERM=xterm-256color}. Output bytes go to the PTY, Size resizes it, Flags are
 * ignored (SPEC §8.1 agent side); PTY output goes out in 1024-byte chunks cut at UTF-8 boundaries.
 * The shell starts with a clean signal state ({@link CleanSignals}), so Ctrl-C / Ctrl-\ reach what
 * it runs. The session ends when the process exits.
 */
public final class PtyShellPlugin implements AgentPlugin {
    private static final Logger LOG = LoggerFactory.getLogger(PtyShellPlugin.class);
    static final int CHUNK = 1024;

    /** Size payload, SPEC §3.5. */
    record Size(@com.fasterxml.jackson.annotation.JsonProperty("cols") long cols,
                @com.fasterxml.jackson.annotation.JsonProperty("rows") long rows) {
    }

    private final String[] command;
    private final Path workingDirectory;
    private final AgentOutput out;
    private final String sessionId;
    private volatile PtyProcess process;
    private volatile OutputStream stdin;

    public PtyShellPlugin(String shell, String commandOrNull, Path workingDirectory, String sessionId, AgentOutput out) {
        this.command = commandOrNull != null ? new String[] {"/bin/sh", "-c", commandOrNull}
                : shell.endsWith("bash") ? new String[] {shell, "--noprofile", "--norc", "-i"}
                : new String[] {shell, "-i"};
        this.workingDirectory = workingDirectory;
        this.sessionId = sessionId;
        this.out = out;
    }

    @Override
    public void start() throws IOException {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("TERM", "xterm-256color");
        env.put("AWS_SSM_SESSION_ID", sessionId);
        env.remove("PROMPT_COMMAND");
        // The user's rc files are not read (--norc): the same shell on every machine, and nothing in them (a pyenv
        // rehash waiting on a lock that a killed shell left behind, say) can hold up the prompt. The prompt is the
        // usual Debian one.
        env.put("PS1", "\\u@\\h:\\w\\$ ");
        env.remove("ENV");
        process = new PtyProcessBuilder(CleanSignals.system().wrap(List.of(command)).toArray(String[]::new))
                .setEnvironment(env)
                .setDirectory(workingDirectory.toString())
                .setInitialColumns(80)
                .setInitialRows(24)
                .setRedirectErrorStream(true)
                .start();
        stdin = process.getOutputStream();
        Threads.start("testkit-pty-" + sessionId, this::pump);
    }

    private void pump() {
        Utf8Chunker chunker = new Utf8Chunker(CHUNK);
        byte[] buf = new byte[CHUNK];
        try (InputStream in = process.getInputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (byte[] chunk : chunker.feed(buf, 0, n)) {
                    out.send(PayloadType.OUTPUT, chunk);
                }
            }
            byte[] rest = chunker.flush();
            if (rest.length > 0) {
                out.send(PayloadType.OUTPUT, rest);
            }
        } catch (IOException e) {
            // A PTY master read fails with EIO once the child is gone: that is end of output.
            LOG.debug("pty of {} closed: {}", sessionId, e.getMessage());
        } catch (IllegalStateException e) {
            LOG.debug("session {} ended while the shell was writing", sessionId);
            return;
        }
        try {
            int status = process.waitFor();
            LOG.info("shell of {} exited with {}", sessionId, status);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.end("");
    }

    @Override
    public void onInput(long payloadType, byte[] payload) {
        if (payloadType == PayloadType.OUTPUT.wire()) {
            try {
                stdin.write(payload);
                stdin.flush();
            } catch (IOException e) {
                LOG.info("cannot write to the shell of {}: {}", sessionId, e.getMessage());
            }
        } else if (payloadType == PayloadType.SIZE.wire()) {
            try {
                Size s = Payloads.fromJson(payload, Size.class);
                if (s.cols() > 0 && s.rows() > 0 && s.cols() <= 0xFFFF && s.rows() <= 0xFFFF) {
                    process.setWinSize(new WinSize((int) s.cols(), (int) s.rows()));
                } else {
                    LOG.info("session {} ignores size {}x{}", sessionId, s.cols(), s.rows());
                }
            } catch (PayloadFormatException e) {
                LOG.info("session {} ignores a bad Size payload: {}", sessionId, e.getMessage());
            }
        }
        // Flags and anything else: ignored by the shell plugin, as in the agent.
    }

    @Override
    public void stop() {
        PtyProcess p = process;
        if (p != null && p.isAlive()) {
            // SIGKILL: an interactive shell ignores SIGTERM (destroy()), so it, its PTY and pty4j's reaper thread
            // outlived every session (HygieneIntegrationTest in the client module counts them).
            p.destroyForcibly();
        }
    }
}
