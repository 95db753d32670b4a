package dev.ssmsession.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The clean start of the agent's children, against a parent that blocks and ignores signals. */
class CleanSignalsTest {
    private static final String NONE = "0000000000000000";
    private static final List<String> OWN_STATE = List.of("sh", "-c",
            // Builtins only: a child reading /proc/$$ would see dash blocking everything while it waits.
            "while read -r k v; do case $k in SigBlk:|SigIgn:) echo \"$k$v\";; esac; done < /proc/$$/status;"
                    + " read -r pid comm state ppid pgid rest < /proc/$$/stat; echo \"pid-$pid-pgid-$pgid-\"");

    @Test
    void aWrappedCommandGetsNoBlockedAndNoIgnoredSignalsWhateverItsParentHad() throws Exception {
        String out = runUnderDirtyParent(CleanSignals.system().wrap(OWN_STATE));
        assertThat(out).contains("SigBlk:" + NONE, "SigIgn:" + NONE);
        assertThat(pid(out)).as("same process group as its parent").isNotEqualTo(pgid(out));
    }

    @Test
    void theProcessGroupVariantMakesTheCommandLeadItsOwnGroup() throws Exception {
        String out = runUnderDirtyParent(CleanSignals.system().wrapInOwnProcessGroup(OWN_STATE));
        assertThat(out).contains("SigBlk:" + NONE, "SigIgn:" + NONE);
        assertThat(pgid(out)).isEqualTo(pid(out));
    }

    @Test
    void theParentReallyIsDirtySoTheTestsAboveCanFail() throws Exception {
        String out = runUnderDirtyParent(OWN_STATE);
        assertThat(out).doesNotContain("SigBlk:" + NONE).doesNotContain("SigIgn:" + NONE);
    }

    @Test
    void withoutPerlTheCommandStillStartsUnchanged() throws Exception {
        CleanSignals none = new CleanSignals(Optional.empty());
        assertThat(none.available()).isFalse();
        assertThat(none.wrap(OWN_STATE)).isEqualTo(OWN_STATE);
        assertThat(none.wrapInOwnProcessGroup(OWN_STATE)).isEqualTo(OWN_STATE);
        assertThat(run(none.wrap(OWN_STATE))).contains("SigBlk:", "pgid-");
    }

    @Test
    void perlIsFoundOnThePathOnlyAsAnExecutableFile(@TempDir Path dir) throws IOException {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path notExecutable = Files.createDirectory(dir.resolve("plain"));
        Files.writeString(notExecutable.resolve("perl"), "");
        Files.createDirectory(dir.resolve("dir")).resolve("perl").toFile().mkdir();
        Path perl = Files.writeString(bin.resolve("perl"), "#!/bin/sh\n");
        assertThat(perl.toFile().setExecutable(true)).isTrue();

        assertThat(CleanSignals.onPath("perl", notExecutable + ":" + dir.resolve("dir") + "::" + bin)).contains(perl);
        assertThat(CleanSignals.onPath("perl", notExecutable.toString())).isEmpty();
        assertThat(CleanSignals.onPath("perl", null)).isEmpty();
    }

    /** Runs {@code command} from a parent that blocks and ignores SIGINT and SIGQUIT (dash would clear the mask). */
    private static String runUnderDirtyParent(List<String> command) throws Exception {
        List<String> all = new ArrayList<>(List.of("perl", "-MPOSIX", "-e", "$SIG{INT} = $SIG{QUIT} = 'IGNORE';"
                + " sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGINT, SIGQUIT)) or die; exec {$ARGV[0]} @ARGV or die", "--"));
        all.addAll(command);
        return run(all);
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("exited").isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static String pid(String out) {
        return out.replaceAll("(?s).*pid-(\\d+)-pgid-\\d+-.*", "$1");
    }

    private static String pgid(String out) {
        return out.replaceAll("(?s).*pid-\\d+-pgid-(\\d+)-.*", "$1");
    }
}
