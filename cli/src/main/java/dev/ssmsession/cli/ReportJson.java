package dev.ssmsession.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ssmsession.doctor.CheckResult;
import dev.ssmsession.doctor.Report;

/**
 * The doctor's report for tools: {@code {"target", "region", "sessionWouldWork", "checks": [{"id", "title", "verdict",
 * "detail", "fix"}]}}, verdicts in lower case ({@code pass}, {@code warn}, {@code fail}, {@code skipped}).
 */
final class ReportJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {
    }

    static String write(Report report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("target", report.target());
        root.put("region", report.region());
        root.put("sessionWouldWork", report.sessionWouldWork());
        ArrayNode checks = root.putArray("checks");
        for (CheckResult c : report.checks()) {
            ObjectNode n = checks.addObject();
            n.put("id", c.id());
            n.put("title", c.title());
            n.put("verdict", c.verdict().wire());
            n.put("detail", c.detail());
            n.put("fix", c.fix());
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);
        }
    }
}
