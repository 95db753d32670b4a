package dev.ssmsession.testkit.internal;

import dev.ssmsession.protocol.message.PayloadType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code NonInteractiveCommands} with separate output streams: {@code sh -c command} on pipes;
 * stdout goes out as Output, stderr as StdErr, both in 1024-byte UTF-8-safe chunks, then one
 * ExitCode payload {@code EXIT_CODE: n} (SPEC §3.6). Input bytes {@code 0x03} / {@code 0x1C}
 * signal SIGINT / SIGQUIT to the command; Size and the rest are ignored (SPEC §8.1). The command
 * leads its own process group and a signal goes to the whole group, as a terminal sends it to its
 * foreground job: signalling only sh would leave {@code sleep 30} holding the output pipes open.
 */
public final class CommandPlugin implements AgentPlugin {
    private static final Logger LOG = LoggerFactory.getLogger(CommandPlugin.class);

    private final String command;
    private final Path workingDirectory;
    private final String sessionId;
    private final AgentOutput out;
    private volatile Process process;
    private volatile boolean ownGroup;
    private volatile boolean ended;

    public CommandPlugin(String command, Path workingDirectory, String sessionId, AgentOutput out) {
        this.command = command;
        this.workingDirectory = workingDirectory;
        this.sessionId = sessionId;
        this.out = out;
    }

    @Override
    public void start() throws IOException {
        CleanSignals clean = CleanSignals.system();
        ownGroup = clean.available();
        ProcessBuilder pb = new ProcessBuilder(clean.wrapInOwnProcessGroup(List.of("/bin/sh", "-c", command)))
                .directory(workingDirectory.toFile());
        pb.environment().put("AWS_SSM_SESSION_ID", sessionId);
        process = pb.start();
        process.getOutputStream().close();
        CountDownLatch streams = new CountDownLatch(2);
        Threads.start("testkit-cmd-out-" + sessionId, () -> copy(process.getInputStream(), PayloadType.OUTPUT, streams));
        Threads.start("testkit-cmd-err-" + sessionId, () -> copy(process.getErrorStream(), PayloadType.STDERR, streams));
        Threads.start("testkit-cmd-exit-" + sessionId, () -> finish(streams));
    }

    private void copy(InputStream in, PayloadType type, CountDownLatch done) {
        Utf8Chunker chunker = new Utf8Chunker(PtyShellPlugin.CHUNK);
        byte[] buf = new byte[PtyShellPlugin.CHUNK];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (byte[] chunk : chunker.feed(buf, 0, n)) {
                    out.send(type, chunk);
                }
            }
            byte[] rest = chunker.flush();
            if (rest.length > 0) {
                out.send(type, rest);
            }
        } catch (IOException | IllegalStateException e) {
            LOG.debug("{} of {} ended: {}", type, sessionId, e.getMessage());
        } finally {
            done.countDown();
        }
    }

    private void finish(CountDownLatch streams) {
        try {
            int status = process.waitFor();
            streams.await();
            ended = true;
            out.send(PayloadType.EXIT_CODE, ("EXIT_CODE: " + status).getBytes(StandardCharsets.UTF_8));
            out.end("");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException e) {
            LOG.debug("session {} ended before the exit code was sent", sessionId);
        }
    }

    @Override
    public void onInput(long payloadType, byte[] payload) {
        if (payloadType != PayloadType.OUTPUT.wire()) {
            return;
        }
        for (byte b : payload) {
            if (b == 0x03) {
                signal("INT");
            } else if (b == 0x1C) {
                signal("QUIT");
            }
        }
    }

    private void signal(String name) {
        Process p = process;
        // Once sh is gone the group lives on while a member does (holding the output open), and its
        // id cannot be reused until the last member is gone: so signal until the output ended.
        if (p == null || ended || !ownGroup && !p.isAlive()) {
            return;
        }
        String target = ownGroup ? "-" + p.pid() : Long.toString(p.pid());
        try {
            // The JDK can only TERM or KILL; the agent forwards the real signal, so ask sh's kill.
            new ProcessBuilder("/bin/sh", "-c", "kill -s " + name + " -- " + target).start().waitFor();
        } catch (IOException e) {
            LOG.info("cannot send SIG{} to the command of {}: {}", name, sessionId, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
    }
}
