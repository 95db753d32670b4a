package dev.ssmsession.doctor;

import static dev.ssmsession.doctor.TestkitDoctor.INSTANCE;
import static dev.ssmsession.doctor.TestkitDoctor.REGION;
import static dev.ssmsession.doctor.TestkitDoctor.diagnose;
import static dev.ssmsession.testkit.SampleAccounts.ENDPOINT_GROUP;
import static dev.ssmsession.testkit.SampleAccounts.INSTANCE_GROUP;
import static dev.ssmsession.testkit.SampleAccounts.NETWORK_ACL;
import static dev.ssmsession.testkit.SampleAccounts.ROLE;
import static dev.ssmsession.testkit.SampleAccounts.SUBNET_A;
import static dev.ssmsession.testkit.SampleAccounts.SUBNET_B;
import static dev.ssmsession.testkit.SampleAccounts.VPC;
import static dev.ssmsession.testkit.SampleAccounts.endpointId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.testkit.Account;
import dev.ssmsession.testkit.Account.AclEntry;
import dev.ssmsession.testkit.Account.NetworkAcl;
import dev.ssmsession.testkit.Account.Role;
import dev.ssmsession.testkit.Account.Rule;
import dev.ssmsession.testkit.Account.SecurityGroup;
import dev.ssmsession.testkit.SampleAccounts;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The scenarios, each an account in the testkit, diagnosed through the real SDK clients over loopback. */
class DoctorScenariosTest {
    static final List<String> PRIVATE_SUBNET_CHECKS = List.of("identity", "managed-node", "instance", "route", "vpc-dns",
            "preferences", "endpoint-ssm", "endpoint-ssmmessages", "endpoint-ec2messages", "instance-egress", "network-acl",
            "instance-role", "caller-permission", "client-reachability", "session");

    static Account seed() {
        return SampleAccounts.privateSubnet(REGION, INSTANCE);
    }

    static Map<String, Verdict> verdicts(Report r) {
        return r.checks().stream().collect(Collectors.toMap(CheckResult::id, CheckResult::verdict, (a, b) -> a,
                java.util.LinkedHashMap::new));
    }

    static CheckResult check(Report r, String id) {
        return r.check(id).orElseThrow(() -> new AssertionError("no check " + id + " in " + r.checks()));
    }

    /** Every check but those named passed. */
    static void othersPass(Report r, String... except) {
        List<String> skip = List.of(except);
        r.checks().stream().filter(c -> !skip.contains(c.id()))
                .forEach(c -> assertThat(c.verdict()).as(c.id() + ": " + c.detail()).isEqualTo(Verdict.PASS));
    }

    @Test
    void workingPrivateSubnetPassesEverything() {
        Report r = diagnose(seed(), true, true);
        assertThat(verdicts(r).keySet()).containsExactlyElementsOf(PRIVATE_SUBNET_CHECKS);
        othersPass(r);
        assertThat(r.sessionWouldWork()).isTrue();
        assertThat(check(r, "identity").detail()).contains("arn:aws:iam::123456789012:user/testkit", "us-east-1");
        assertThat(check(r, "managed-node").detail()).contains("PingStatus Online");
        assertThat(check(r, "route").detail()).contains("no route out of the VPC");
        assertThat(check(r, "endpoint-ssmmessages").detail())
                .contains(endpointId("ssmmessages"), "private DNS on", "admitted by " + ENDPOINT_GROUP);
        assertThat(check(r, "network-acl").detail()).contains(NETWORK_ACL, SUBNET_B);
        assertThat(check(r, "instance-role").detail()).contains(ROLE, "AmazonSSMManagedInstanceCore");
        assertThat(check(r, "session").detail()).contains("opened", "terminated");
    }

