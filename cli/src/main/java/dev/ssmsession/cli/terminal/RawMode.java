package dev.ssmsession.cli.terminal;

import java.util.EnumSet;
import org.jline.terminal.Attributes;
import org.jline.terminal.Attributes.ControlChar;
import org.jline.terminal.Attributes.ControlFlag;
import org.jline.terminal.Attributes.InputFlag;
import org.jline.terminal.Attributes.LocalFlag;
import org.jline.terminal.Attributes.OutputFlag;

/**
 * Full raw mode, set flag by flag (what {@code cfmakeraw} does) rather than through {@code Terminal.enterRawMode()},
 * whose ISIG handling changed between JLine 3.30 and 4.x. With ISIG off, Ctrl-C/Ctrl-Z/Ctrl-\ arrive as the bytes
 * 0x03/0x1A/0x1C and reach the remote (the Go plugin instead keeps ISIG and re-injects them, SPEC §8.1); with
 * ICRNL off, Enter arrives as 0x0D, which is what the agent expects (SPEC §6.1/§8.1).
 */
final class RawMode {
    private RawMode() {}

    static Attributes of(Attributes original) {
        Attributes raw = new Attributes(original);
        raw.setInputFlags(EnumSet.of(InputFlag.IGNBRK, InputFlag.BRKINT, InputFlag.PARMRK, InputFlag.ISTRIP,
                InputFlag.INLCR, InputFlag.IGNCR, InputFlag.ICRNL, InputFlag.IXON, InputFlag.IXOFF,
                InputFlag.IXANY, InputFlag.IMAXBEL, InputFlag.INPCK), false);
        raw.setOutputFlag(OutputFlag.OPOST, false);
        raw.setLocalFlags(EnumSet.of(LocalFlag.ECHO, LocalFlag.ECHOE, LocalFlag.ECHOK, LocalFlag.ECHONL,
                LocalFlag.ECHOCTL, LocalFlag.ECHOKE, LocalFlag.ICANON, LocalFlag.ISIG, LocalFlag.IEXTEN), false);
        raw.setControlFlags(EnumSet.of(ControlFlag.CS5, ControlFlag.CS6, ControlFlag.CS7, ControlFlag.PARENB), false);
        raw.setControlFlag(ControlFlag.CS8, true);
        raw.setControlChar(ControlChar.VMIN, 1);
        raw.setControlChar(ControlChar.VTIME, 0);
        return raw;
    }
}
