package dev.ssmsession.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A small declarative AWS account for the testkit's EC2, IAM and STS stand-ins (and the SSM calls about the
 * account: session preferences, Default Host Management): VPCs, subnets, route tables, VPC endpoints, security
 * groups, network ACLs, instances, instance profiles, roles, policies and what the caller may do. Immutable; build
 * one with {@link #builder()}, change a copy with {@link #toBuilder()}.
 *
 * <p>Permissions are lists of IAM action patterns ({@code ec2:Describe*}, {@code ssmmessages:*}, {@code *}); a
 * policy allows what its patterns match and nothing else (no conditions, no explicit denies).
 */
public final class Account {
    public static final String ACCOUNT_ID = "123456789012";
    /** The actions of AWS's managed policy {@code AmazonSSMManagedInstanceCore} that Session Manager needs. */
    public static final Policy SSM_MANAGED_INSTANCE_CORE = new Policy(
            "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore", "AmazonSSMManagedInstanceCore",
            List.of("ssm:DescribeAssociation", "ssm:GetDocument", "ssm:DescribeDocument", "ssm:ListAssociations",
                    "ssm:ListInstanceAssociations", "ssm:UpdateInstanceInformation", "ssm:UpdateAssociationStatus",
                    "ssm:UpdateInstanceAssociationStatus", "ssm:PutInventory", "ssm:PutComplianceItems",
                    "ssm:PutConfigurePackageResult", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetManifest",
                    "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                    "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel", "ec2messages:*"));

    public record Vpc(String id, String cidr, boolean dnsSupport, boolean dnsHostnames) {
    }

    public record Subnet(String id, String vpcId, String cidr, String availabilityZone) {
    }

    /** @param target {@code local}, {@code igw-…}, {@code nat-…} or another gateway/interface id */
    public record Route(String destinationCidr, String target) {
    }

    public record RouteTable(String id, String vpcId, boolean main, List<String> subnetIds, List<Route> routes) {
        public RouteTable {
            subnetIds = List.copyOf(subnetIds);
            routes = List.copyOf(routes);
        }
    }

    /**
     * @param serviceName e.g. {@code com.amazonaws.us-east-1.ssmmessages}
     * @param type {@code Interface} or {@code Gateway}
     * @param state as EC2 reports it: {@code available}, {@code pending}, {@code failed}…
     */
    public record Endpoint(String id, String vpcId, String serviceName, String type, String state, boolean privateDns,
                           List<String> subnetIds, List<String> groupIds, List<String> routeTableIds) {
        public Endpoint {
            subnetIds = List.copyOf(subnetIds);
            groupIds = List.copyOf(groupIds);
            routeTableIds = List.copyOf(routeTableIds);
        }

        /** An available interface endpoint with private DNS on. */
        public static Endpoint of(String id, String vpcId, String serviceName, List<String> subnetIds, List<String> groupIds) {
            return new Endpoint(id, vpcId, serviceName, "Interface", "available", true, subnetIds, groupIds, List.of());
        }

        public Endpoint withPrivateDns(boolean on) {
            return new Endpoint(id, vpcId, serviceName, type, state, on, subnetIds, groupIds, routeTableIds);
        }

        public Endpoint withGroups(List<String> groups) {
            return new Endpoint(id, vpcId, serviceName, type, state, privateDns, subnetIds, groups, routeTableIds);
        }
    }

    /**
     * A security group rule: TCP ({@code "tcp"}) or all traffic ({@code "-1"}), a port range, and a peer that is a
     * CIDR or a security group (one of the two is null).
     */
    public record Rule(String protocol, int fromPort, int toPort, String cidr, String groupId) {
        public static Rule tcp(int from, int to, String cidr) {
            return new Rule("tcp", from, to, cidr, null);
        }

        public static Rule tcpFromGroup(int from, int to, String groupId) {
            return new Rule("tcp", from, to, null, groupId);
        }

        public static Rule all(String cidr) {
            return new Rule("-1", -1, -1, cidr, null);
        }
    }

    public record SecurityGroup(String id, String name, String vpcId, List<Rule> ingress, List<Rule> egress) {
        public SecurityGroup {
            ingress = List.copyOf(ingress);
            egress = List.copyOf(egress);
        }
    }

    /** A network ACL entry; {@code protocol} is {@code "6"} (TCP) or {@code "-1"} (all), ports are ignored for all. */
    public record AclEntry(int ruleNumber, boolean egress, String protocol, boolean allow, String cidr, int fromPort, int toPort) {
        public static AclEntry allowAll(int ruleNumber, boolean egress) {
            return new AclEntry(ruleNumber, egress, "-1", true, "0.0.0.0/0", 0, 0);
        }

        public static AclEntry tcp(int ruleNumber, boolean egress, boolean allow, String cidr, int from, int to) {
            return new AclEntry(ruleNumber, egress, "6", allow, cidr, from, to);
        }
    }

    public record NetworkAcl(String id, String vpcId, boolean isDefault, List<String> subnetIds, List<AclEntry> entries) {
        public NetworkAcl {
            subnetIds = List.copyOf(subnetIds);
            entries = List.copyOf(entries);
        }
    }

    /**
     * @param instanceProfile the instance profile's name, null for none
     * @param state {@code running}, {@code stopped}…
     * @param publicIp null for none (an internet gateway route is then of no use to it)
     */
    public record Instance(String id, String state, String subnetId, String privateIp, List<String> groupIds,
                           String instanceProfile, String publicIp) {
        public Instance {
            groupIds = List.copyOf(groupIds);
        }

        /** Without a public IP. */
        public Instance(String id, String state, String subnetId, String privateIp, List<String> groupIds, String instanceProfile) {
            this(id, state, subnetId, privateIp, groupIds, instanceProfile, null);
        }

        public Instance withInstanceProfile(String name) {
            return new Instance(id, state, subnetId, privateIp, groupIds, name, publicIp);
        }

        public Instance withPublicIp(String ip) {
            return new Instance(id, state, subnetId, privateIp, groupIds, instanceProfile, ip);
        }
    }

    public record InstanceProfile(String name, List<String> roles) {
        public InstanceProfile {
            roles = List.copyOf(roles);
        }
    }

    public record Role(String name, List<String> policyArns) {
        public Role {
            policyArns = List.copyOf(policyArns);
        }
    }

    public record Policy(String arn, String name, List<String> actions) {
        public Policy {
            actions = List.copyOf(actions);
        }
    }

    /** Session Manager preferences (the {@code SSM-SessionManagerRunShell} document); nulls for off. */
    public record SessionPreferences(String kmsKeyId, String s3BucketName, String cloudWatchLogGroupName) {
        public static final SessionPreferences NONE = new SessionPreferences(null, null, null);
    }

    private final Builder b;

    private Account(Builder b) {
        this.b = b.copy();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return b.copy();
    }

    public String callerArn() {
        return b.callerArn;
    }

    /** True when the caller's permissions allow {@code action} ({@code ec2:DescribeInstances}…). */
    public boolean callerMay(String action) {
        return matchesAny(b.callerActions, action);
    }

    /**
     * True when the role's attached policies allow {@code action}, or, for the caller's own ARN, the caller's
     * permissions do. Unknown principals allow nothing.
     */
    public boolean principalMay(String principalArn, String action) {
        if (principalArn.equals(b.callerArn)) {
            return callerMay(action);
        }
        Optional<Role> role = b.roles.values().stream().filter(r -> roleArn(r.name()).equals(principalArn)).findFirst();
        if (role.isEmpty()) {
            return false;
        }
        for (String arn : role.get().policyArns()) {
            Policy p = b.policies.get(arn);
            if (p != null && matchesAny(p.actions(), action)) {
                return true;
            }
        }
        return false;
    }

    public static String roleArn(String roleName) {
        return "arn:aws:iam::" + ACCOUNT_ID + ":role/" + roleName;
    }

    public static String instanceProfileArn(String name) {
        return "arn:aws:iam::" + ACCOUNT_ID + ":instance-profile/" + name;
    }

    private static boolean matchesAny(Iterable<String> patterns, String action) {
        for (String p : patterns) {
            String regex = "\\Q" + p.replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q") + "\\E";
            if (java.util.regex.Pattern.compile(regex, java.util.regex.Pattern.CASE_INSENSITIVE).matcher(action).matches()) {
                return true;
            }
        }
        return false;
    }

    public List<Vpc> vpcs() {
        return List.copyOf(b.vpcs.values());
    }

    public List<Subnet> subnets() {
        return List.copyOf(b.subnets.values());
    }

    public List<RouteTable> routeTables() {
        return List.copyOf(b.routeTables.values());
    }

    public List<Endpoint> endpoints() {
        return List.copyOf(b.endpoints.values());
    }

    public List<SecurityGroup> securityGroups() {
        return List.copyOf(b.groups.values());
    }

    public List<NetworkAcl> networkAcls() {
        return List.copyOf(b.acls.values());
    }

    public List<Instance> instances() {
        return List.copyOf(b.instances.values());
    }

    public Optional<InstanceProfile> instanceProfile(String name) {
        return Optional.ofNullable(b.profiles.get(name));
    }

    public List<Role> roles() {
        return List.copyOf(b.roles.values());
    }

    public Optional<Role> role(String name) {
        return Optional.ofNullable(b.roles.get(name));
    }

    public Optional<Policy> policy(String arn) {
        return Optional.ofNullable(b.policies.get(arn));
    }

    /** The role Default Host Management Configuration uses, if the account turned it on. */
    public Optional<String> defaultHostManagementRole() {
        return Optional.ofNullable(b.defaultHostManagementRole);
    }

    public SessionPreferences sessionPreferences() {
        return b.preferences;
    }

    /** Every setting has a value that makes an empty account; {@code put}s replace by id. */
    public static final class Builder {
        private String callerArn = "arn:aws:iam::" + ACCOUNT_ID + ":user/testkit";
        private final Set<String> callerActions = new LinkedHashSet<>(List.of("*"));
        private final Map<String, Vpc> vpcs = new LinkedHashMap<>();
        private final Map<String, Subnet> subnets = new LinkedHashMap<>();
        private final Map<String, RouteTable> routeTables = new LinkedHashMap<>();
        private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        private final Map<String, SecurityGroup> groups = new LinkedHashMap<>();
        private final Map<String, NetworkAcl> acls = new LinkedHashMap<>();
        private final Map<String, Instance> instances = new LinkedHashMap<>();
        private final Map<String, InstanceProfile> profiles = new LinkedHashMap<>();
        private final Map<String, Role> roles = new LinkedHashMap<>();
        private final Map<String, Policy> policies = new LinkedHashMap<>(Map.of(SSM_MANAGED_INSTANCE_CORE.arn(), SSM_MANAGED_INSTANCE_CORE));
        private String defaultHostManagementRole;
        private SessionPreferences preferences = SessionPreferences.NONE;

        private Builder() {
        }

        public Builder callerArn(String arn) {
            this.callerArn = Objects.requireNonNull(arn, "arn");
            return this;
        }

        /** Replaces what the caller may do (default {@code *}). */
        public Builder callerPermissions(String... actionPatterns) {
            callerActions.clear();
            callerActions.addAll(List.of(actionPatterns));
            return this;
        }

        public Builder vpc(Vpc v) {
            vpcs.put(v.id(), v);
            return this;
        }

        public Builder subnet(Subnet s) {
            subnets.put(s.id(), s);
            return this;
        }

        public Builder routeTable(RouteTable r) {
            routeTables.put(r.id(), r);
            return this;
        }

        public Builder endpoint(Endpoint e) {
            endpoints.put(e.id(), e);
            return this;
        }

        public Builder removeEndpoint(String id) {
            require(endpoints.remove(id), "endpoint", id);
            return this;
        }

        public Builder securityGroup(SecurityGroup g) {
            groups.put(g.id(), g);
            return this;
        }

        public Builder networkAcl(NetworkAcl a) {
            acls.put(a.id(), a);
            return this;
        }

        public Builder instance(Instance i) {
            instances.put(i.id(), i);
            return this;
        }

        public Builder instanceProfile(InstanceProfile p) {
            profiles.put(p.name(), p);
            return this;
        }

        public Builder role(Role r) {
            roles.put(r.name(), r);
            return this;
        }

        public Builder policy(Policy p) {
            policies.put(p.arn(), p);
            return this;
        }

        public Builder defaultHostManagementRole(String roleName) {
            this.defaultHostManagementRole = roleName;
            return this;
        }

        public Builder sessionPreferences(SessionPreferences p) {
            this.preferences = Objects.requireNonNull(p, "preferences");
            return this;
        }

        /** Looks up what tests change most: one of the account's items by id. */
        public Endpoint endpointById(String id) {
            return require(endpoints.get(id), "endpoint", id);
        }

        public SecurityGroup securityGroupById(String id) {
            return require(groups.get(id), "security group", id);
        }

        public Instance instanceById(String id) {
            return require(instances.get(id), "instance", id);
        }

        private static <T> T require(T value, String what, String id) {
            if (value == null) {
                throw new IllegalArgumentException("no " + what + " " + id + " in this account");
            }
            return value;
        }

        public Account build() {
            List<String> problems = new ArrayList<>();
            for (Subnet s : subnets.values()) {
                if (!vpcs.containsKey(s.vpcId())) {
                    problems.add("subnet " + s.id() + " names unknown VPC " + s.vpcId());
                }
            }
            for (Instance i : instances.values()) {
                if (!subnets.containsKey(i.subnetId())) {
                    problems.add("instance " + i.id() + " names unknown subnet " + i.subnetId());
                }
                i.groupIds().stream().filter(g -> !groups.containsKey(g))
                        .forEach(g -> problems.add("instance " + i.id() + " names unknown security group " + g));
            }
            for (Endpoint e : endpoints.values()) {
                e.subnetIds().stream().filter(s -> !subnets.containsKey(s))
                        .forEach(s -> problems.add("endpoint " + e.id() + " names unknown subnet " + s));
                e.groupIds().stream().filter(g -> !groups.containsKey(g))
                        .forEach(g -> problems.add("endpoint " + e.id() + " names unknown security group " + g));
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("inconsistent account: " + String.join("; ", problems));
            }
            return new Account(this);
        }

        Builder copy() {
            Builder c = new Builder();
            c.callerArn = callerArn;
            c.callerActions.clear();
            c.callerActions.addAll(callerActions);
            c.vpcs.putAll(vpcs);
            c.subnets.putAll(subnets);
            c.routeTables.putAll(routeTables);
            c.endpoints.putAll(endpoints);
            c.groups.putAll(groups);
            c.acls.putAll(acls);
            c.instances.putAll(instances);
            c.profiles.putAll(profiles);
            c.roles.putAll(roles);
            c.policies.putAll(policies);
            c.defaultHostManagementRole = defaultHostManagementRole;
            c.preferences = preferences;
            return c;
        }
    }
}
