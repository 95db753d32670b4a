package dev.ssmsession.cli;

import dev.ssmsession.cli.session.SessionSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** StartSession's input, as options shared by the session commands. */
final class TargetOptions {
    @Option(names = {"-t", "--target"}, required = true, paramLabel = "ID",
            description = "The managed node: i-…, mi-…, or ecs:<cluster>_<task-id>_<container-runtime-id>.")
    String target;

    @Option(names = "--document-name", paramLabel = "DOCUMENT",
            description = "Session document (each command has its own default).")
    String documentName;

    @Option(names = "--parameters", paramLabel = "JSON",
            description = "Document parameters as JSON, e.g. '{\"command\":[\"uptime\"]}'.")
    String parametersJson;

    @Option(names = {"-p", "--parameter"}, paramLabel = "NAME=VALUE",
            description = "One document parameter; repeat for more (a repeated name makes a list).")
    List<String> parameters = new ArrayList<>();

    @Option(names = "--reason", paramLabel = "TEXT", description = "Reason recorded with the session.")
    String reason;

    SessionSpec spec(String defaultDocument, Map<String, List<String>> extra) {
        Map<String, List<String>> merged;
        try {
            merged = new LinkedHashMap<>(SessionParameters.merge(parametersJson, parameters));
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage(), "");
        }
        merged.putAll(extra);
        String document = documentName != null ? documentName : defaultDocument;
        return new SessionSpec(target, Optional.ofNullable(document), merged, Optional.ofNullable(reason));
    }
}
