package dev.ssmsession.doctor.internal;

import static dev.ssmsession.doctor.internal.Checks.fail;
import static dev.ssmsession.doctor.internal.Checks.pass;
import static dev.ssmsession.doctor.internal.Checks.skipped;
import static dev.ssmsession.doctor.internal.Checks.warn;

import dev.ssmsession.doctor.CheckResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.NetworkAcl;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;

/**
 * The rest of check 5: the instance's own security groups let 443 out to where the agent connects, and the network
 * ACLs on the way let the connection out and its replies back (ACLs are stateless, so replies to the instance's
 * ephemeral ports need rules of their own).
 */
final class TrafficChecks {
    private final Aws aws;
    private final Facts facts;
    private final NetworkChecks network;

    TrafficChecks(Aws aws, Facts facts, NetworkChecks network) {
        this.aws = aws;
        this.facts = facts;
        this.network = network;
    }

    /** Interface endpoints in use, and whether some service goes over the internet instead. */
    private List<VpcEndpoint> interfaceEndpoints() {
        return facts.endpointsUsed.values().stream().filter(e -> "Interface".equalsIgnoreCase(e.vpcEndpointTypeAsString()))
                .distinct().toList();
    }

    private boolean someServiceOverInternet() {
        return facts.internetPath() && facts.services().stream().anyMatch(s -> !facts.endpointsUsed.containsKey(s));
    }

    CheckResult instanceEgress() {
        String id = "instance-egress";
        String title = "Instance security groups: 443 out";
        Instance i = facts.instance;
        if (i == null) {
            return skipped(id, title, "needs the instance: " + facts.instanceMissing);
        }
        if (interfaceEndpoints().isEmpty() && !someServiceOverInternet()) {
            return skipped(id, title, "no reachable endpoint to check against (see the endpoint checks above)");
        }
        Map<String, SecurityGroup> mine;
        try {
            mine = network.groups(i.securityGroups().stream().map(g -> g.groupId()).toList());
        } catch (Unavailable e) {
            return skipped(id, title, e);
        }
        List<IpPermission> out443 = mine.values().stream().flatMap(g -> g.ipPermissionsEgress().stream())
                .filter(p -> Rules.coversPort(p, 443)).toList();
        String firstGroup = i.securityGroups().isEmpty() ? "<the instance's group>" : i.securityGroups().get(0).groupId();
        List<String> found = new ArrayList<>();
        for (VpcEndpoint e : interfaceEndpoints()) {
            Set<String> endpointGroups = new LinkedHashSet<>(e.groups().stream().map(g -> g.groupId()).toList());
            List<Cidr> cidrs = e.subnetIds().stream().map(s -> network.subnets().get(s)).filter(s -> s != null)
                    .map(s -> Cidr.parse(s.cidrBlock())).toList();
            boolean ok = out443.stream().anyMatch(p -> p.userIdGroupPairs().stream().anyMatch(pair -> endpointGroups.contains(pair.groupId()))
                    || (!cidrs.isEmpty() && cidrs.stream().allMatch(c -> p.ipRanges().stream().map(r -> Cidr.orNull(r.cidrIp()))
                    .anyMatch(r -> r != null && r.contains(c)))));
            if (!ok) {
                String group = endpointGroups.isEmpty() ? null : endpointGroups.iterator().next();
                return fail(id, title, "groups " + mine.keySet() + " allow no TCP 443 out to " + e.vpcEndpointId()
                        + " (" + e.serviceName() + ", groups " + endpointGroups + ", subnets " + e.subnetIds() + ")",
                        "aws ec2 authorize-security-group-egress --group-id " + firstGroup + " --ip-permissions "
                                + (group != null ? "'IpProtocol=tcp,FromPort=443,ToPort=443,UserIdGroupPairs=[{GroupId=" + group + "}]'"
                                : "'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=" + cidrs.get(0) + "}]'"));
            }
            found.add(e.vpcEndpointId());
        }
        if (someServiceOverInternet()) {
            boolean anywhere = out443.stream().anyMatch(p -> p.ipRanges().stream().map(r -> Cidr.orNull(r.cidrIp()))
                    .anyMatch(r -> r != null && r.contains(Cidr.ANYWHERE)));
            String fix = "aws ec2 authorize-security-group-egress --group-id " + firstGroup
                    + " --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]'";
            if (!anywhere && out443.isEmpty()) {
                return fail(id, title, "groups " + mine.keySet() + " allow no TCP 443 out at all: the agent cannot reach "
                        + "the public Systems Manager endpoints", fix);
            }
            if (!anywhere) {
                return warn(id, title, "groups " + mine.keySet() + " allow 443 out only to some addresses; whether those "
                        + "cover the public Systems Manager endpoints cannot be told from here", fix);
            }
            found.add("0.0.0.0/0");
        }
        return pass(id, title, "groups " + mine.keySet() + " allow TCP 443 out to " + found);
    }

