package dev.ssmsession.testkit.internal;

import dev.ssmsession.testkit.Account;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * IAM's calls the doctor makes (instance profile, attached policies, policy simulation) and STS's
 * {@code GetCallerIdentity}, over an {@link Account}, in the AWS Query protocol: {@code <Action>Response} wrapping
 * {@code <Action>Result}, lists of {@code <member>}, {@code ResponseMetadata/RequestId}.
 */
final class IamApi {
    private static final String IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/";
    private static final String STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";
    private static final String CREATED = "2026-01-05T10:00:00Z";

    private final Account account;

    IamApi(Account account) {
        this.account = account;
    }

    Map<String, QueryApis.Operation> operations() {
        Map<String, QueryApis.Operation> ops = new LinkedHashMap<>();
        ops.put("GetInstanceProfile", this::getInstanceProfile);
        ops.put("ListAttachedRolePolicies", this::listAttachedRolePolicies);
        ops.put("SimulatePrincipalPolicy", this::simulatePrincipalPolicy);
        return ops;
    }

    Xml getCallerIdentity(Map<String, String> p) {
        return Xml.root("GetCallerIdentityResponse", STS_NS).open("GetCallerIdentityResult")
                .leaf("Arn", account.callerArn()).leaf("UserId", "AIDATESTKITCALLER0001").leaf("Account", Account.ACCOUNT_ID)
                .close("GetCallerIdentityResult").open("ResponseMetadata").leaf("RequestId", UUID.randomUUID())
                .close("ResponseMetadata").close("GetCallerIdentityResponse");
    }

    private Xml getInstanceProfile(Map<String, String> p) {
        String name = required(p, "InstanceProfileName");
        Account.InstanceProfile profile = account.instanceProfile(name).orElseThrow(() -> new AwsError("NoSuchEntity", 404,
                "Instance Profile " + name + " cannot be found."));
        Xml x = start("GetInstanceProfile").open("InstanceProfile").leaf("Path", "/").leaf("InstanceProfileName", name)
                .leaf("InstanceProfileId", "AIPA" + id(name)).leaf("Arn", Account.instanceProfileArn(name))
                .leaf("CreateDate", CREATED).open("Roles");
        for (String role : profile.roles()) {
            x.open("member").leaf("Path", "/").leaf("RoleName", role).leaf("RoleId", "AROA" + id(role))
                    .leaf("Arn", Account.roleArn(role)).leaf("CreateDate", CREATED).close("member");
        }
        return end(x.close("Roles").close("InstanceProfile"), "GetInstanceProfile");
    }

    private Xml listAttachedRolePolicies(Map<String, String> p) {
        String name = required(p, "RoleName");
        Account.Role role = account.role(name).orElseThrow(() -> new AwsError("NoSuchEntity", 404,
                "The role with name " + name + " cannot be found."));
        Xml x = start("ListAttachedRolePolicies").open("AttachedPolicies");
        for (String arn : role.policyArns()) {
            String policyName = account.policy(arn).map(Account.Policy::name).orElse(arn.substring(arn.lastIndexOf('/') + 1));
            x.open("member").leaf("PolicyName", policyName).leaf("PolicyArn", arn).close("member");
        }
        return end(x.close("AttachedPolicies").leaf("IsTruncated", false), "ListAttachedRolePolicies");
    }

    private Xml simulatePrincipalPolicy(Map<String, String> p) {
        String principal = required(p, "PolicySourceArn");
        if (principal.contains(":assumed-role/")) {
            throw new AwsError("InvalidInput", 400, "Invalid Entity Arn: " + principal
                    + " does not clearly define entity type and name.");
        }
        boolean known = principal.equals(account.callerArn()) || account.roles().stream()
                .anyMatch(r -> Account.roleArn(r.name()).equals(principal));
        if (!known) {
            throw new AwsError("NoSuchEntity", 404, "The entity " + principal + " cannot be found.");
        }
        List<String> actions = Ec2Api.indexed(p, "ActionNames.member");
        if (actions.isEmpty()) {
            throw new AwsError("ValidationError", 400, "1 validation error detected: Value null at 'actionNames' failed "
                    + "to satisfy constraint: Member must not be null");
        }
        List<String> resources = Ec2Api.indexed(p, "ResourceArns.member");
        Xml x = start("SimulatePrincipalPolicy").open("EvaluationResults");
        for (String action : actions) {
            for (String resource : resources.isEmpty() ? List.of("*") : resources) {
                x.open("member").leaf("EvalActionName", action).leaf("EvalResourceName", resource)
                        .leaf("EvalDecision", account.principalMay(principal, action) ? "allowed" : "implicitDeny")
                        .close("member");
            }
        }
        return end(x.close("EvaluationResults").leaf("IsTruncated", false), "SimulatePrincipalPolicy");
    }

    private static Xml start(String action) {
        return Xml.root(action + "Response", IAM_NS).open(action + "Result");
    }

    private static Xml end(Xml x, String action) {
        return x.close(action + "Result").open("ResponseMetadata").leaf("RequestId", UUID.randomUUID())
                .close("ResponseMetadata").close(action + "Response");
    }

    private static String id(String name) {
        return String.format("%016X", (long) name.hashCode() & 0xffffffffL);
    }

    private static String required(Map<String, String> p, String name) {
        String v = p.get(name);
        if (v == null || v.isEmpty()) {
            throw new AwsError("ValidationError", 400, "1 validation error detected: Value null at '"
                    + Character.toLowerCase(name.charAt(0)) + name.substring(1) + "' failed to satisfy constraint: "
                    + "Member must not be null");
        }
        return v;
    }
}
