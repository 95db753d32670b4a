package dev.ssmsession.doctor.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;

/**
 * What the checks learnt so far, handed down the list (the network checks need the instance's subnet, the ACL check
 * the endpoints found…). Each field is null until a check set it; {@code …Missing} says why one could not be set.
 */
final class Facts {
    final String target;
    final String region;
    String callerArn;
    String accountId;

    Instance instance;
    /** Why {@link #instance} is null: the reason a dependent check gives when it is SKIPPED. */
    String instanceMissing = "not looked up";

    Map<String, Subnet> subnets;
    String subnetsMissing;

    /** The default route's target ({@code igw-…}, {@code nat-…}…) or "" for none; null when unknown. */
    String internetRoute;
    String routeTableId;

    Boolean kms;
    Boolean cloudWatchLogs;
    Boolean s3Logs;

    /** The endpoints the agent's traffic goes to (service → endpoint), for the egress and ACL checks. */
    final Map<String, VpcEndpoint> endpointsUsed = new java.util.LinkedHashMap<>();
    /** Services checked whose endpoint is missing with no internet route either. */
    final List<String> unreachableServices = new ArrayList<>();

    final Map<String, SecurityGroup> groups = new HashMap<>();

    Facts(String target, String region) {
        this.target = target;
        this.region = region;
    }

    boolean isEc2Instance() {
        return target.startsWith("i-");
    }

    boolean internetPath() {
        return internetRoute != null && !internetRoute.isEmpty();
    }

    /** The services whose endpoints Session Manager needs here, given the session preferences. */
    List<String> services() {
        List<String> out = new ArrayList<>(List.of("ssm", "ssmmessages", "ec2messages"));
        if (Boolean.TRUE.equals(kms)) {
            out.add("kms");
        }
        if (Boolean.TRUE.equals(cloudWatchLogs)) {
            out.add("logs");
        }
        if (Boolean.TRUE.equals(s3Logs)) {
            out.add("s3");
        }
        return out;
    }

    String serviceName(String service) {
        return "com.amazonaws." + region + "." + service;
    }
}
