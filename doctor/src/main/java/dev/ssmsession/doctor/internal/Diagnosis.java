package dev.ssmsession.doctor.internal;

import dev.ssmsession.client.SessionManager;
import dev.ssmsession.client.internal.ManagerInternals;
import dev.ssmsession.doctor.CheckResult;
import dev.ssmsession.doctor.Report;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Runs the checks in the order over one {@link Facts}, each check reading what earlier ones found. */
public final class Diagnosis {
    private final SessionManager manager;
    private final Clock clock;
    private final Duration connectTimeout;
    private final Duration sessionTimeout;

    public Diagnosis(SessionManager manager, Clock clock, Duration connectTimeout, Duration sessionTimeout) {
        this.manager = manager;
        this.clock = clock;
        this.connectTimeout = connectTimeout;
        this.sessionTimeout = sessionTimeout;
    }

    /** @param progress told of each result as soon as it is known (the CLI prints as it goes) */
    public Report run(String target, String documentName, boolean session, Consumer<CheckResult> progress) {
        List<CheckResult> results = new ArrayList<>();
        Consumer<CheckResult> add = r -> {
            results.add(r);
            progress.accept(r);
        };
        try (Aws aws = new Aws(ManagerInternals.awsSetup(manager))) {
            Facts facts = new Facts(target, aws.region());
            TargetChecks targets = new TargetChecks(aws, facts);
            add.accept(targets.identity());
            add.accept(targets.managedNode());
            add.accept(targets.instance());
            NetworkChecks network = new NetworkChecks(aws, facts);
            add.accept(network.route());
            add.accept(network.vpcDns());
            add.accept(network.preferences());
            network.endpoints().forEach(add);
            TrafficChecks traffic = new TrafficChecks(aws, facts, network);
            add.accept(traffic.instanceEgress());
            add.accept(traffic.networkAcl());
            PermissionChecks permissions = new PermissionChecks(aws, facts);
            add.accept(permissions.instanceRole());
            add.accept(permissions.caller(documentName));
            add.accept(new ReachabilityCheck(aws, connectTimeout).run());
            add.accept(new SessionCheck(manager, clock, sessionTimeout).run(target, documentName, session));
            return new Report(target, facts.region, results);
        }
    }
}
