package dev.ssmsession.cli;

import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.SessionRequest;
import dev.ssmsession.doctor.CheckResult;
import dev.ssmsession.doctor.Doctor;
import dev.ssmsession.doctor.Report;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ssm-session doctor}: why a target cannot be reached, and what to change. */
@Command(name = "doctor", description = {
    "Check why a target cannot be reached with Session Manager, and say exactly what to change: identity and region,",
    "managed-node status, the instance, its subnet's route and DNS, the VPC endpoints (ssm, ssmmessages, ec2messages;",
    "kms, logs, s3 when the session preferences need them), security groups and network ACLs both ways, the instance",
    "role, your permission to start the session, this machine's path to the endpoints, and a real session.",
    "Exit status: 0 when a session would work, 1 when a check failed, 2 for bad arguments."
})
public final class DoctorCommand implements Callable<Integer> {
    @ParentCommand
    SsmSession root;

    @Option(names = {"-t", "--target"}, required = true, paramLabel = "ID",
            description = "The instance (i-…) or managed node (mi-…) to diagnose.")
    String target;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default; colour on a terminal) or json.")
    String output;

    @Option(names = "--no-session", description = "Skip the final StartSession / TerminateSession round trip.")
    boolean noSession;

    @Option(names = "--document-name", paramLabel = "DOCUMENT",
            description = "The session document to check the permission for and to start (default: the shell's).")
    String documentName;

    @Override
    public Integer call() {
        String format = output.toLowerCase(Locale.ROOT);
        if (!format.equals("table") && !format.equals("json")) {
            throw CliException.usage("--output must be table or json, not '" + output + "'", "");
        }
        CliContext context = root.context;
        PrintStream out = context.out();
        boolean colour = format.equals("table") && ReportTable.colourWanted(context);
        ReportTable table = new ReportTable(out, colour);
        Report report;
        try (SessionManager manager = context.sessions().manager(root.connection())) {
            Doctor doctor = Doctor.builder(manager).session(!noSession)
                    .documentName(documentName == null ? SessionRequest.SHELL_DOCUMENT : documentName).build();
            if (format.equals("table")) {
                table.header(target, manager.region().id());
                report = doctor.diagnose(target, table::row);
            } else {
                report = doctor.diagnose(target);
            }
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage(), "");
        }
        if (format.equals("table")) {
            table.summary(report);
        } else {
            out.println(ReportJson.write(report));
        }
        out.flush();
        return report.sessionWouldWork() ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /** Lines of one check for people: verdict, id and title, then what was found and the fix, indented. */
    static final class ReportTable {
        private static final String RESET = "\u001b[0m";
        private final PrintStream out;
        private final boolean colour;

        ReportTable(PrintStream out, boolean colour) {
            this.out = out;
            this.colour = colour;
        }

        /** Colour only when stdout is the process's own and a terminal, and NO_COLOR is not set. */
        static boolean colourWanted(CliContext context) {
            return context.out() == System.out && System.console() != null && context.env().get("NO_COLOR") == null;
        }

        void header(String target, String region) {
            out.println("ssm-session doctor: " + target + " in " + region);
            out.println();
            out.flush();
        }

        void row(CheckResult c) {
            String verdict = String.format("%-8s", c.verdict().name());
            out.println(paint(verdict, c) + " " + String.format("%-21s", c.id()) + " " + c.title());
            indent(c.detail(), "");
            indent(c.fix(), "fix: ");
            out.flush();
        }

        private void indent(String text, String label) {
            if (text.isEmpty()) {
                return;
            }
            String[] lines = text.split("\n");
            for (int i = 0; i < lines.length; i++) {
                out.println("         " + (i == 0 ? label : " ".repeat(label.length())) + lines[i]);
            }
        }

        private String paint(String text, CheckResult c) {
            if (!colour) {
                return text;
            }
            String code = switch (c.verdict()) {
                case PASS -> "\u001b[32m";
                case WARN -> "\u001b[33m";
                case FAIL -> "\u001b[1;31m";
                case SKIPPED -> "\u001b[2m";
            };
            return code + text + RESET;
        }

        void summary(Report r) {
            out.println();
            out.println(r.count(dev.ssmsession.doctor.Verdict.FAIL) + " failed, "
                    + r.count(dev.ssmsession.doctor.Verdict.WARN) + " warnings, "
                    + r.count(dev.ssmsession.doctor.Verdict.SKIPPED) + " skipped, "
                    + r.count(dev.ssmsession.doctor.Verdict.PASS) + " passed: "
                    + (r.sessionWouldWork() ? "a session should work." : "a session will not work until the failed checks are fixed."));
        }
    }
}
