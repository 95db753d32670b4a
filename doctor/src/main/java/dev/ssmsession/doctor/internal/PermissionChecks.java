package dev.ssmsession.doctor.internal;

import static dev.ssmsession.doctor.internal.Checks.fail;
import static dev.ssmsession.doctor.internal.Checks.pass;
import static dev.ssmsession.doctor.internal.Checks.skipped;

import dev.ssmsession.doctor.CheckResult;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.Role;

/** Checks 6 and 7a: what the instance's role lets the agent do, and whether the caller may start the session. */
final class PermissionChecks {
    static final String CORE_POLICY = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";
    static final String DHMC_SETTING = "/ssm/managed-instance/default-ec2-instance-management-role";
    /** What the agent calls to register and to open the control and data channels. */
    static final List<String> AGENT_ACTIONS = List.of("ssm:UpdateInstanceInformation", "ssmmessages:CreateControlChannel",
            "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel");

    private final Aws aws;
    private final Facts facts;

    PermissionChecks(Aws aws, Facts facts) {
        this.aws = aws;
        this.facts = facts;
    }

    CheckResult instanceRole() {
        String id = "instance-role";
        String title = "Instance profile role permissions";
        Instance i = facts.instance;
        if (i == null) {
            return skipped(id, title, "needs the instance: " + facts.instanceMissing);
        }
        String attachFix = "aws iam create-role --role-name SSMInstanceRole --assume-role-policy-document "
                + "'{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}'\n"
                + "aws iam attach-role-policy --role-name SSMInstanceRole --policy-arn " + CORE_POLICY + "\n"
                + "aws iam create-instance-profile --instance-profile-name SSMInstanceProfile\n"
                + "aws iam add-role-to-instance-profile --instance-profile-name SSMInstanceProfile --role-name SSMInstanceRole\n"
                + "aws ec2 associate-iam-instance-profile --instance-id " + i.instanceId() + " --iam-instance-profile Name=SSMInstanceProfile\n"
                + "(or turn on Default Host Management Configuration in Systems Manager > Fleet Manager)";
        if (i.iamInstanceProfile() == null) {
            String role;
            try {
                role = Aws.call("ssm:GetServiceSetting", () -> aws.ssm().getServiceSetting(b -> b.settingId(DHMC_SETTING))
                        .serviceSetting().settingValue());
            } catch (Unavailable e) {
                return skipped(id, title, i.instanceId() + " has no instance profile, and whether Default Host Management "
                        + "Configuration gives it a role could not be read: " + e.getMessage(), attachFix);
            }
            if (role != null && !role.isBlank()) {
                return pass(id, title, i.instanceId() + " has no instance profile; Default Host Management Configuration "
                        + "gives it the role " + role + " (needs IMDSv2 and agent 3.2.582.0 or later)");
            }
            return fail(id, title, i.instanceId() + " has no instance profile and Default Host Management Configuration is "
                    + "off: the agent has no credentials to register with Systems Manager", attachFix);
        }
        String arn = i.iamInstanceProfile().arn();
        String profile = arn.substring(arn.lastIndexOf('/') + 1);
        List<Role> roles;
        try {
            roles = Aws.call("iam:GetInstanceProfile", () -> aws.iam().getInstanceProfile(b -> b.instanceProfileName(profile))
                    .instanceProfile().roles());
        } catch (Unavailable e) {
            return skipped(id, title, "instance profile " + profile + ": " + e.getMessage());
        }
        if (roles.isEmpty()) {
            return fail(id, title, "instance profile " + profile + " has no role: the agent gets no credentials",
                    "aws iam add-role-to-instance-profile --instance-profile-name " + profile + " --role-name <a role with "
                            + "AmazonSSMManagedInstanceCore>");
        }
        Role role = roles.get(0);
        String attachCore = "aws iam attach-role-policy --role-name " + role.roleName() + " --policy-arn " + CORE_POLICY;
        List<AttachedPolicy> attached;
        try {
            attached = Aws.call("iam:ListAttachedRolePolicies", () -> aws.iam().listAttachedRolePolicies(b -> b.roleName(
                    role.roleName())).attachedPolicies());
        } catch (Unavailable e) {
            attached = null;
        }
        String policies = attached == null ? "attached policies unknown" : "attached: "
                + attached.stream().map(AttachedPolicy::policyName).toList();
        List<EvaluationResult> results;
        try {
            results = Aws.call("iam:SimulatePrincipalPolicy", () -> aws.iam().simulatePrincipalPolicy(b -> b
                    .policySourceArn(role.arn()).actionNames(AGENT_ACTIONS)).evaluationResults());
        } catch (Unavailable e) {
            if (attached != null && attached.stream().anyMatch(p -> CORE_POLICY.equals(p.policyArn()))) {
                return pass(id, title, "role " + role.roleName() + " (profile " + profile + ") has AmazonSSMManagedInstanceCore "
                        + "attached (" + e.getMessage() + ", so not simulated)");
            }
            return skipped(id, title, "role " + role.roleName() + ": " + e.getMessage() + ", and AmazonSSMManagedInstanceCore "
                    + "is not among its managed policies (" + policies + "); inline policies may still allow the agent");
        }
        List<String> denied = results.stream().filter(r -> !"allowed".equals(r.evalDecisionAsString()))
                .map(r -> r.evalActionName() + " (" + r.evalDecisionAsString() + ")").toList();
        if (!denied.isEmpty()) {
            return fail(id, title, "role " + role.roleName() + " (profile " + profile + ", " + policies + ") does not allow "
                    + denied + ": the agent cannot register or open channels", attachCore);
        }
        return pass(id, title, "role " + role.roleName() + " (profile " + profile + ", " + policies + ") allows " + AGENT_ACTIONS);
    }

