package dev.ssmsession.client.it;

import dev.ssmsession.client.CommandResult;

import static org.assertj.core.api.Assertions.assertThat;

final class CommandResultAssert {
    private CommandResultAssert() {
    }

    static void ok(CommandResult r, String expectedOutput) {
        assertThat(r.stdoutText()).contains(expectedOutput);
        assertThat(r.exitCode()).hasValue(0);
    }
}
