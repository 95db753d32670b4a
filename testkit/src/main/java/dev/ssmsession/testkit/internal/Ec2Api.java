package dev.ssmsession.testkit.internal;

import dev.ssmsession.testkit.Account;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * EC2's describe calls over an {@link Account}, in EC2's Query dialect: list parameters as {@code InstanceId.1},
 * {@code Filter.1.Name}/{@code Filter.1.Value.1}; responses rooted at {@code <Action>Response} with lists of
 * {@code <item>}. Unknown filters are refused as EC2 refuses them, so a doctor asking for one it does not mean fails
 * its tests.
 */
final class Ec2Api {
    private static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private final Account account;

    Ec2Api(Account account) {
        this.account = account;
    }

    Map<String, QueryApis.Operation> operations() {
        Map<String, QueryApis.Operation> ops = new LinkedHashMap<>();
        ops.put("DescribeInstances", this::describeInstances);
        ops.put("DescribeSubnets", this::describeSubnets);
        ops.put("DescribeRouteTables", this::describeRouteTables);
        ops.put("DescribeVpcAttribute", this::describeVpcAttribute);
        ops.put("DescribeVpcEndpoints", this::describeVpcEndpoints);
        ops.put("DescribeSecurityGroups", this::describeSecurityGroups);
        ops.put("DescribeNetworkAcls", this::describeNetworkAcls);
        return ops;
    }

    private Xml describeInstances(Map<String, String> p) {
        List<String> ids = indexed(p, "InstanceId");
        for (String id : ids) {
            if (account.instances().stream().noneMatch(i -> i.id().equals(id))) {
                throw new AwsError("InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist");
            }
        }
        Map<String, Function<Account.Instance, List<String>>> filters = Map.of(
                "instance-id", i -> List.of(i.id()),
                "subnet-id", i -> List.of(i.subnetId()),
                "vpc-id", i -> List.of(subnet(i.subnetId()).vpcId()));
        Xml x = start("DescribeInstancesResponse").open("reservationSet");
        for (Account.Instance i : select(account.instances(), p, filters, ids, Account.Instance::id)) {
            Account.Subnet s = subnet(i.subnetId());
            x.open("item").leaf("reservationId", "r-" + i.id().substring(2)).leaf("ownerId", Account.ACCOUNT_ID)
                    .open("instancesSet").open("item")
                    .leaf("instanceId", i.id()).leaf("imageId", "ami-0testkit")
                    .open("instanceState").leaf("code", stateCode(i.state())).leaf("name", i.state()).close("instanceState")
                    .leaf("instanceType", "t3.micro")
                    .open("placement").leaf("availabilityZone", s.availabilityZone()).close("placement")
                    .leaf("subnetId", i.subnetId()).leaf("vpcId", s.vpcId()).leaf("privateIpAddress", i.privateIp())
                    .leaf("ipAddress", i.publicIp())
                    .open("groupSet");
            for (String g : i.groupIds()) {
                x.open("item").leaf("groupId", g).leaf("groupName", group(g).name()).close("item");
            }
            x.close("groupSet");
            if (i.instanceProfile() != null) {
                x.open("iamInstanceProfile").leaf("arn", Account.instanceProfileArn(i.instanceProfile()))
                        .leaf("id", "AIPA" + Integer.toHexString(i.instanceProfile().hashCode()).toUpperCase(java.util.Locale.ROOT))
                        .close("iamInstanceProfile");
            }
            x.close("item").close("instancesSet").close("item");
        }
        return x.close("reservationSet").close("DescribeInstancesResponse");
    }

    private static int stateCode(String state) {
        return switch (state) {
            case "pending" -> 0;
            case "running" -> 16;
            case "shutting-down" -> 32;
            case "terminated" -> 48;
            case "stopping" -> 64;
            default -> 80;
        };
    }

