package dev.ssmsession.doctor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.NetworkAclEntry;
import software.amazon.awssdk.services.ec2.model.PortRange;

/** Network ACL evaluation in rule order, CIDR arithmetic and port coverage, without any AWS. */
@Tag("pure")
class RulesTest {
    static NetworkAclEntry entry(int number, boolean egress, String protocol, String action, String cidr, int from, int to) {
        NetworkAclEntry.Builder b = NetworkAclEntry.builder().ruleNumber(number).egress(egress).protocol(protocol)
                .ruleAction(action).cidrBlock(cidr);
        if (!protocol.equals("-1")) {
            b.portRange(PortRange.builder().from(from).to(to).build());
        }
        return b.build();
    }

    static final NetworkAclEntry DENY_ALL_IN = entry(32767, false, "-1", "deny", "0.0.0.0/0", 0, 0);
    static final NetworkAclEntry DENY_ALL_OUT = entry(32767, true, "-1", "deny", "0.0.0.0/0", 0, 0);

    @Test
    void cidrContainmentAndOverlap() {
        Cidr vpc = Cidr.parse("10.0.0.0/16");
        assertThat(vpc.contains(Cidr.parse("10.0.2.0/24"))).isTrue();
        assertThat(vpc.contains(Cidr.parse("10.1.0.0/24"))).isFalse();
        assertThat(Cidr.parse("10.0.2.0/24").contains(vpc)).isFalse();
        assertThat(Cidr.parse("10.0.2.0/24").overlaps(vpc)).isTrue();
        assertThat(Cidr.parse("10.0.1.25").contains(Cidr.parse("10.0.1.25/32"))).isTrue();
        assertThat(Cidr.parse("10.0.1.77/24").first()).isEqualTo(Cidr.parse("10.0.1.0/24").first());
        assertThat(Cidr.ANYWHERE.contains(Cidr.parse("255.255.255.255"))).isTrue();
        assertThat(Cidr.orNull("::/0")).isNull();
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> Cidr.parse("10.0.300.0/24")).hasMessageContaining("10.0.300.0/24");
    }

    @Test
    void firstCoveringRuleDecidesInRuleNumberOrderNotListOrder() {
        List<NetworkAclEntry> entries = List.of(entry(200, true, "-1", "allow", "0.0.0.0/0", 0, 0),
                entry(100, true, "6", "deny", "10.0.2.0/24", 443, 443), DENY_ALL_OUT);
        Rules.AclOutcome o = Rules.evaluate(entries, true, Cidr.parse("10.0.2.0/24"), 443, 443);
        assertThat(o.allowed()).isFalse();
        assertThat(o.ruleNumber()).isEqualTo(100);
        assertThat(Rules.evaluate(entries, true, Cidr.parse("10.0.3.0/24"), 443, 443).ruleNumber()).isEqualTo(200);
        assertThat(Rules.evaluate(entries, true, Cidr.parse("10.0.3.0/24"), 443, 443).allowed()).isTrue();
    }

    @Test
    void partialAllowsGoOnAndEndInTheFinalDeny() {
        // 32768-40000 allowed, the rest of the ephemeral range not: replies to ports above 40000 are dropped
        List<NetworkAclEntry> entries = List.of(entry(100, false, "6", "allow", "0.0.0.0/0", 32768, 40000), DENY_ALL_IN);
        Rules.AclOutcome o = Rules.evaluate(entries, false, Cidr.parse("10.0.2.0/24"), Rules.EPHEMERAL_FROM, Rules.EPHEMERAL_TO);
        assertThat(o.allowed()).isFalse();
        assertThat(o.ruleNumber()).isEqualTo(32767);
        List<NetworkAclEntry> both = List.of(entry(100, false, "6", "allow", "0.0.0.0/0", 32768, 40000),
                entry(110, false, "6", "allow", "10.0.0.0/16", 1024, 65535), DENY_ALL_IN);
        assertThat(Rules.evaluate(both, false, Cidr.parse("10.0.2.0/24"), Rules.EPHEMERAL_FROM, Rules.EPHEMERAL_TO).allowed()).isTrue();
    }

    @Test
    void aDenyCoveringPartOfTheFlowBlocksIt() {
        List<NetworkAclEntry> entries = List.of(entry(90, false, "6", "deny", "10.0.2.128/25", 1024, 65535),
                entry(100, false, "-1", "allow", "0.0.0.0/0", 0, 0), DENY_ALL_IN);
        Rules.AclOutcome o = Rules.evaluate(entries, false, Cidr.parse("10.0.2.0/24"), Rules.EPHEMERAL_FROM, Rules.EPHEMERAL_TO);
        assertThat(o.allowed()).isFalse();
        assertThat(o.ruleNumber()).isEqualTo(90);
    }

    @Test
    void otherProtocolsAndDirectionsDoNotMatch() {
        List<NetworkAclEntry> entries = List.of(entry(50, true, "17", "deny", "0.0.0.0/0", 0, 65535),
                entry(60, false, "-1", "deny", "0.0.0.0/0", 0, 0), entry(100, true, "6", "allow", "0.0.0.0/0", 443, 443),
                DENY_ALL_OUT);
        assertThat(Rules.evaluate(entries, true, Cidr.ANYWHERE, 443, 443).ruleNumber()).isEqualTo(100);
    }

    @Test
    void freeRuleNumberIsBelowTheBlockingRule() {
        List<NetworkAclEntry> entries = List.of(entry(90, false, "6", "deny", "0.0.0.0/0", 0, 0),
                entry(80, false, "6", "allow", "0.0.0.0/0", 22, 22), entry(80, true, "-1", "allow", "0.0.0.0/0", 0, 0));
        assertThat(Rules.freeRuleNumber(entries, false, 90)).isEqualTo(70);
        assertThat(Rules.freeRuleNumber(entries, true, 90)).isEqualTo(70);
        assertThat(Rules.freeRuleNumber(entries, false, 32767)).isEqualTo(32760);
        assertThat(Rules.freeRuleNumber(List.of(entry(10, false, "-1", "deny", "0.0.0.0/0", 0, 0)), false, 10)).isEqualTo(9);
    }

    @Test
    void securityGroupPortCoverage() {
        assertThat(Rules.coversPort(IpPermission.builder().ipProtocol("-1").build(), 443)).isTrue();
        assertThat(Rules.coversPort(IpPermission.builder().ipProtocol("tcp").fromPort(0).toPort(1024).build(), 443)).isTrue();
        assertThat(Rules.coversPort(IpPermission.builder().ipProtocol("tcp").fromPort(444).toPort(500).build(), 443)).isFalse();
        assertThat(Rules.coversPort(IpPermission.builder().ipProtocol("udp").fromPort(443).toPort(443).build(), 443)).isFalse();
    }

    @Test
    void assumedRoleCallersAreSimulatedAsTheirRole() {
        assertThat(PermissionChecks.principal("arn:aws:sts::123456789012:assumed-role/Admin/jane@example.com"))
                .isEqualTo("arn:aws:iam::123456789012:role/Admin");
        assertThat(PermissionChecks.principal("arn:aws:iam::123456789012:user/jane")).isEqualTo("arn:aws:iam::123456789012:user/jane");
    }
}
