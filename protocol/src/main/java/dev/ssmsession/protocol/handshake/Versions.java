package dev.ssmsession.protocol.handshake;

import java.util.Arrays;

/**
 * Version comparison and the feature gates keyed on the peer's version (SPEC §8.2, §8.6).
 *
 * <p>Client-side gates compare the AgentVersion the way the Go client does: both strings split on
 * {@code .}, the same number of components, every component a non-negative decimal, compared
 * numerically left to right, strictly greater; anything unparsable is "not greater" (so an odd
 * agent version falls back to the conservative behaviour). Agent-side gates, used by the simulated
 * agent, pad the shorter version with zero components so that a 4-part ClientVersion can be
 * compared with the 3-part threshold {@code 1.1.70}.
 */
public final class Versions {
    /** Agents above this understand the TerminateSession flag in basic port forwarding. */
    public static final String AGENT_TERMINATE_SESSION_FLAG = "2.3.722.0";
    /** Agents above this speak smux for LocalPortForwarding. */
    public static final String AGENT_SMUX = "3.0.196.0";
    /** Agents above this no longer need the client's smux keepalive. */
    public static final String AGENT_SMUX_KEEPALIVE_OFF = "3.1.1511.0";
    /** Clients at or above this get smux from the agent. */
    public static final String CLIENT_SMUX = "1.1.70";
    /** Clients above this get no smux keepalive from the agent. */
    public static final String CLIENT_SMUX_KEEPALIVE_OFF = "1.2.331.0";

    private Versions() {
    }

    /**
     * Whether {@code version} is strictly greater than {@code threshold}, comparing same-length
     * numeric dotted versions. Different component counts, empty or non-numeric parts → false.
     */
    public static boolean isGreaterThan(String version, String threshold) {
        long[] a = parse(version);
        long[] b = parse(threshold);
        if (a == null || b == null || a.length != b.length) {
            return false;
        }
        return compare(a, b) > 0;
    }

    /** Client side: use smux for LocalPortForwarding (agent version > 3.0.196.0). */
    public static boolean clientUsesSmux(String agentVersion) {
        return isGreaterThan(agentVersion, AGENT_SMUX);
    }

    /** Client side: turn smux keepalive off (agent version > 3.1.1511.0). */
    public static boolean clientDisablesSmuxKeepalive(String agentVersion) {
        return isGreaterThan(agentVersion, AGENT_SMUX_KEEPALIVE_OFF);
    }

    /** Client side: the agent understands the TerminateSession flag (agent version > 2.3.722.0). */
    public static boolean agentSupportsTerminateSessionFlag(String agentVersion) {
        return isGreaterThan(agentVersion, AGENT_TERMINATE_SESSION_FLAG);
    }

    /** Agent side: serve LocalPortForwarding with smux (client version ≥ 1.1.70). */
    public static boolean agentUsesSmux(String clientVersion) {
        Integer c = comparePadded(clientVersion, CLIENT_SMUX);
        return c != null && c >= 0;
    }

    /** Agent side: turn the agent's smux keepalive off (client version > 1.2.331.0). */
    public static boolean agentDisablesSmuxKeepalive(String clientVersion) {
        Integer c = comparePadded(clientVersion, CLIENT_SMUX_KEEPALIVE_OFF);
        return c != null && c > 0;
    }

    private static Integer comparePadded(String version, String threshold) {
        long[] a = parse(version);
        long[] b = parse(threshold);
        if (a == null || b == null) {
            return null;
        }
        int n = Math.max(a.length, b.length);
        return compare(Arrays.copyOf(a, n), Arrays.copyOf(b, n));
    }

    private static int compare(long[] a, long[] b) {
        for (int i = 0; i < a.length; i++) {
            int c = Long.compare(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** The numeric components, or null if any component is empty, non-decimal or absurdly long. */
    private static long[] parse(String version) {
        if (version == null || version.isEmpty()) {
            return null;
        }
        String[] parts = version.split("\\.", -1);
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 18) {
                return null;
            }
            for (int j = 0; j < p.length(); j++) {
                char ch = p.charAt(j);
                if (ch < '0' || ch > '9') {
                    return null;
                }
            }
            out[i] = Long.parseLong(p);
        }
        return out;
    }
}
