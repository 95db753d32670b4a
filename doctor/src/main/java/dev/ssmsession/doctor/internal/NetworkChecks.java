package dev.ssmsession.doctor.internal;

import static dev.ssmsession.doctor.internal.Checks.fail;
import static dev.ssmsession.doctor.internal.Checks.pass;
import static dev.ssmsession.doctor.internal.Checks.skipped;
import static dev.ssmsession.doctor.internal.Checks.warn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ssmsession.doctor.CheckResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.VpcAttributeName;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;

/**
 * Checks 4 and 5: the instance subnet's way out (route table, VPC DNS attributes), the session preferences that add
 * endpoints, and one check per endpoint the agent needs (exists, available, private DNS, its AZ, 443 from the
 * instance).
 */
final class NetworkChecks {
    static final String PREFERENCES_DOCUMENT = "SSM-SessionManagerRunShell";

    private final Aws aws;
    private final Facts facts;
    private List<VpcEndpoint> endpoints;
    private Unavailable endpointsMissing;

    NetworkChecks(Aws aws, Facts facts) {
        this.aws = aws;
        this.facts = facts;
    }

    CheckResult route() {
        String title = "Route from the instance's subnet";
        Instance i = facts.instance;
        if (i == null) {
            return skipped("route", title, "needs the instance: " + facts.instanceMissing);
        }
        List<RouteTable> tables;
        try {
            tables = Aws.call("ec2:DescribeRouteTables", () -> aws.ec2().describeRouteTables(b -> b.filters(
                    filter("vpc-id", i.vpcId()))).routeTables());
        } catch (Unavailable e) {
            return skipped("route", title, e);
        }
        RouteTable table = tables.stream().filter(t -> t.associations().stream().anyMatch(a -> i.subnetId().equals(a.subnetId())))
                .findFirst().orElseGet(() -> tables.stream().filter(t -> t.associations().stream()
                        .anyMatch(a -> Boolean.TRUE.equals(a.main()))).findFirst().orElse(null));
        if (table == null) {
            return skipped("route", title, "no route table of " + i.vpcId() + " is associated with " + i.subnetId()
                    + " and none is the main one");
        }
        facts.routeTableId = table.routeTableId();
        Route def = table.routes().stream().filter(r -> "0.0.0.0/0".equals(r.destinationCidrBlock())).findFirst().orElse(null);
        String target = def == null ? null : firstNonNull(def.natGatewayId(), def.gatewayId(), def.transitGatewayId(),
                def.networkInterfaceId(), def.instanceId(), def.vpcPeeringConnectionId());
        boolean blackhole = def != null && "blackhole".equals(def.stateAsString());
        if (target == null || blackhole || target.equals("local")) {
            facts.internetRoute = "";
            return pass("route", title, table.routeTableId() + " has no route out of the VPC"
                    + (blackhole ? " (its 0.0.0.0/0 route is a blackhole)" : "")
                    + ": the agent can only reach Systems Manager through interface VPC endpoints (checked below)");
        }
        if (target.startsWith("igw-") && i.publicIpAddress() == null) {
            // an internet gateway only carries traffic of addresses it can translate: without a public IP, none
            facts.internetRoute = "";
            return warn("route", title, table.routeTableId() + " sends 0.0.0.0/0 to " + target + ", an internet gateway, "
                    + "but the instance has no public IP, so none of its traffic leaves that way: the agent needs interface "
                    + "VPC endpoints (checked below) or a NAT gateway", "either create the endpoints below, or give the "
                    + "instance a public IP (aws ec2 allocate-address, then aws ec2 associate-address --instance-id "
                    + i.instanceId() + " --allocation-id <its id>), or route 0.0.0.0/0 of a private subnet to a NAT gateway");
        }
        facts.internetRoute = target;
        String how = target.startsWith("igw-") ? "an internet gateway, and the instance has the public IP "
                + i.publicIpAddress()
                : target.startsWith("nat-") ? "a NAT gateway" : "a gateway or appliance";
        return pass("route", title, table.routeTableId() + " sends 0.0.0.0/0 to " + target + ", " + how
                + ": the agent can reach the public Systems Manager endpoints");
    }

