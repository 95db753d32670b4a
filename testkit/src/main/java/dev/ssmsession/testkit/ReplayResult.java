package dev.ssmsession.testkit;

import java.util.List;

/**
 * How a client did against a replayed transcript.
 *
 * @param complete   every recorded client data message arrived and every recorded agent frame was sent
 * @param mismatches what the client sent that the transcript did not expect, in order; empty when it matched
 */
public record ReplayResult(boolean complete, List<String> mismatches) {
    public ReplayResult {
        mismatches = List.copyOf(mismatches);
    }

    public boolean matched() {
        return complete && mismatches.isEmpty();
    }
}
