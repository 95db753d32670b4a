package dev.ssmsession.testkit;

import java.util.List;
import java.util.Map;

/**
 * What the local service knows about one session, for assertions.
 *
 * @param sessionId      the id StartSession returned
 * @param target         the target
 * @param documentName   the document that runs it
 * @param parameters     resolved document parameters (defaults filled in)
 * @param status         {@code CREATED}, {@code CONNECTED}, {@code DISCONNECTED} or {@code TERMINATED}
 * @param connections    how many data-channel connections were accepted (reconnects count)
 * @param closeReason    the channel_closed Output text once terminated, else null
 * @param upgrades       what each WebSocket upgrade carried
 * @param clientVersion  the ClientVersion of the handshake response, if there was a handshake
 * @param rejectedFrames frames from the client that were dropped as malformed or of unknown type
 */
public record SessionView(String sessionId, String target, String documentName, Map<String, String> parameters,
                          String status, int connections, String closeReason, List<Upgrade> upgrades,
                          String clientVersion, long rejectedFrames) {

    /**
     * One WebSocket upgrade request.
     *
     * @param hasAuthorization it carried an {@code Authorization} header
     * @param signatureValid   the header is a valid SigV4 signature for ssmmessages with the testkit credentials
     * @param signatureProblem why it is not valid, or null
     * @param hasSecurityToken it carried {@code X-Amz-Security-Token}
     * @param amzDate         the {@code X-Amz-Date} value, if any
     * @param accepted        the service let it through
     */
    public record Upgrade(boolean hasAuthorization, boolean signatureValid, String signatureProblem,
                          boolean hasSecurityToken, String amzDate, boolean accepted) {
        /** The upgrade carried a valid SigV4 signature for ssmmessages (same as {@link #signatureValid()}). */
        public boolean signed() {
            return signatureValid;
        }
    }
}