    CheckResult vpcDns() {
        String title = "VPC DNS attributes";
        Instance i = facts.instance;
        if (i == null) {
            return skipped("vpc-dns", title, "needs the instance: " + facts.instanceMissing);
        }
        boolean support;
        boolean hostnames;
        try {
            support = Aws.call("ec2:DescribeVpcAttribute", () -> aws.ec2().describeVpcAttribute(b -> b.vpcId(i.vpcId())
                    .attribute(VpcAttributeName.ENABLE_DNS_SUPPORT)).enableDnsSupport().value());
            hostnames = Aws.call("ec2:DescribeVpcAttribute", () -> aws.ec2().describeVpcAttribute(b -> b.vpcId(i.vpcId())
                    .attribute(VpcAttributeName.ENABLE_DNS_HOSTNAMES)).enableDnsHostnames().value());
        } catch (Unavailable e) {
            return skipped("vpc-dns", title, e);
        }
        String detail = i.vpcId() + ": enableDnsSupport " + support + ", enableDnsHostnames " + hostnames;
        if (support && hostnames) {
            return pass("vpc-dns", title, detail);
        }
        List<String> fixes = new ArrayList<>();
        if (!support) {
            fixes.add("aws ec2 modify-vpc-attribute --vpc-id " + i.vpcId() + " --enable-dns-support '{\"Value\":true}'");
        }
        if (!hostnames) {
            fixes.add("aws ec2 modify-vpc-attribute --vpc-id " + i.vpcId() + " --enable-dns-hostnames '{\"Value\":true}'");
        }
        if (facts.internetRoute != null && !facts.internetPath()) {
            return fail("vpc-dns", title, detail + ": private DNS names of interface endpoints need both, so the agent "
                    + "resolves the public names it would not reach", String.join("\n", fixes));
        }
        return warn("vpc-dns", title, detail + ": interface endpoints' private DNS would not work in this VPC",
                String.join("\n", fixes));
    }

    CheckResult preferences() {
        String title = "Session preferences (KMS, logging)";
        JsonNode inputs;
        try {
            String content = Aws.call("ssm:GetDocument", () -> aws.ssm().getDocument(b -> b.name(PREFERENCES_DOCUMENT)).content());
            inputs = new ObjectMapper().readTree(content).path("inputs");
        } catch (Unavailable e) {
            if (e.getMessage().contains("InvalidDocument")) {
                facts.kms = false;
                facts.cloudWatchLogs = false;
                facts.s3Logs = false;
                return pass("preferences", title, "none set in " + facts.region + " (no " + PREFERENCES_DOCUMENT
                        + "): no KMS encryption, no session logging, so no kms/logs/s3 endpoints needed");
            }
            return skipped("preferences", title, e.getMessage() + ": whether kms, logs or s3 endpoints are needed is unknown");
        } catch (IOException e) {
            return skipped("preferences", title, PREFERENCES_DOCUMENT + " is not JSON: " + e.getMessage());
        }
        String kmsKey = inputs.path("kmsKeyId").asText("");
        String logGroup = inputs.path("cloudWatchLogGroupName").asText("");
        String bucket = inputs.path("s3BucketName").asText("");
        facts.kms = !kmsKey.isBlank();
        facts.cloudWatchLogs = !logGroup.isBlank();
        facts.s3Logs = !bucket.isBlank();
        return pass("preferences", title, "KMS encryption " + (facts.kms ? "on (" + kmsKey + ")" : "off")
                + ", CloudWatch Logs " + (facts.cloudWatchLogs ? "on (" + logGroup + ")" : "off")
                + ", S3 logging " + (facts.s3Logs ? "on (" + bucket + ")" : "off"));
    }

    /** One endpoint check per needed service, in {@link Facts#services()} order. */
    List<CheckResult> endpoints() {
        List<CheckResult> out = new ArrayList<>();
        for (String service : facts.services()) {
            out.add(endpoint(service));
        }
        return out;
    }

