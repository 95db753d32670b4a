package dev.ssmsession.cli;

import picocli.CommandLine.Option;

/** The local web server's options, shared by {@code web} and {@code demo --web}. */
final class WebOptions {
    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on (default ${DEFAULT-VALUE}); any non-loopback one needs --allow-remote.")
    String bind;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
            description = "Port to listen on (default 0: any free port; the URL says which).")
    int port;

    @Option(names = "--open", description = "Open the page in the default browser (the URL is printed either way).")
    boolean open;

    @Option(names = "--allow-remote", description = "Allow a non-loopback --bind: anyone who can reach it and has "
            + "the URL (it carries a secret token) gets a shell.")
    boolean allowRemote;
}