    private Xml describeSubnets(Map<String, String> p) {
        Map<String, Function<Account.Subnet, List<String>>> filters = Map.of(
                "subnet-id", s -> List.of(s.id()), "vpc-id", s -> List.of(s.vpcId()),
                "availability-zone", s -> List.of(s.availabilityZone()));
        Xml x = start("DescribeSubnetsResponse").open("subnetSet");
        for (Account.Subnet s : select(account.subnets(), p, filters, indexed(p, "SubnetId"), Account.Subnet::id)) {
            x.open("item").leaf("subnetId", s.id()).leaf("state", "available").leaf("vpcId", s.vpcId())
                    .leaf("cidrBlock", s.cidr()).leaf("availabilityZone", s.availabilityZone()).close("item");
        }
        return x.close("subnetSet").close("DescribeSubnetsResponse");
    }

    private Xml describeRouteTables(Map<String, String> p) {
        Map<String, Function<Account.RouteTable, List<String>>> filters = Map.of(
                "vpc-id", r -> List.of(r.vpcId()), "route-table-id", r -> List.of(r.id()),
                "association.subnet-id", Account.RouteTable::subnetIds,
                "association.main", r -> List.of(String.valueOf(r.main())));
        Xml x = start("DescribeRouteTablesResponse").open("routeTableSet");
        for (Account.RouteTable r : select(account.routeTables(), p, filters, indexed(p, "RouteTableId"), Account.RouteTable::id)) {
            x.open("item").leaf("routeTableId", r.id()).leaf("vpcId", r.vpcId()).leaf("ownerId", Account.ACCOUNT_ID)
                    .open("routeSet");
            for (Account.Route route : r.routes()) {
                x.open("item").leaf("destinationCidrBlock", route.destinationCidr());
                String t = route.target();
                if (t.startsWith("nat-")) {
                    x.leaf("natGatewayId", t);
                } else if (t.startsWith("eni-")) {
                    x.leaf("networkInterfaceId", t);
                } else if (t.startsWith("tgw-")) {
                    x.leaf("transitGatewayId", t);
                } else {
                    x.leaf("gatewayId", t);
                }
                x.leaf("state", "active").leaf("origin", t.equals("local") ? "CreateRouteTable" : "CreateRoute").close("item");
            }
            x.close("routeSet").open("associationSet");
            int n = 0;
            if (r.main()) {
                x.open("item").leaf("main", true).leaf("routeTableAssociationId", "rtbassoc-main" + r.id().substring(4))
                        .leaf("routeTableId", r.id()).close("item");
            }
            for (String subnet : r.subnetIds()) {
                x.open("item").leaf("main", false).leaf("routeTableAssociationId", "rtbassoc-" + (++n) + r.id().substring(4))
                        .leaf("routeTableId", r.id()).leaf("subnetId", subnet).close("item");
            }
            x.close("associationSet").close("item");
        }
        return x.close("routeTableSet").close("DescribeRouteTablesResponse");
    }

    private Xml describeVpcAttribute(Map<String, String> p) {
        String vpcId = required(p, "VpcId");
        Account.Vpc vpc = account.vpcs().stream().filter(v -> v.id().equals(vpcId)).findFirst()
                .orElseThrow(() -> new AwsError("InvalidVpcID.NotFound", "The vpc ID '" + vpcId + "' does not exist"));
        String attribute = required(p, "Attribute");
        Xml x = start("DescribeVpcAttributeResponse").leaf("vpcId", vpcId);
        switch (attribute) {
            case "enableDnsSupport" -> x.open("enableDnsSupport").leaf("value", vpc.dnsSupport()).close("enableDnsSupport");
            case "enableDnsHostnames" -> x.open("enableDnsHostnames").leaf("value", vpc.dnsHostnames()).close("enableDnsHostnames");
            default -> throw new AwsError("InvalidParameterValue", "Value (" + attribute + ") for parameter attribute is invalid.");
        }
        return x.close("DescribeVpcAttributeResponse");
    }