    CheckResult endpoint(String service) {
        String id = "endpoint-" + service;
        String serviceName = facts.serviceName(service);
        String title = "VPC endpoint " + serviceName;
        Instance i = facts.instance;
        if (i == null) {
            return skipped(id, title, "needs the instance: " + facts.instanceMissing);
        }
        if (endpoints == null && endpointsMissing == null) {
            try {
                endpoints = Aws.call("ec2:DescribeVpcEndpoints", () -> aws.ec2().describeVpcEndpoints(b -> b.filters(
                        filter("vpc-id", i.vpcId()))).vpcEndpoints());
            } catch (Unavailable e) {
                endpointsMissing = e;
            }
        }
        if (endpointsMissing != null) {
            return skipped(id, title, endpointsMissing);
        }
        List<VpcEndpoint> mine = endpoints.stream().filter(e -> serviceName.equals(e.serviceName())).toList();
        if (mine.isEmpty()) {
            if (facts.internetRoute == null) {
                return skipped(id, title, "no endpoint for " + serviceName + " in " + i.vpcId()
                        + ", and whether the subnet has a route to the internet is unknown (route check skipped)");
            }
            if (facts.internetPath()) {
                return pass(id, title, "no endpoint in " + i.vpcId() + "; the agent reaches " + service + "." + facts.region
                        + ".amazonaws.com over the internet through " + facts.internetRoute);
            }
            facts.unreachableServices.add(service);
            return fail(id, title, "no endpoint for " + serviceName + " in " + i.vpcId() + " and no route to the internet: "
                    + "the agent cannot reach " + service + "." + facts.region + ".amazonaws.com", createFix(service, i));
        }
        VpcEndpoint e = mine.stream().filter(x -> "available".equalsIgnoreCase(x.stateAsString())).findFirst().orElse(mine.get(0));
        String name = e.vpcEndpointId() + " (" + e.vpcEndpointTypeAsString() + ")";
        if (!"available".equalsIgnoreCase(e.stateAsString())) {
            return fail(id, title, name + " is " + e.stateAsString() + ", not available",
                    "pending: wait a few minutes; failed/rejected/deleted: delete it (aws ec2 delete-vpc-endpoints "
                            + "--vpc-endpoint-ids " + e.vpcEndpointId() + ") and create it again:\n" + createFix(service, i));
        }
        if ("Gateway".equalsIgnoreCase(e.vpcEndpointTypeAsString())) {
            if (facts.routeTableId != null && !e.routeTableIds().contains(facts.routeTableId)) {
                return fail(id, title, name + " is not associated with " + facts.routeTableId + ", the instance subnet's "
                        + "route table", "aws ec2 modify-vpc-endpoint --vpc-endpoint-id " + e.vpcEndpointId()
                        + " --add-route-table-ids " + facts.routeTableId);
            }
            facts.endpointsUsed.put(service, e);
            return pass(id, title, name + " available, routes through " + e.routeTableIds());
        }
        if (!Boolean.TRUE.equals(e.privateDnsEnabled()) && facts.internetPath()) {
            return warn(id, title, name + " has private DNS off, so the agent does not use it: it reaches " + service + "."
                    + facts.region + ".amazonaws.com over the internet through " + facts.internetRoute,
                    "to keep the traffic in the VPC: aws ec2 modify-vpc-endpoint --vpc-endpoint-id " + e.vpcEndpointId()
                            + " --private-dns-enabled");
        }
        if (!Boolean.TRUE.equals(e.privateDnsEnabled())) {
            return fail(id, title, name + " has private DNS off: " + service + "." + facts.region + ".amazonaws.com still "
                    + "resolves to public addresses, which " + (facts.internetPath() ? "the agent reaches over the internet, not "
                    + "through the endpoint" : "the agent cannot reach without a route to the internet"),
                    "aws ec2 modify-vpc-endpoint --vpc-endpoint-id " + e.vpcEndpointId() + " --private-dns-enabled");
        }
        facts.endpointsUsed.put(service, e);
        String zone = i.placement().availabilityZone();
        List<String> zones = zonesOf(e.subnetIds());
        String where = "available, private DNS on, in " + e.subnetIds() + (zones.isEmpty() ? "" : " " + zones);
        String admits;
        try {
            admits = admittingGroup(e.groups().stream().map(g -> g.groupId()).toList(), i);
        } catch (Unavailable u) {
            return skipped(id, title, name + " " + where + "; its security groups could not be read: " + u.getMessage());
        }
        if (admits == null) {
            String group = e.groups().isEmpty() ? "(none)" : e.groups().get(0).groupId();
            String source = i.securityGroups().isEmpty() ? "--cidr " + i.privateIpAddress() + "/32"
                    : "--source-group " + i.securityGroups().get(0).groupId();
            return fail(id, title, name + " " + where + ", but its security groups "
                    + e.groups().stream().map(g -> g.groupId()).toList() + " admit no TCP 443 from the instance ("
                    + i.privateIpAddress() + ", groups " + i.securityGroups().stream().map(g -> g.groupId()).toList() + ")",
                    "aws ec2 authorize-security-group-ingress --group-id " + group + " --protocol tcp --port 443 " + source);
        }
        if (!zones.isEmpty() && !zones.contains(zone)) {
            return Checks.warn(id, title, name + " " + where + ", 443 admitted by " + admits + "; but it has no network "
                    + "interface in " + zone + ", the instance's zone: traffic crosses zones (works, costs more, fails with "
                    + "the other zone)", "aws ec2 modify-vpc-endpoint --vpc-endpoint-id " + e.vpcEndpointId()
                    + " --add-subnet-ids " + i.subnetId());
        }
        return pass(id, title, name + " " + where + ", TCP 443 from the instance admitted by " + admits);
    }

