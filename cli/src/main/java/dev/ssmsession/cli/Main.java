package dev.ssmsession.cli;

/**
 * The launcher's entry point for {@code ssm-session}: answers {@code --version} before anything else loads
 * (picocli's classes cannot be kept in the class-data-sharing archive, and building its model takes longer than
 * the whole answer should), then hands over to {@link SsmSession}.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            for (String line : Version.lines()) {
                System.out.println(line);
            }
            System.exit(ExitCodes.OK);
        }
        SsmSession.main(args);
    }
}
