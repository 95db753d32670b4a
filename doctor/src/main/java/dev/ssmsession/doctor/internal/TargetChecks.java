package dev.ssmsession.doctor.internal;

import static dev.ssmsession.doctor.internal.Checks.fail;
import static dev.ssmsession.doctor.internal.Checks.pass;
import static dev.ssmsession.doctor.internal.Checks.skipped;
import static dev.ssmsession.doctor.internal.Checks.warn;

import dev.ssmsession.doctor.CheckResult;
import java.util.List;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;
import software.amazon.awssdk.services.ssm.model.InstanceInformationStringFilter;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** Checks 1 to 3: who is asking and where, whether the target is a managed node, and the EC2 instance behind it. */
final class TargetChecks {
    private final Aws aws;
    private final Facts facts;

    TargetChecks(Aws aws, Facts facts) {
        this.aws = aws;
        this.facts = facts;
    }

    CheckResult identity() {
        String title = "Credentials and region";
        try {
            GetCallerIdentityResponse me = Aws.call("sts:GetCallerIdentity", () -> aws.sts().getCallerIdentity());
            facts.callerArn = me.arn();
            facts.accountId = me.account();
            return pass("identity", title, me.arn() + " in account " + me.account() + ", region " + facts.region);
        } catch (Unavailable e) {
            if (!Aws.answered(e)) {
                return fail("identity", title, "STS could not be asked who these credentials are: " + e.getMessage()
                        + " (region " + facts.region + ")", "see client-reachability below; if credentials are missing: "
                        + "aws sso login --profile NAME and pass --profile NAME, or set AWS_PROFILE");
            }
            return fail("identity", title, "the credentials do not work: " + e.getMessage() + " (region " + facts.region + ")",
                    "sign in (aws sso login --profile NAME) and pass --profile NAME, or set AWS_PROFILE or "
                            + "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY; check --region");
        }
    }

    CheckResult managedNode() {
        String title = "Managed node and agent";
        if (facts.target.startsWith("ecs:")) {
            return skipped("managed-node", title, "an ECS task is not a managed node: the session check below covers it");
        }
        List<InstanceInformation> found;
        try {
            found = Aws.call("ssm:DescribeInstanceInformation", () -> aws.ssm().describeInstanceInformation(b -> b.filters(
                    InstanceInformationStringFilter.builder().key("InstanceIds").values(facts.target).build()))
                    .instanceInformationList());
        } catch (Unavailable e) {
            return skipped("managed-node", title, e);
        }
        InstanceInformation node = found.stream().filter(i -> facts.target.equals(i.instanceId())).findFirst().orElse(null);
        if (node == null) {
            return fail("managed-node", title, facts.target + " is not registered with Systems Manager in " + facts.region
                    + ": the agent has never reached the ssm endpoint, or the instance has no role allowing it to register",
                    "make the checks below pass (network path to ssm/ec2messages/ssmmessages, instance profile), then "
                            + "restart the agent (sudo systemctl restart amazon-ssm-agent) or reboot the instance");
        }
        String about = "agent " + node.agentVersion() + ", " + node.platformTypeAsString()
                + (node.platformName() == null ? "" : " " + node.platformName()) + ", last ping " + node.lastPingDateTime();
        String ping = node.pingStatusAsString();
        if ("Online".equals(ping)) {
            return pass("managed-node", title, "PingStatus Online, " + about);
        }
        if ("Inactive".equals(ping)) {
            return fail("managed-node", title, "PingStatus Inactive (" + about + "): the instance is stopped or terminated, "
                    + "or its registration expired", "start the instance (aws ec2 start-instances --instance-ids "
                    + facts.target + ")");
        }
        return fail("managed-node", title, "PingStatus " + ping + " (" + about + "): the agent registered once but no "
                + "longer reaches Systems Manager", "the checks below say which part of the path is broken; once fixed, the "
                + "agent reconnects by itself within minutes (or restart it: sudo systemctl restart amazon-ssm-agent)");
    }

    CheckResult instance() {
        String title = "EC2 instance";
        if (!facts.isEc2Instance()) {
            facts.instanceMissing = facts.target + " is not an EC2 instance";
            return skipped("instance", title, facts.instanceMissing + ": the network and instance-profile checks do not apply");
        }
        List<Reservation> reservations;
        try {
            reservations = Aws.call("ec2:DescribeInstances",
                    () -> aws.ec2().describeInstances(b -> b.instanceIds(facts.target)).reservations());
        } catch (Unavailable e) {
            if (e.getMessage().contains("InvalidInstanceID")) {
                facts.instanceMissing = "no instance " + facts.target + " in " + facts.region;
                return fail("instance", title, facts.instanceMissing + " (account " + facts.accountId + ")",
                        "check the instance id, --region and --profile");
            }
            facts.instanceMissing = "the instance could not be described (" + e.getMessage() + ")";
            return skipped("instance", title, e);
        }
        Instance i = reservations.stream().flatMap(r -> r.instances().stream()).findFirst().orElse(null);
        if (i == null) {
            facts.instanceMissing = "no instance " + facts.target + " in " + facts.region;
            return fail("instance", title, facts.instanceMissing, "check the instance id, --region and --profile");
        }
        facts.instance = i;
        String groups = i.securityGroups().stream().map(g -> g.groupId() + " (" + g.groupName() + ")")
                .collect(Collectors.joining(", "));
        String detail = i.state().nameAsString() + " in " + i.subnetId() + " (" + i.placement().availabilityZone() + ") of "
                + i.vpcId() + ", private IP " + i.privateIpAddress() + ", groups " + groups + ", instance profile "
                + (i.iamInstanceProfile() == null ? "none" : i.iamInstanceProfile().arn());
        String state = i.state().nameAsString();
        if (state.equals("running")) {
            return pass("instance", title, detail);
        }
        if (state.equals("pending")) {
            return warn("instance", title, detail, "wait until it is running");
        }
        return fail("instance", title, detail, "start it: aws ec2 start-instances --instance-ids " + facts.target);
    }
}