    /** The command that creates the missing endpoint: subnets and group chosen from the endpoints that work. */
    private String createFix(String service, Instance i) {
        Set<String> subnets = new LinkedHashSet<>();
        Set<String> groups = new LinkedHashSet<>();
        for (VpcEndpoint other : endpoints) {
            if (other.serviceName().startsWith("com.amazonaws." + facts.region + ".")
                    && "Interface".equalsIgnoreCase(other.vpcEndpointTypeAsString())) {
                subnets.addAll(other.subnetIds());
                for (var g : other.groups()) {
                    try {
                        if (admittingGroup(List.of(g.groupId()), i) != null) {
                            groups.add(g.groupId());
                        }
                    } catch (Unavailable ignored) {
                        // unknown: not suggested
                    }
                }
            }
        }
        String zone = i.placement().availabilityZone();
        if (!zonesOf(new ArrayList<>(subnets)).contains(zone)) {
            subnets.add(i.subnetId());
        }
        if (service.equals("s3")) {
            return "aws ec2 create-vpc-endpoint --region " + facts.region + " --vpc-id " + i.vpcId()
                    + " --vpc-endpoint-type Gateway --service-name " + facts.serviceName(service) + " --route-table-ids "
                    + (facts.routeTableId == null ? "<the subnet's route table>" : facts.routeTableId);
        }
        String create = "aws ec2 create-vpc-endpoint --region " + facts.region + " --vpc-id " + i.vpcId()
                + " --vpc-endpoint-type Interface --service-name " + facts.serviceName(service)
                + " --subnet-ids " + String.join(" ", subnets);
        if (!groups.isEmpty()) {
            return create + " --security-group-ids " + String.join(" ", groups) + " --private-dns-enabled";
        }
        String source = i.securityGroups().isEmpty() ? "--cidr " + i.privateIpAddress() + "/32"
                : "--source-group " + i.securityGroups().get(0).groupId();
        return "aws ec2 create-security-group --vpc-id " + i.vpcId() + " --group-name ssm-endpoints "
                + "--description 'TCP 443 from instances to the Systems Manager endpoints'\n"
                + "aws ec2 authorize-security-group-ingress --group-id <the new group's id> --protocol tcp --port 443 " + source + "\n"
                + create + " --security-group-ids <the new group's id> --private-dns-enabled";
    }

    /** The first of {@code groupIds} admitting TCP 443 from the instance (by group or CIDR), or null. */
    String admittingGroup(List<String> groupIds, Instance i) {
        Set<String> instanceGroups = i.securityGroups().stream().map(g -> g.groupId()).collect(Collectors.toSet());
        Cidr ip = Cidr.parse(i.privateIpAddress());
        for (SecurityGroup g : groups(groupIds).values()) {
            boolean ok = g.ipPermissions().stream().anyMatch(p -> Rules.coversPort(p, 443)
                    && (p.userIdGroupPairs().stream().anyMatch(pair -> instanceGroups.contains(pair.groupId()))
                    || p.ipRanges().stream().map(r -> Cidr.orNull(r.cidrIp())).anyMatch(c -> c != null && c.contains(ip))));
            if (ok) {
                return g.groupId();
            }
        }
        return null;
    }

    /** Described once per group, through {@link Facts#groups}. */
    Map<String, SecurityGroup> groups(List<String> ids) {
        List<String> wanted = ids.stream().filter(id -> !facts.groups.containsKey(id)).distinct().toList();
        if (!wanted.isEmpty()) {
            Aws.call("ec2:DescribeSecurityGroups", () -> aws.ec2().describeSecurityGroups(b -> b.groupIds(wanted)).securityGroups())
                    .forEach(g -> facts.groups.put(g.groupId(), g));
        }
        Map<String, SecurityGroup> out = new LinkedHashMap<>();
        ids.forEach(id -> {
            if (facts.groups.containsKey(id)) {
                out.put(id, facts.groups.get(id));
            }
        });
        return out;
    }

    /** The VPC's subnets, described once; empty zones when they cannot be read. */
    Map<String, Subnet> subnets() {
        if (facts.subnets == null && facts.subnetsMissing == null) {
            try {
                facts.subnets = Aws.call("ec2:DescribeSubnets", () -> aws.ec2().describeSubnets(b -> b.filters(
                        filter("vpc-id", facts.instance.vpcId()))).subnets()).stream()
                        .collect(Collectors.toMap(Subnet::subnetId, s -> s, (a, b) -> a, LinkedHashMap::new));
            } catch (Unavailable e) {
                facts.subnetsMissing = e.getMessage();
            }
        }
        return facts.subnets == null ? Map.of() : facts.subnets;
    }

    private List<String> zonesOf(List<String> subnetIds) {
        Map<String, Subnet> all = subnets();
        return subnetIds.stream().map(all::get).filter(s -> s != null).map(Subnet::availabilityZone).distinct().toList();
    }

    static Filter filter(String name, String value) {
        return Filter.builder().name(name).values(value).build();
    }

    private static String firstNonNull(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