    private Xml describeVpcEndpoints(Map<String, String> p) {
        Map<String, Function<Account.Endpoint, List<String>>> filters = Map.of(
                "vpc-id", e -> List.of(e.vpcId()), "service-name", e -> List.of(e.serviceName()),
                "vpc-endpoint-type", e -> List.of(e.type()), "vpc-endpoint-id", e -> List.of(e.id()),
                "vpc-endpoint-state", e -> List.of(e.state()));
        Xml x = start("DescribeVpcEndpointsResponse").open("vpcEndpointSet");
        for (Account.Endpoint e : select(account.endpoints(), p, filters, indexed(p, "VpcEndpointId"), Account.Endpoint::id)) {
            x.open("item").leaf("vpcEndpointId", e.id()).leaf("vpcEndpointType", e.type()).leaf("vpcId", e.vpcId())
                    .leaf("serviceName", e.serviceName()).leaf("state", e.state())
                    .list("routeTableIdSet", "item", e.routeTableIds())
                    .list("subnetIdSet", "item", e.subnetIds())
                    .open("groupSet");
            for (String g : e.groupIds()) {
                x.open("item").leaf("groupId", g).leaf("groupName", group(g).name()).close("item");
            }
            x.close("groupSet").leaf("privateDnsEnabled", e.privateDns()).leaf("requesterManaged", false)
                    .leaf("ownerId", Account.ACCOUNT_ID).close("item");
        }
        return x.close("vpcEndpointSet").close("DescribeVpcEndpointsResponse");
    }

    private Xml describeSecurityGroups(Map<String, String> p) {
        List<String> ids = indexed(p, "GroupId");
        for (String id : ids) {
            if (account.securityGroups().stream().noneMatch(g -> g.id().equals(id))) {
                throw new AwsError("InvalidGroup.NotFound", "The security group '" + id + "' does not exist");
            }
        }
        Map<String, Function<Account.SecurityGroup, List<String>>> filters = Map.of(
                "vpc-id", g -> List.of(g.vpcId()), "group-id", g -> List.of(g.id()));
        Xml x = start("DescribeSecurityGroupsResponse").open("securityGroupInfo");
        for (Account.SecurityGroup g : select(account.securityGroups(), p, filters, ids, Account.SecurityGroup::id)) {
            x.open("item").leaf("ownerId", Account.ACCOUNT_ID).leaf("groupId", g.id()).leaf("groupName", g.name())
                    .leaf("groupDescription", g.name()).leaf("vpcId", g.vpcId());
            permissions(x, "ipPermissions", g.ingress());
            permissions(x, "ipPermissionsEgress", g.egress());
            x.close("item");
        }
        return x.close("securityGroupInfo").close("DescribeSecurityGroupsResponse");
    }

    private static void permissions(Xml x, String name, List<Account.Rule> rules) {
        x.open(name);
        for (Account.Rule r : rules) {
            x.open("item").leaf("ipProtocol", r.protocol());
            if (!r.protocol().equals("-1")) {
                x.leaf("fromPort", r.fromPort()).leaf("toPort", r.toPort());
            }
            x.open("groups");
            if (r.groupId() != null) {
                x.open("item").leaf("userId", Account.ACCOUNT_ID).leaf("groupId", r.groupId()).close("item");
            }
            x.close("groups").open("ipRanges");
            if (r.cidr() != null) {
                x.open("item").leaf("cidrIp", r.cidr()).close("item");
            }
            x.close("ipRanges").close("item");
        }
        x.close(name);
    }

