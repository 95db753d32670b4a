package dev.ssmsession.doctor.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.NetworkAclEntry;

/** Reading security group rules and evaluating network ACLs, as EC2 applies them. */
final class Rules {
    /** Where Linux (32768–60999) and Windows (49152–65535) pick the local port of an outgoing connection. */
    static final int EPHEMERAL_FROM = 32768;
    static final int EPHEMERAL_TO = 65535;

    private Rules() {
    }

    /** A TCP (or all-traffic) permission whose port range includes {@code port}. */
    static boolean coversPort(IpPermission p, int port) {
        String proto = p.ipProtocol();
        if ("-1".equals(proto)) {
            return true;
        }
        if (!"tcp".equals(proto) && !"6".equals(proto)) {
            return false;
        }
        return p.fromPort() != null && p.toPort() != null && p.fromPort() <= port && port <= p.toPort();
    }

    /**
     * The outcome of a network ACL for one flow.
     *
     * @param allowed    the whole flow passes
     * @param deciding   the entry that allowed or blocked it (the rule number 32767 "*" entry when nothing matched)
     */
    record AclOutcome(boolean allowed, NetworkAclEntry deciding, int ruleNumber) {
    }

    /**
     * Walks the entries in rule-number order, as EC2 does: the first entry that covers the whole flow decides; a deny
     * that covers part of it blocks that part (reported as blocking); an allow that covers only part lets the walk go
     * on for the rest. Falling off the end is the implicit deny.
     */
    static AclOutcome evaluate(List<NetworkAclEntry> entries, boolean egress, Cidr peer, int fromPort, int toPort) {
        List<NetworkAclEntry> ordered = new ArrayList<>(entries.stream()
                .filter(e -> Boolean.TRUE.equals(e.egress()) == egress && e.cidrBlock() != null).toList());
        ordered.sort(Comparator.comparing(NetworkAclEntry::ruleNumber));
        for (NetworkAclEntry e : ordered) {
            Cidr block = Cidr.orNull(e.cidrBlock());
            if (block == null || !block.overlaps(peer)) {
                continue;
            }
            boolean allPorts = "-1".equals(e.protocol());
            if (!allPorts && !"6".equals(e.protocol())) {
                continue;
            }
            int from = allPorts || e.portRange() == null ? 0 : e.portRange().from();
            int to = allPorts || e.portRange() == null ? 65535 : e.portRange().to();
            if (to < fromPort || from > toPort) {
                continue;
            }
            boolean covers = block.contains(peer) && from <= fromPort && toPort <= to;
            boolean allow = "allow".equalsIgnoreCase(e.ruleActionAsString());
            if (!allow) {
                return new AclOutcome(false, e, e.ruleNumber());
            }
            if (covers) {
                return new AclOutcome(true, e, e.ruleNumber());
            }
        }
        return new AclOutcome(false, null, 32767);
    }

    /** A free rule number below {@code blocking} in that direction, a multiple of 10 when one is free. */
    static int freeRuleNumber(List<NetworkAclEntry> entries, boolean egress, int blocking) {
        List<Integer> used = entries.stream().filter(e -> Boolean.TRUE.equals(e.egress()) == egress)
                .map(NetworkAclEntry::ruleNumber).toList();
        for (int n = (blocking - 1) / 10 * 10; n >= 10; n -= 10) {
            if (!used.contains(n)) {
                return n;
            }
        }
        for (int n = blocking - 1; n >= 1; n--) {
            if (!used.contains(n)) {
                return n;
            }
        }
        return 1;
    }
}
