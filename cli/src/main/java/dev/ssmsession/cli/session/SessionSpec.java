package dev.ssmsession.cli.session;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** What to start: StartSession's input as the user gave it on the command line. */
public record SessionSpec(String target, Optional<String> documentName, Map<String, List<String>> parameters,
        Optional<String> reason) {
    public SessionSpec {
        Objects.requireNonNull(target, "target");
        parameters = Map.copyOf(parameters);
    }
}