    private Xml describeNetworkAcls(Map<String, String> p) {
        Map<String, Function<Account.NetworkAcl, List<String>>> filters = Map.of(
                "vpc-id", a -> List.of(a.vpcId()), "network-acl-id", a -> List.of(a.id()),
                "association.subnet-id", Account.NetworkAcl::subnetIds, "default", a -> List.of(String.valueOf(a.isDefault())));
        Xml x = start("DescribeNetworkAclsResponse").open("networkAclSet");
        for (Account.NetworkAcl a : select(account.networkAcls(), p, filters, indexed(p, "NetworkAclId"), Account.NetworkAcl::id)) {
            x.open("item").leaf("networkAclId", a.id()).leaf("vpcId", a.vpcId()).leaf("default", a.isDefault())
                    .open("entrySet");
            List<Account.AclEntry> entries = new ArrayList<>(a.entries());
            // Every ACL ends with the rules AWS adds itself: deny everything, both ways.
            entries.add(new Account.AclEntry(32767, false, "-1", false, "0.0.0.0/0", 0, 0));
            entries.add(new Account.AclEntry(32767, true, "-1", false, "0.0.0.0/0", 0, 0));
            for (Account.AclEntry e : entries) {
                x.open("item").leaf("ruleNumber", e.ruleNumber()).leaf("protocol", e.protocol())
                        .leaf("ruleAction", e.allow() ? "allow" : "deny").leaf("egress", e.egress()).leaf("cidrBlock", e.cidr());
                if (!e.protocol().equals("-1")) {
                    x.open("portRange").leaf("from", e.fromPort()).leaf("to", e.toPort()).close("portRange");
                }
                x.close("item");
            }
            x.close("entrySet").open("associationSet");
            int n = 0;
            for (String subnet : a.subnetIds()) {
                x.open("item").leaf("networkAclAssociationId", "aclassoc-" + (++n) + a.id().substring(4))
                        .leaf("networkAclId", a.id()).leaf("subnetId", subnet).close("item");
            }
            x.close("associationSet").close("item");
        }
        return x.close("networkAclSet").close("DescribeNetworkAclsResponse");
    }

    private static Xml start(String root) {
        return Xml.root(root, NS).leaf("requestId", UUID.randomUUID());
    }

    private Account.Subnet subnet(String id) {
        return account.subnets().stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new AwsError("InvalidSubnetID.NotFound", "The subnet ID '" + id + "' does not exist"));
    }

    private Account.SecurityGroup group(String id) {
        return account.securityGroups().stream().filter(g -> g.id().equals(id)).findFirst()
                .orElseThrow(() -> new AwsError("InvalidGroup.NotFound", "The security group '" + id + "' does not exist"));
    }

    private static String required(Map<String, String> p, String name) {
        String v = p.get(name);
        if (v == null || v.isEmpty()) {
            throw new AwsError("MissingParameter", "The request must contain the parameter " + name);
        }
        return v;
    }

    /** {@code Name.1}, {@code Name.2}… in order. */
    static List<String> indexed(Map<String, String> p, String name) {
        List<String> out = new ArrayList<>();
        for (int i = 1; p.containsKey(name + "." + i); i++) {
            out.add(p.get(name + "." + i));
        }
        return out;
    }

    /** Items whose id is among {@code ids} (when any) and that match every {@code Filter.N} (any of its values). */
    private static <T> List<T> select(List<T> items, Map<String, String> p, Map<String, Function<T, List<String>>> known,
                                      List<String> ids, Function<T, String> id) {
        List<Predicate<T>> tests = new ArrayList<>();
        for (int i = 1; p.containsKey("Filter." + i + ".Name"); i++) {
            String name = p.get("Filter." + i + ".Name");
            Function<T, List<String>> attribute = known.get(name);
            if (attribute == null) {
                throw new AwsError("InvalidParameterValue", "The filter '" + name + "' is invalid");
            }
            List<String> values = indexed(p, "Filter." + i + ".Value");
            tests.add(t -> attribute.apply(t).stream().anyMatch(values::contains));
        }
        List<T> out = new ArrayList<>();
        for (T t : items) {
            if ((ids.isEmpty() || ids.contains(id.apply(t))) && tests.stream().allMatch(test -> test.test(t))) {
                out.add(t);
            }
        }
        return out;
    }
}