    CheckResult caller(String documentName) {
        String id = "caller-permission";
        String title = "Caller may start the session";
        if (facts.callerArn == null) {
            return skipped(id, title, "the caller's identity is unknown (identity check failed)");
        }
        if (facts.target.startsWith("ecs:")) {
            return skipped(id, title, "not simulated for ECS targets (the resource is the task): the session check below covers it");
        }
        String principal = principal(facts.callerArn);
        String account = facts.accountId;
        String instanceArn = facts.isEc2Instance()
                ? "arn:aws:ec2:" + facts.region + ":" + account + ":instance/" + facts.target
                : "arn:aws:ssm:" + facts.region + ":" + account + ":managed-instance/" + facts.target;
        // AWS's own documents have no account in their ARN; SSM-SessionManagerRunShell and custom ones are the account's
        String documentArn = "arn:aws:ssm:" + facts.region + ":" + (documentName.startsWith("AWS-") ? "" : account)
                + ":document/" + documentName;
        List<EvaluationResult> results;
        try {
            results = Aws.call("iam:SimulatePrincipalPolicy", () -> aws.iam().simulatePrincipalPolicy(b -> b
                    .policySourceArn(principal).actionNames("ssm:StartSession").resourceArns(instanceArn, documentArn))
                    .evaluationResults());
        } catch (Unavailable e) {
            return skipped(id, title, "simulating " + principal + ": " + e.getMessage());
        }
        List<String> denied = results.stream().filter(r -> !"allowed".equals(r.evalDecisionAsString()))
                .map(r -> r.evalResourceName() + " (" + r.evalDecisionAsString() + ")").toList();
        if (!denied.isEmpty()) {
            return fail(id, title, principal + " may not ssm:StartSession on " + denied,
                    "grant it, e.g. as an inline policy: {\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                            + "\"Action\":\"ssm:StartSession\",\"Resource\":[\"" + instanceArn + "\",\"" + documentArn + "\"]},"
                            + "{\"Effect\":\"Allow\",\"Action\":[\"ssm:TerminateSession\",\"ssm:ResumeSession\"],"
                            + "\"Resource\":\"arn:aws:ssm:*:*:session/${aws:userid}-*\"}]}");
        }
        return pass(id, title, principal + " may ssm:StartSession on " + facts.target + " with " + documentName);
    }

    /** Policy simulation wants the role, not the assumed-role session STS reports. */
    static String principal(String callerArn) {
        // arn:aws:sts::123456789012:assumed-role/RoleName/session -> arn:aws:iam::123456789012:role/RoleName
        if (callerArn.contains(":assumed-role/")) {
            String[] parts = callerArn.split(":", 6);
            String[] path = parts[5].split("/");
            return "arn:" + parts[1] + ":iam::" + parts[4] + ":role/" + path[1];
        }
        return callerArn;
    }
}