    @Test
    void missingSsmmessagesEndpointSaysWhichEndpointToCreateWhereAndWithWhichGroup() {
        Account account = seed().toBuilder().removeEndpoint(endpointId("ssmmessages")).build();
        Report r = diagnose(account, false, true);
        CheckResult c = check(r, "endpoint-ssmmessages");
        assertThat(c.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(c.detail()).contains("no endpoint for com.amazonaws.us-east-1.ssmmessages in " + VPC);
        assertThat(c.fix()).isEqualTo("aws ec2 create-vpc-endpoint --region us-east-1 --vpc-id " + VPC
                + " --vpc-endpoint-type Interface --service-name com.amazonaws.us-east-1.ssmmessages --subnet-ids "
                + SUBNET_A + " " + SUBNET_B + " --security-group-ids " + ENDPOINT_GROUP + " --private-dns-enabled");
        assertThat(check(r, "endpoint-ssm").verdict()).isEqualTo(Verdict.PASS);
        assertThat(check(r, "managed-node").verdict()).isEqualTo(Verdict.FAIL);
        assertThat(check(r, "session").verdict()).isEqualTo(Verdict.FAIL);
        assertThat(check(r, "session").detail()).contains("not connected");
        othersPass(r, "endpoint-ssmmessages", "managed-node", "session");
        assertThat(r.sessionWouldWork()).isFalse();
    }

    @Test
    void privateDnsOffFailsWithTheModifyCommand() {
        Account.Builder b = seed().toBuilder();
        b.endpoint(b.endpointById(endpointId("ssm")).withPrivateDns(false));
        Report r = diagnose(b.build(), false, false);
        CheckResult c = check(r, "endpoint-ssm");
        assertThat(c.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(c.detail()).contains("private DNS off");
        assertThat(c.fix()).isEqualTo("aws ec2 modify-vpc-endpoint --vpc-endpoint-id " + endpointId("ssm") + " --private-dns-enabled");
        assertThat(check(r, "session").verdict()).isEqualTo(Verdict.SKIPPED);
        othersPass(r, "endpoint-ssm", "managed-node", "session");
    }

    @Test
    void privateDnsOffBesideANatRouteOnlyWarns() {
        Account.Builder b = SampleAccounts.natSubnet(INSTANCE).toBuilder();
        b.endpoint(Account.Endpoint.of(endpointId("ssm"), VPC, "com.amazonaws.us-east-1.ssm", List.of(SUBNET_A),
                List.of(ENDPOINT_GROUP)).withPrivateDns(false));
        Report r = diagnose(b.build(), true, false);
        CheckResult c = check(r, "endpoint-ssm");
        assertThat(c.verdict()).isEqualTo(Verdict.WARN);
        assertThat(c.detail()).contains("over the internet through " + SampleAccounts.NAT_GATEWAY);
        assertThat(r.sessionWouldWork()).isTrue();
    }

    @Test
    void endpointGroupWithout443FailsForEachEndpointWithTheIngressRule() {
        Account account = seed().toBuilder().securityGroup(new SecurityGroup(ENDPOINT_GROUP, "ssm-endpoints", VPC,
                List.of(Rule.tcp(22, 22, "10.0.0.0/16")), List.of(Rule.all("0.0.0.0/0")))).build();
        Report r = diagnose(account, false, false);
        for (String service : List.of("ssm", "ssmmessages", "ec2messages")) {
            CheckResult c = check(r, "endpoint-" + service);
            assertThat(c.verdict()).as(service).isEqualTo(Verdict.FAIL);
            assertThat(c.detail()).contains("admit no TCP 443 from the instance (10.0.1.25");
            assertThat(c.fix()).isEqualTo("aws ec2 authorize-security-group-ingress --group-id " + ENDPOINT_GROUP
                    + " --protocol tcp --port 443 --source-group " + INSTANCE_GROUP);
        }
    }

    @Test
    void endpointGroupAdmittingTheInstanceGroupPasses() {
        Account account = seed().toBuilder().securityGroup(new SecurityGroup(ENDPOINT_GROUP, "ssm-endpoints", VPC,
                List.of(Rule.tcpFromGroup(443, 443, INSTANCE_GROUP)), List.of())).build();
        Report r = diagnose(account, true, false);
        assertThat(check(r, "endpoint-ssm").verdict()).isEqualTo(Verdict.PASS);
        othersPass(r, "session");
    }

    @Test
    void networkAclBlockingRepliesFailsWithTheEphemeralPortEntry() {
        Account account = seed().toBuilder().networkAcl(new NetworkAcl(NETWORK_ACL, VPC, true, List.of(SUBNET_A, SUBNET_B),
                List.of(AclEntry.tcp(100, false, true, "0.0.0.0/0", 443, 443), AclEntry.tcp(110, false, true, "0.0.0.0/0", 22, 22),
                        AclEntry.allowAll(100, true)))).build();
        Report r = diagnose(account, false, false);
        CheckResult c = check(r, "network-acl");
        assertThat(c.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(c.detail()).contains("inbound TCP 32768-65535 from 10.0.2.0/24", "no rule allows it", "stateless");
        assertThat(c.fix()).isEqualTo("aws ec2 create-network-acl-entry --network-acl-id " + NETWORK_ACL
                + " --ingress --rule-number 32760 --protocol tcp --port-range From=1024,To=65535 --cidr-block 10.0.2.0/24 "
                + "--rule-action allow");
        othersPass(r, "network-acl", "managed-node", "session");
    }

    @Test
    void explicitDenyOfEgress443NamesTheRuleAndAddsOneBelowIt() {
        Account account = seed().toBuilder().networkAcl(new NetworkAcl(NETWORK_ACL, VPC, true, List.of(SUBNET_A, SUBNET_B),
                List.of(AclEntry.allowAll(100, false), AclEntry.tcp(50, true, false, "10.0.0.0/8", 443, 443),
                        AclEntry.allowAll(100, true)))).build();
        CheckResult c = check(diagnose(account, false, false), "network-acl");
        assertThat(c.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(c.detail()).contains("outbound TCP 443 to 10.0.2.0/24", "rule 50 (deny 10.0.0.0/8) blocks it");
        assertThat(c.fix()).contains("--egress --rule-number 40 --protocol tcp --port-range From=443,To=443 --cidr-block 10.0.2.0/24");
    }

    @Test
    void instanceWithoutProfileFailsWithTheWholeRecipe() {
        Account.Builder b = seed().toBuilder();
        b.instance(b.instanceById(INSTANCE).withInstanceProfile(null));
        Report r = diagnose(b.build(), false, false);
        CheckResult c = check(r, "instance-role");
        assertThat(c.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(c.detail()).contains("no instance profile", "Default Host Management Configuration is off");
        assertThat(c.fix()).contains("aws iam attach-role-policy --role-name SSMInstanceRole --policy-arn "
                + "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
                "aws ec2 associate-iam-instance-profile --instance-id " + INSTANCE + " --iam-instance-profile Name=SSMInstanceProfile");
        othersPass(r, "instance-role", "managed-node", "session");
    }

    @Test
    void instanceWithoutProfileButDefaultHostManagementPasses() {
        Account.Builder b = seed().toBuilder().defaultHostManagementRole("AWSSystemsManagerDefaultEC2InstanceManagementRole");
        b.instance(b.instanceById(INSTANCE).withInstanceProfile(null));
        Report r = diagnose(b.build(), true, false);
        assertThat(check(r, "instance-role").verdict()).isEqualTo(Verdict.PASS);
        assertThat(check(r, "instance-role").detail()).contains("Default Host Management", "AWSSystemsManagerDefaultEC2InstanceManagementRole");
    }

    @Test
    void roleWithoutThePolicyFailsWithTheAttachCommand() {
        Account account = seed().toBuilder().role(new Role(ROLE, List.of())).build();
        Report r = diagnose(account, false, false);
        CheckResult c = check(r, "instance-role");
        assertThat(c.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(c.detail()).contains("does not allow", "ssmmessages:OpenDataChannel (implicitDeny)", "attached: []");
        assertThat(c.fix()).isEqualTo("aws iam attach-role-policy --role-name " + ROLE
                + " --policy-arn arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
        othersPass(r, "instance-role", "managed-node", "session");
    }

    @Test
    void agentOfflineFailsTheNodeAndTheSessionWhileTheNetworkPasses() {
        Report r = diagnose(seed(), false, true);
        assertThat(check(r, "managed-node").verdict()).isEqualTo(Verdict.FAIL);
        assertThat(check(r, "managed-node").detail()).contains("PingStatus ConnectionLost");
        assertThat(check(r, "session").verdict()).isEqualTo(Verdict.FAIL);
        othersPass(r, "managed-node", "session");
        assertThat(r.sessionWouldWork()).isFalse();
    }

    @Test
    void publicSubnetThroughNatWithoutEndpointsPasses() {
        Report r = diagnose(SampleAccounts.natSubnet(INSTANCE), true, true);
        othersPass(r);
        assertThat(check(r, "route").detail()).contains(SampleAccounts.NAT_GATEWAY, "NAT gateway");
        assertThat(check(r, "endpoint-ssmmessages").detail()).contains("over the internet through " + SampleAccounts.NAT_GATEWAY);
        assertThat(check(r, "network-acl").detail()).contains("the internet");
        assertThat(r.sessionWouldWork()).isTrue();
    }

    @Test
    void publicSubnetWithAPublicIpPasses() {
        Report r = diagnose(SampleAccounts.publicSubnet(INSTANCE), true, false);
        othersPass(r, "session");
        assertThat(check(r, "route").detail()).contains(SampleAccounts.INTERNET_GATEWAY, "public IP 203.0.113.10");
    }

    @Test
    void internetGatewayRouteWithoutPublicIpIsNoWayOut() {
        Account.Builder b = SampleAccounts.publicSubnet(INSTANCE).toBuilder();
        b.instance(b.instanceById(INSTANCE).withPublicIp(null));
        Report r = diagnose(b.build(), false, false);
        assertThat(check(r, "route").verdict()).isEqualTo(Verdict.WARN);
        assertThat(check(r, "route").detail()).contains("no public IP");
        for (String service : List.of("ssm", "ssmmessages", "ec2messages")) {
            CheckResult c = check(r, "endpoint-" + service);
            assertThat(c.verdict()).as(service).isEqualTo(Verdict.FAIL);
            assertThat(c.fix()).as(service).contains("--service-name com.amazonaws.us-east-1." + service,
                    "--subnet-ids " + SUBNET_A, "authorize-security-group-ingress", "--source-group " + INSTANCE_GROUP);
        }
    }

    @Test
    void callerWithoutEc2DescribeGetsSkippedChecksNotFailures() {
        Account account = seed().toBuilder().callerPermissions("ssm:*", "iam:*").build();
        Report r = diagnose(account, true, true);
        CheckResult instance = check(r, "instance");
        assertThat(instance.verdict()).isEqualTo(Verdict.SKIPPED);
        assertThat(instance.detail()).isEqualTo("no permission for ec2:DescribeInstances (UnauthorizedOperation)");
        for (String id : List.of("route", "vpc-dns", "endpoint-ssm", "endpoint-ssmmessages", "endpoint-ec2messages",
                "instance-egress", "network-acl", "instance-role")) {
            assertThat(check(r, id).verdict()).as(id).isEqualTo(Verdict.SKIPPED);
            assertThat(check(r, id).detail()).as(id).contains("ec2:DescribeInstances");
        }
        assertThat(r.count(Verdict.FAIL)).isZero();
        assertThat(check(r, "session").verdict()).isEqualTo(Verdict.PASS);
        assertThat(r.sessionWouldWork()).isTrue();
    }

    @Test
    void callerMayDescribeInstancesButNotEndpoints() {
        Account account = seed().toBuilder().callerPermissions("ssm:*", "iam:*", "ec2:DescribeInstances",
                "ec2:DescribeRouteTables", "ec2:DescribeVpcAttribute", "ec2:DescribeSubnets").build();
        Report r = diagnose(account, true, false);
        assertThat(check(r, "endpoint-ssm").verdict()).isEqualTo(Verdict.SKIPPED);
        assertThat(check(r, "endpoint-ssm").detail()).isEqualTo("no permission for ec2:DescribeVpcEndpoints (UnauthorizedOperation)");
        assertThat(r.count(Verdict.FAIL)).isZero();
    }

    @Test
    void kmsEncryptionNeedsAKmsEndpoint() {
        Account account = seed().toBuilder().sessionPreferences(new Account.SessionPreferences("alias/ssm", null, null)).build();
        Report r = diagnose(account, true, false);
        assertThat(check(r, "preferences").detail()).contains("KMS encryption on (alias/ssm)");
        CheckResult kms = check(r, "endpoint-kms");
        assertThat(kms.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(kms.fix()).contains("--service-name com.amazonaws.us-east-1.kms");
    }

    @Test
    void callerWithoutStartSessionFails() {
        Account account = seed().toBuilder().callerPermissions("ec2:Describe*", "iam:*", "ssm:DescribeInstanceInformation",
                "ssm:GetDocument", "ssm:GetServiceSetting").build();
        Report r = diagnose(account, true, true);
        CheckResult c = check(r, "caller-permission");
        assertThat(c.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(c.detail()).contains("may not ssm:StartSession", "arn:aws:ec2:us-east-1:123456789012:instance/" + INSTANCE);
        assertThat(c.fix()).contains("\"Action\":\"ssm:StartSession\"");
        assertThat(check(r, "session").verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void badTargetIsRefusedBeforeAnyCall() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Doctor.builder(
                dev.ssmsession.client.SessionManager.builder().region("us-east-1").environment(Map.of()).build()).build()
                .diagnose("web-server-1")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'web-server-1'");
    }
}
