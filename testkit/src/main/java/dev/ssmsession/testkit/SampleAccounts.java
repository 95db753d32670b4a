package dev.ssmsession.testkit;

import dev.ssmsession.testkit.Account.AclEntry;
import dev.ssmsession.testkit.Account.Endpoint;
import dev.ssmsession.testkit.Account.Instance;
import dev.ssmsession.testkit.Account.InstanceProfile;
import dev.ssmsession.testkit.Account.NetworkAcl;
import dev.ssmsession.testkit.Account.Role;
import dev.ssmsession.testkit.Account.Route;
import dev.ssmsession.testkit.Account.RouteTable;
import dev.ssmsession.testkit.Account.Rule;
import dev.ssmsession.testkit.Account.SecurityGroup;
import dev.ssmsession.testkit.Account.Subnet;
import dev.ssmsession.testkit.Account.Vpc;
import java.util.List;

/**
 * Accounts that work, to start scenarios from: the private subnet reached through interface endpoints, and the
 * public one reached through a NAT gateway. Change a copy ({@link Account#toBuilder()}) to break one thing.
 */
public final class SampleAccounts {
    public static final String VPC = "vpc-0c0ffee0000000001";
    public static final String SUBNET_A = "subnet-0aaa00000000000a1";
    public static final String SUBNET_B = "subnet-0bbb00000000000b2";
    public static final String ROUTE_TABLE = "rtb-0ddd000000000000d1";
    public static final String INSTANCE_GROUP = "sg-0a1a1a1a1a1a1a1a1";
    public static final String ENDPOINT_GROUP = "sg-0e2e2e2e2e2e2e2e2";
    public static final String NETWORK_ACL = "acl-0f3f3f3f3f3f3f3f3";
    public static final String PROFILE = "SSMInstanceProfile";
    public static final String ROLE = "SSMInstanceRole";
    public static final String NAT_GATEWAY = "nat-0123abcd0123abcd0";
    public static final String INTERNET_GATEWAY = "igw-0456cdef0456cdef0";

    private SampleAccounts() {
    }

    /** The id of the interface endpoint for {@code service} ({@code ssm}, {@code ssmmessages}…) in these accounts. */
    public static String endpointId(String service) {
        return "vpce-0" + String.format("%016x", (long) service.hashCode() & 0xffffffffL);
    }

    /**
     * A private subnet with no route out of the VPC; interface endpoints for {@code ssm}, {@code ssmmessages} and
     * {@code ec2messages} in both subnets, private DNS on, their group admitting 443 from the VPC; the instance's
     * profile carrying {@code AmazonSSMManagedInstanceCore}.
     */
    public static Account privateSubnet(String region, String instanceId) {
        Account.Builder b = base(instanceId)
                .routeTable(new RouteTable(ROUTE_TABLE, VPC, true, List.of(), List.of(new Route("10.0.0.0/16", "local"))));
        for (String service : List.of("ssm", "ssmmessages", "ec2messages")) {
            b.endpoint(Endpoint.of(endpointId(service), VPC, "com.amazonaws." + region + "." + service,
                    List.of(SUBNET_A, SUBNET_B), List.of(ENDPOINT_GROUP)));
        }
        return b.build();
    }

    /** A subnet whose default route goes to a NAT gateway, and no VPC endpoints at all. */
    public static Account natSubnet(String instanceId) {
        return base(instanceId).routeTable(new RouteTable(ROUTE_TABLE, VPC, true, List.of(),
                List.of(new Route("10.0.0.0/16", "local"), new Route("0.0.0.0/0", NAT_GATEWAY)))).build();
    }

    /**
     * A public subnet: the default route goes to an internet gateway and the instance has a public IP; no VPC
     * endpoints.
     */
    public static Account publicSubnet(String instanceId) {
        Account.Builder b = base(instanceId).routeTable(new RouteTable(ROUTE_TABLE, VPC, true, List.of(),
                List.of(new Route("10.0.0.0/16", "local"), new Route("0.0.0.0/0", INTERNET_GATEWAY))));
        return b.instance(b.instanceById(instanceId).withPublicIp("203.0.113.10")).build();
    }

    private static Account.Builder base(String instanceId) {
        return Account.builder()
                .vpc(new Vpc(VPC, "10.0.0.0/16", true, true))
                .subnet(new Subnet(SUBNET_A, VPC, "10.0.1.0/24", "us-east-1a"))
                .subnet(new Subnet(SUBNET_B, VPC, "10.0.2.0/24", "us-east-1b"))
                .securityGroup(new SecurityGroup(INSTANCE_GROUP, "app-instances", VPC, List.of(), List.of(Rule.all("0.0.0.0/0"))))
                .securityGroup(new SecurityGroup(ENDPOINT_GROUP, "ssm-endpoints", VPC,
                        List.of(Rule.tcp(443, 443, "10.0.0.0/16")), List.of(Rule.all("0.0.0.0/0"))))
                .networkAcl(new NetworkAcl(NETWORK_ACL, VPC, true, List.of(SUBNET_A, SUBNET_B),
                        List.of(AclEntry.allowAll(100, false), AclEntry.allowAll(100, true))))
                .instance(new Instance(instanceId, "running", SUBNET_A, "10.0.1.25", List.of(INSTANCE_GROUP), PROFILE))
                .instanceProfile(new InstanceProfile(PROFILE, List.of(ROLE)))
                .role(new Role(ROLE, List.of(Account.SSM_MANAGED_INSTANCE_CORE.arn())));
    }
}