    CheckResult networkAcl() {
        String id = "network-acl";
        String title = "Network ACLs: 443 out, replies back";
        Instance i = facts.instance;
        if (i == null) {
            return skipped(id, title, "needs the instance: " + facts.instanceMissing);
        }
        Map<String, Subnet> subnets = network.subnets();
        // peer subnet (or "internet") -> its CIDR
        Map<String, Cidr> peers = new LinkedHashMap<>();
        for (VpcEndpoint e : interfaceEndpoints()) {
            for (String s : e.subnetIds()) {
                if (!s.equals(i.subnetId())) {
                    Subnet subnet = subnets.get(s);
                    if (subnet == null) {
                        return skipped(id, title, "the endpoints' subnets could not be described: " + facts.subnetsMissing);
                    }
                    peers.put(s, Cidr.parse(subnet.cidrBlock()));
                }
            }
        }
        if (someServiceOverInternet()) {
            peers.put("internet", Cidr.ANYWHERE);
        }
        if (peers.isEmpty()) {
            return interfaceEndpoints().isEmpty()
                    ? skipped(id, title, "no reachable endpoint to check against (see the endpoint checks above)")
                    : pass(id, title, "the endpoints have interfaces in the instance's own subnet " + i.subnetId()
                    + " only: no network ACL lies on the way");
        }
        Map<String, NetworkAcl> aclBySubnet = new LinkedHashMap<>();
        try {
            for (NetworkAcl acl : Aws.call("ec2:DescribeNetworkAcls", () -> aws.ec2().describeNetworkAcls(b -> b.filters(
                    NetworkChecks.filter("vpc-id", i.vpcId()))).networkAcls())) {
                acl.associations().forEach(a -> aclBySubnet.put(a.subnetId(), acl));
            }
        } catch (Unavailable e) {
            return skipped(id, title, e);
        }
        NetworkAcl own = aclBySubnet.get(i.subnetId());
        if (own == null) {
            return skipped(id, title, "no network ACL is associated with " + i.subnetId());
        }
        Cidr instanceIp = Cidr.parse(i.privateIpAddress() + "/32");
        List<String> passed = new ArrayList<>();
        for (Map.Entry<String, Cidr> peer : peers.entrySet()) {
            String where = peer.getKey().equals("internet") ? "the internet" : peer.getKey() + " " + peer.getValue();
            CheckResult problem = flow(id, title, own, i.subnetId(), true, peer.getValue(), 443, 443, "443 out to " + where);
            if (problem == null) {
                problem = flow(id, title, own, i.subnetId(), false, peer.getValue(), Rules.EPHEMERAL_FROM, Rules.EPHEMERAL_TO,
                        "replies in from " + where);
            }
            NetworkAcl theirs = aclBySubnet.get(peer.getKey());
            if (problem == null && theirs != null && !theirs.networkAclId().equals(own.networkAclId())) {
                problem = flow(id, title, theirs, peer.getKey(), false, instanceIp, 443, 443, "443 in from the instance");
                if (problem == null) {
                    problem = flow(id, title, theirs, peer.getKey(), true, instanceIp, Rules.EPHEMERAL_FROM, Rules.EPHEMERAL_TO,
                            "replies out to the instance");
                }
            }
            if (problem != null) {
                return problem;
            }
            passed.add(where);
        }
        return pass(id, title, own.networkAclId() + " on " + i.subnetId() + " (and the endpoint subnets' ACLs) let 443 out "
                + "and replies back for " + passed);
    }

    /** Null when {@code acl} lets the flow through, else the FAIL saying which rule blocks and which entry to add. */
    private CheckResult flow(String id, String title, NetworkAcl acl, String subnet, boolean egress, Cidr peer,
                             int from, int to, String what) {
        Rules.AclOutcome o = Rules.evaluate(acl.entries(), egress, peer, from, to);
        if (o.allowed()) {
            return null;
        }
        String rule = o.deciding() == null || o.ruleNumber() == 32767 ? "no rule allows it (the final * deny)"
                : "rule " + o.ruleNumber() + (o.deciding().cidrBlock() == null ? "" : " (" + o.deciding().ruleActionAsString()
                + " " + o.deciding().cidrBlock() + ")") + " blocks it";
        String ports = from == to ? String.valueOf(from) : from + "-" + to;
        int number = Rules.freeRuleNumber(acl.entries(), egress, o.ruleNumber());
        boolean replies = from != to;
        return fail(id, title, acl.networkAclId() + " (subnet " + subnet + "): " + (egress ? "outbound" : "inbound")
                        + " TCP " + ports + " " + (egress ? "to " : "from ") + peer + ", " + what + ": " + rule
                        + (replies ? "; network ACLs are stateless, so the replies need a rule of their own" : ""),
                "aws ec2 create-network-acl-entry --network-acl-id " + acl.networkAclId() + (egress ? " --egress" : " --ingress")
                        + " --rule-number " + number + " --protocol tcp --port-range From=" + (replies ? 1024 : from)
                        + ",To=" + to + " --cidr-block " + peer + " --rule-action allow");
    }
}
