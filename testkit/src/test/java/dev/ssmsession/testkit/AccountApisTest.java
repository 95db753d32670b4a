package dev.ssmsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.NetworkAcl;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.VpcAttributeName;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.InstanceProfile;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.AccessDeniedException;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The EC2, IAM and STS stand-ins, read by the real SDK v2 clients: every field the doctor reads must come back
 * non-null with the account's value (a wrong XML element name parses as null), and errors map to the SDK's types.
 */
class AccountApisTest {
    static final String INSTANCE = "i-0123456789abcdef0";
    static LocalSessionManager local;
    static Ec2Client ec2;
    static IamClient iam;
    static StsClient sts;

    @BeforeAll
    static void start() {
        local = LocalSessionManager.builder().target(INSTANCE)
                .account(SampleAccounts.privateSubnet("us-east-1", INSTANCE)).build().start();
        ec2 = configure(Ec2Client.builder());
        iam = configure(IamClient.builder());
        sts = configure(StsClient.builder());
    }

    static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
            & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, C>, C> C configure(B b) {
        TestkitCredentials c = local.credentials();
        return b.endpointOverride(local.accountEndpoint()).region(Region.of(local.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stop() {
        ec2.close();
        iam.close();
        sts.close();
        local.close();
    }

    @Test
    void describeInstancesGivesStateSubnetVpcGroupsAndProfile() {
        Instance i = ec2.describeInstances(b -> b.instanceIds(INSTANCE)).reservations().get(0).instances().get(0);
        assertThat(i.instanceId()).isEqualTo(INSTANCE);
        assertThat(i.state().nameAsString()).isEqualTo("running");
        assertThat(i.state().code()).isEqualTo(16);
        assertThat(i.subnetId()).isEqualTo(SampleAccounts.SUBNET_A);
        assertThat(i.vpcId()).isEqualTo(SampleAccounts.VPC);
        assertThat(i.privateIpAddress()).isEqualTo("10.0.1.25");
        assertThat(i.publicIpAddress()).isNull();
        assertThat(i.placement().availabilityZone()).isEqualTo("us-east-1a");
        assertThat(i.securityGroups()).extracting(g -> g.groupId()).containsExactly(SampleAccounts.INSTANCE_GROUP);
        assertThat(i.iamInstanceProfile().arn()).endsWith(":instance-profile/" + SampleAccounts.PROFILE);
        assertThatThrownBy(() -> ec2.describeInstances(b -> b.instanceIds("i-0000000000000dead")))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("InvalidInstanceID.NotFound"));
    }

    @Test
    void publicIpAndInternetGatewayRoute() {
        Account account = SampleAccounts.publicSubnet(INSTANCE);
        try (LocalSessionManager pub = LocalSessionManager.builder().target(INSTANCE).account(account).build().start()) {
            LocalSessionManager saved = local;
            local = pub;
            try (Ec2Client e = configure(Ec2Client.builder())) {
                assertThat(e.describeInstances(b -> b.instanceIds(INSTANCE)).reservations().get(0).instances().get(0)
                        .publicIpAddress()).isEqualTo("203.0.113.10");
                assertThat(e.describeRouteTables(b -> b.filters(f -> f.name("vpc-id").values(SampleAccounts.VPC)))
                        .routeTables().get(0).routes().get(1).gatewayId()).isEqualTo(SampleAccounts.INTERNET_GATEWAY);
            } finally {
                local = saved;
            }
        }
    }

    @Test
    void routeTablesSubnetsAndVpcAttributes() {
        List<RouteTable> tables = ec2.describeRouteTables(b -> b.filters(f -> f.name("vpc-id").values(SampleAccounts.VPC)))
                .routeTables();
        assertThat(tables).hasSize(1);
        assertThat(tables.get(0).associations().get(0).main()).isTrue();
        assertThat(tables.get(0).routes().get(0).destinationCidrBlock()).isEqualTo("10.0.0.0/16");
        assertThat(tables.get(0).routes().get(0).gatewayId()).isEqualTo("local");
        assertThat(ec2.describeSubnets(b -> b.subnetIds(SampleAccounts.SUBNET_B)).subnets().get(0))
                .satisfies(s -> {
                    assertThat(s.cidrBlock()).isEqualTo("10.0.2.0/24");
                    assertThat(s.availabilityZone()).isEqualTo("us-east-1b");
                    assertThat(s.vpcId()).isEqualTo(SampleAccounts.VPC);
                });
        assertThat(ec2.describeVpcAttribute(b -> b.vpcId(SampleAccounts.VPC).attribute(VpcAttributeName.ENABLE_DNS_SUPPORT))
                .enableDnsSupport().value()).isTrue();
        assertThat(ec2.describeVpcAttribute(b -> b.vpcId(SampleAccounts.VPC).attribute(VpcAttributeName.ENABLE_DNS_HOSTNAMES))
                .enableDnsHostnames().value()).isTrue();
        assertThatThrownBy(() -> ec2.describeRouteTables(b -> b.filters(f -> f.name("no-such-filter").values("x"))))
                .isInstanceOf(Ec2Exception.class).hasMessageContaining("The filter 'no-such-filter' is invalid");
    }

    @Test
    void endpointsGroupsAndAcls() {
        List<VpcEndpoint> endpoints = ec2.describeVpcEndpoints(b -> b.filters(f -> f.name("vpc-id").values(SampleAccounts.VPC)))
                .vpcEndpoints();
        assertThat(endpoints).extracting(VpcEndpoint::serviceName).containsExactly(
                "com.amazonaws.us-east-1.ssm", "com.amazonaws.us-east-1.ssmmessages", "com.amazonaws.us-east-1.ec2messages");
        VpcEndpoint e = endpoints.get(1);
        assertThat(e.stateAsString()).isEqualTo("available");
        assertThat(e.vpcEndpointTypeAsString()).isEqualTo("Interface");
        assertThat(e.privateDnsEnabled()).isTrue();
        assertThat(e.subnetIds()).containsExactly(SampleAccounts.SUBNET_A, SampleAccounts.SUBNET_B);
        assertThat(e.groups()).extracting(g -> g.groupId()).containsExactly(SampleAccounts.ENDPOINT_GROUP);

        SecurityGroup g = ec2.describeSecurityGroups(b -> b.groupIds(SampleAccounts.ENDPOINT_GROUP)).securityGroups().get(0);
        IpPermission in = g.ipPermissions().get(0);
        assertThat(in.ipProtocol()).isEqualTo("tcp");
        assertThat(in.fromPort()).isEqualTo(443);
        assertThat(in.toPort()).isEqualTo(443);
        assertThat(in.ipRanges().get(0).cidrIp()).isEqualTo("10.0.0.0/16");
        assertThat(g.ipPermissionsEgress().get(0).ipProtocol()).isEqualTo("-1");

        NetworkAcl acl = ec2.describeNetworkAcls(b -> b.filters(f -> f.name("association.subnet-id").values(SampleAccounts.SUBNET_A)))
                .networkAcls().get(0);
        assertThat(acl.networkAclId()).isEqualTo(SampleAccounts.NETWORK_ACL);
        assertThat(acl.associations()).extracting(a -> a.subnetId()).contains(SampleAccounts.SUBNET_A);
        assertThat(acl.entries()).anySatisfy(entry -> {
            assertThat(entry.ruleNumber()).isEqualTo(100);
            assertThat(entry.egress()).isTrue();
            assertThat(entry.ruleActionAsString()).isEqualTo("allow");
            assertThat(entry.cidrBlock()).isEqualTo("0.0.0.0/0");
            assertThat(entry.protocol()).isEqualTo("-1");
        });
        assertThat(acl.entries()).anySatisfy(entry -> assertThat(entry.ruleNumber()).isEqualTo(32767));
    }

    @Test
    void iamAndSts() {
        assertThat(sts.getCallerIdentity().arn()).isEqualTo("arn:aws:iam::123456789012:user/testkit");
        assertThat(sts.getCallerIdentity().account()).isEqualTo(Account.ACCOUNT_ID);
        InstanceProfile p = iam.getInstanceProfile(b -> b.instanceProfileName(SampleAccounts.PROFILE)).instanceProfile();
        assertThat(p.roles()).extracting(r -> r.roleName()).containsExactly(SampleAccounts.ROLE);
        assertThat(p.roles().get(0).arn()).isEqualTo(Account.roleArn(SampleAccounts.ROLE));
        assertThat(iam.listAttachedRolePolicies(b -> b.roleName(SampleAccounts.ROLE)).attachedPolicies())
                .extracting(a -> a.policyName()).containsExactly("AmazonSSMManagedInstanceCore");
        List<EvaluationResult> results = iam.simulatePrincipalPolicy(b -> b.policySourceArn(Account.roleArn(SampleAccounts.ROLE))
                .actionNames("ssmmessages:OpenDataChannel", "s3:GetObject")).evaluationResults();
        assertThat(results).extracting(EvaluationResult::evalActionName, EvaluationResult::evalDecisionAsString)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ssmmessages:OpenDataChannel", "allowed"),
                        org.assertj.core.groups.Tuple.tuple("s3:GetObject", "implicitDeny"));
        assertThatThrownBy(() -> iam.getInstanceProfile(b -> b.instanceProfileName("Nope")))
                .isInstanceOf(NoSuchEntityException.class);
    }

    @Test
    void callerWithoutPermissionGetsTheServicesOwnAccessDenied() {
        Account limited = SampleAccounts.privateSubnet("us-east-1", INSTANCE).toBuilder()
                .callerPermissions("ssm:DescribeInstanceInformation").build();
        try (LocalSessionManager denied = LocalSessionManager.builder().target(INSTANCE).account(limited).build().start()) {
            LocalSessionManager saved = local;
            local = denied;
            try (Ec2Client e = configure(Ec2Client.builder()); IamClient i = configure(IamClient.builder());
                 SsmClient s = configure(SsmClient.builder())) {
                assertThatThrownBy(() -> e.describeInstances(b -> b.instanceIds(INSTANCE)))
                        .isInstanceOfSatisfying(Ec2Exception.class, x -> {
                            assertThat(x.awsErrorDetails().errorCode()).isEqualTo("UnauthorizedOperation");
                            assertThat(x.statusCode()).isEqualTo(403);
                        });
                assertThatThrownBy(() -> i.getInstanceProfile(b -> b.instanceProfileName(SampleAccounts.PROFILE)))
                        .isInstanceOfSatisfying(SdkServiceException.class, x -> assertThat(x.statusCode()).isEqualTo(403))
                        .hasMessageContaining("iam:GetInstanceProfile");
                assertThat(s.describeInstanceInformation().instanceInformationList()).hasSize(1);
                assertThatThrownBy(() -> s.startSession(b -> b.target(INSTANCE))).isInstanceOf(AccessDeniedException.class);
            } finally {
                local = saved;
            }
        }
    }
}
