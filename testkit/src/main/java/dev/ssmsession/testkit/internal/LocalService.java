package dev.ssmsession.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ssmsession.protocol.payload.Payloads;
import dev.ssmsession.testkit.TestkitCredentials;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local service: SSM and KMS JSON APIs on one HTTP port, ssmmessages on a WebSocket port, and
 * the sessions. {@code LocalSessionManager} is its public face.
 */
public final class LocalService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalService.class);

    private final ServiceConfig config;
    private final SecureRandom random;
    private final ScheduledExecutorService scheduler;
    private final KmsApi kms;
    private final AwsJsonServer api;
    private final DataChannelServer dataChannel;
    private final Map<String, ServiceSession> sessions = new ConcurrentHashMap<>();
    private final SigV4Verifier sigV4;

    public LocalService(ServiceConfig config) throws IOException {
        this.config = config;
        this.random = new SecureRandom();
        this.sigV4 = new SigV4Verifier(config.region());
        sigV4.trust(config.accessKeyId(), config.secretAccessKey(), config.sessionToken());
        this.scheduler = Executors.newScheduledThreadPool(2, Threads.daemon("testkit-timer"));
        this.kms = new KmsApi(config.region(), config.account(), "testkit", random);
        Map<String, AwsJsonServer.Operation> ops = new HashMap<>(kms.operations());
        ops.put("AmazonSSM.StartSession", this::startSession);
        ops.put("AmazonSSM.ResumeSession", this::resumeSession);
        ops.put("AmazonSSM.TerminateSession", this::terminateSession);
        ops.put("AmazonSSM.DescribeInstanceInformation", this::describeInstanceInformation);
        if (config.awsAccount() != null) {
            ops.put("AmazonSSM.GetDocument", this::getDocument);
            ops.put("AmazonSSM.GetServiceSetting", this::getServiceSetting);
            ops.replaceAll((target, op) -> permitted(target, op));
        }
        this.api = new AwsJsonServer(ops, this::authenticate,
                config.awsAccount() == null ? null : new QueryApis(config.awsAccount(), sigV4, config.acceptUnsignedApiCalls()));
        this.dataChannel = new DataChannelServer(this, config.maxFrameSize());
        try {
            dataChannel.startAndWait();
        } catch (IOException e) {
            api.close();
            scheduler.shutdownNow();
            throw e;
        }
        if (config.idleTimeout() != null) {
            scheduler.scheduleWithFixedDelay(this::checkIdle, 100, 100, TimeUnit.MILLISECONDS);
        }
    }

    public ServiceConfig config() {
        return config;
    }

    public int apiPort() {
        return api.port();
    }

    public int dataChannelPort() {
        return dataChannel.getPort();
    }

    public KmsApi kms() {
        return kms;
    }

    SecureRandom random() {
        return random;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    AgentSettings agentSettings() {
        return config.agent();
    }

    int rateLimit() {
        return config.rateLimit();
    }

    int maxFrameSize() {
        return config.maxFrameSize();
    }

    SigV4Verifier sigV4() {
        return sigV4;
    }

    boolean requireSigV4() {
        return config.requireSigV4();
    }

    /**
     * Mints temporary credentials this service accepts from now on, as an STS refresh would: a new access
     * key id, secret and session token.
     *
     * @return access key id, secret access key, session token
     */
    public TestkitCredentials issueCredentials() {
        // AWS's temporary keys start ASIA; 20 characters like real ones.
        String akid = "ASIA" + HexFormat.of().withUpperCase().formatHex(randomBytes(8));
        TestkitCredentials issued = new TestkitCredentials(akid,
                Base64.getEncoder().withoutPadding().encodeToString(randomBytes(30)), newToken());
        sigV4.trust(issued.accessKeyId(), issued.secretAccessKey(), issued.sessionToken());
        return issued;
    }

    /** Every API call is authenticated as AWS does it, before the operation is even looked up. */
    private void authenticate(String method, String resource, String target, Function<String, String> header, byte[] body) {
        if (config.acceptUnsignedApiCalls() && header.apply("Authorization") == null) {
            return;
        }
        String service = target != null && target.startsWith("TrentService.") ? "kms" : "ssm";
        SigV4Verifier.Problem p = sigV4.verifyApiCall(method, resource, header, body, service, Instant.now());
        if (p != null) {
            LOG.info("{} refused: {}", target, p.detail());
            throw new AwsError(p.kind().errorCode(), p.message());
        }
    }

    public ServiceSession session(String id) {
        return sessions.get(id);
    }

    public List<ServiceSession> sessions() {
        return new ArrayList<>(sessions.values());
    }

    public String streamUrl(String sessionId) {
        return "ws://127.0.0.1:" + dataChannelPort() + "/v1/data-channel/" + sessionId + "?role=publish_subscribe";
    }

    void onSessionClosed(ServiceSession s) {
        LOG.debug("session {} is over", s.id());
    }

    private void checkIdle() {
        long limit = config.idleTimeout().toNanos();
        long now = System.nanoTime();
        for (ServiceSession s : sessions.values()) {
            if (s.status() == ServiceSession.Status.CONNECTED && now - s.lastInputNanos() > limit) {
                s.closeChannel("Your session timed out due to inactivity and has been terminated.");
            }
        }
    }

    // ---- SSM API ------------------------------------------------------------------------------

    private Object startSession(JsonNode req) {
        String target = KmsApi.text(req, "Target", true);
        if (target.isEmpty() || target.length() > 400) {
            throw AwsError.validation("1 validation error detected: Value at 'target' failed to satisfy constraint: Member must have length between 1 and 400");
        }
        String documentName = KmsApi.text(req, "DocumentName", false);
        String reason = KmsApi.text(req, "Reason", false);
        Map<String, List<String>> params = parameters(req.get("Parameters"));
        Boolean online = config.targets().get(target);
        if (online == null || !online) {
            throw new AwsError("TargetNotConnected", target + " is not connected.");
        }
        SessionDocument document = SessionDocument.byName(documentName)
                .orElseThrow(() -> new AwsError("InvalidDocument", "Document " + documentName + " does not exist"));
        Map<String, String> resolved = document.resolve(params);
        if (config.replay() != null && !config.replay().header().documentName().equals(document.documentName())) {
            throw AwsError.validation("this testkit replays a transcript of " + config.replay().header().documentName()
                    + ", not " + document.documentName());
        }
        String id = "testkit-" + HexFormat.of().formatHex(randomBytes(9)).substring(0, 17);
        ServiceSession s = new ServiceSession(this, id, target, document, resolved, reason, newToken(),
                config.relayFactory());
        sessions.put(id, s);
        LOG.info("StartSession {} on {} with {}", id, target, document.documentName());
        return sessionResponse(s, s.token());
    }

    private Object resumeSession(JsonNode req) {
        ServiceSession s = existing(KmsApi.text(req, "SessionId", true));
        String token = s.resume(newToken());
        ObjectNode out = Payloads.mapper().createObjectNode();
        out.put("SessionId", s.id());
        if (token != null) {
            out.put("TokenValue", token);
            out.put("StreamUrl", streamUrl(s.id()));
        }
        return out;
    }

    private Object terminateSession(JsonNode req) {
        ServiceSession s = existing(KmsApi.text(req, "SessionId", true));
        s.closeChannel("");
        ObjectNode out = Payloads.mapper().createObjectNode();
        out.put("SessionId", s.id());
        return out;
    }

    private Object describeInstanceInformation(JsonNode req) {
        List<String> wanted = new ArrayList<>();
        for (JsonNode f : req.path("InstanceInformationFilterList")) {
            if ("InstanceIds".equals(f.path("key").asText())) {
                f.path("valueSet").forEach(v -> wanted.add(v.asText()));
            }
        }
        for (JsonNode f : req.path("Filters")) {
            if ("InstanceIds".equals(f.path("Key").asText())) {
                f.path("Values").forEach(v -> wanted.add(v.asText()));
            }
        }
        ObjectNode out = Payloads.mapper().createObjectNode();
        ArrayNode list = out.putArray("InstanceInformationList");
        for (Map.Entry<String, Boolean> t : new java.util.TreeMap<>(config.targets()).entrySet()) {
            if (!wanted.isEmpty() && !wanted.contains(t.getKey())) {
                continue;
            }
            ObjectNode i = list.addObject();
            i.put("InstanceId", t.getKey());
            i.put("PingStatus", t.getValue() ? "Online" : "ConnectionLost");
            i.put("LastPingDateTime", System.currentTimeMillis() / 1000.0);
            i.put("AgentVersion", config.agent().agentVersion());
            i.put("IsLatestVersion", true);
            i.put("PlatformType", "Linux");
            i.put("PlatformName", "testkit");
            i.put("PlatformVersion", System.getProperty("os.version"));
            i.put("ResourceType", "EC2Instance");
            i.put("IPAddress", "127.0.0.1");
            i.put("ComputerName", "localhost");
            String name = config.targetNames().get(t.getKey());
            if (name != null) {
                i.put("Name", name);
            }
        }
        return out;
    }

    /** With an account, SSM and KMS calls need the caller's permission ({@code ssm:StartSession}…), as in AWS. */
    private AwsJsonServer.Operation permitted(String target, AwsJsonServer.Operation op) {
        String action = (target.startsWith("TrentService.") ? "kms:" : "ssm:") + target.substring(target.indexOf('.') + 1);
        return req -> {
            if (!config.awsAccount().callerMay(action)) {
                throw new AwsError("AccessDeniedException", "User: " + config.awsAccount().callerArn()
                        + " is not authorized to perform: " + action + " because no identity-based policy allows the "
                        + action + " action");
            }
            return op.apply(req);
        };
    }

    /**
     * The session preferences document, as the console's Preferences page writes it; InvalidDocument when the
     * account has none (nothing set), as in AWS.
     */
    private Object getDocument(JsonNode req) {
        String name = KmsApi.text(req, "Name", true);
        dev.ssmsession.testkit.Account.SessionPreferences prefs = config.awsAccount().sessionPreferences();
        if (!name.equals("SSM-SessionManagerRunShell")) {
            throw new AwsError("InvalidDocument", "Document with name " + name + " does not exist.");
        }
        ObjectNode content = Payloads.mapper().createObjectNode();
        content.put("schemaVersion", "1.0");
        content.put("description", "Document to hold regional settings for Session Manager");
        content.put("sessionType", "Standard_Stream");
        ObjectNode inputs = content.putObject("inputs");
        inputs.put("s3BucketName", prefs.s3BucketName() == null ? "" : prefs.s3BucketName());
        inputs.put("s3KeyPrefix", "");
        inputs.put("s3EncryptionEnabled", true);
        inputs.put("cloudWatchLogGroupName", prefs.cloudWatchLogGroupName() == null ? "" : prefs.cloudWatchLogGroupName());
        inputs.put("cloudWatchEncryptionEnabled", true);
        inputs.put("cloudWatchStreamingEnabled", true);
        String kmsKeyId = prefs.kmsKeyId() != null ? prefs.kmsKeyId() : config.agent().kmsKeyId();
        inputs.put("kmsKeyId", kmsKeyId == null ? "" : kmsKeyId);
        inputs.put("runAsEnabled", false);
        inputs.put("runAsDefaultUser", "");
        ObjectNode out = Payloads.mapper().createObjectNode();
        out.put("Name", name);
        out.put("DocumentVersion", "1");
        out.put("Status", "Active");
        out.put("DocumentType", "Session");
        out.put("DocumentFormat", "JSON");
        out.put("Content", content.toString());
        return out;
    }

    private Object getServiceSetting(JsonNode req) {
        String id = KmsApi.text(req, "SettingId", true);
        String role = config.awsAccount().defaultHostManagementRole().orElse(null);
        if (!id.equals("/ssm/managed-instance/default-ec2-instance-management-role")) {
            throw new AwsError("ServiceSettingNotFound", "ServiceSetting " + id + " is not found.");
        }
        ObjectNode setting = Payloads.mapper().createObjectNode();
        setting.put("SettingId", id);
        // AWS answers an unset setting with its default, an empty value (status Default)
        setting.put("SettingValue", role == null ? "" : role);
        setting.put("Status", role == null ? "Default" : "Customized");
        setting.put("ARN", "arn:aws:ssm:" + config.region() + ":" + dev.ssmsession.testkit.Account.ACCOUNT_ID
                + ":servicesetting/ssm/managed-instance/default-ec2-instance-management-role");
        ObjectNode out = Payloads.mapper().createObjectNode();
        out.set("ServiceSetting", setting);
        return out;
    }

    private ServiceSession existing(String id) {
        ServiceSession s = sessions.get(id);
        if (s == null) {
            throw new AwsError("DoesNotExistException", "Session " + id + " does not exist");
        }
        return s;
    }

    private ObjectNode sessionResponse(ServiceSession s, String token) {
        ObjectNode out = Payloads.mapper().createObjectNode();
        out.put("SessionId", s.id());
        out.put("TokenValue", token);
        out.put("StreamUrl", streamUrl(s.id()));
        return out;
    }

    private static Map<String, List<String>> parameters(JsonNode node) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new AwsError("SerializationException", "Parameters must be a map of string lists");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isArray()) {
                throw new AwsError("SerializationException", "Parameter " + e.getKey() + " must be a list of strings");
            }
            List<String> values = new ArrayList<>();
            e.getValue().forEach(v -> values.add(v.asText()));
            out.put(e.getKey(), values);
        }
        return out;
    }

    private String newToken() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(96));
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Override
    public void close() {
        for (ServiceSession s : sessions.values()) {
            s.shutdown();
        }
        try {
            dataChannel.stop(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        api.close();
        scheduler.shutdownNow();
    }
}
