package dev.ssmsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.DescribeInstanceInformationResponse;
import software.amazon.awssdk.services.ssm.model.DoesNotExistException;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;
import software.amazon.awssdk.services.ssm.model.InvalidDocumentException;
import software.amazon.awssdk.services.ssm.model.ResumeSessionResponse;
import software.amazon.awssdk.services.ssm.model.SsmException;
import software.amazon.awssdk.services.ssm.model.StartSessionResponse;
import software.amazon.awssdk.services.ssm.model.TargetNotConnectedException;

/** The SSM JSON API, driven by the real AWS SDK v2 client with an endpoint override. */
class SsmApiTest {
    static LocalSessionManager local;
    static SsmClient ssm;

    @BeforeAll
    static void start() {
        local = LocalSessionManager.builder().target("i-0aaaaaaaaaaaaaaa1", "web-1").offlineTarget("i-0bbbbbbbbbbbbbbb2").build().start();
        ssm = sdk(local);
    }

    static SsmClient sdk(LocalSessionManager local) {
        TestkitCredentials c = local.credentials();
        return SsmClient.builder()
                .endpointOverride(local.ssmEndpoint())
                .region(Region.of(local.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterAll
    static void stop() {
        ssm.close();
        local.close();
    }

    @Test
    void startSessionReturnsIdTokenAndStreamUrlOnTheDataChannelPort() {
        StartSessionResponse r = ssm.startSession(b -> b.target("i-0aaaaaaaaaaaaaaa1").reason("test"));
        assertThat(r.sessionId()).startsWith("testkit-");
        assertThat(r.tokenValue()).hasSizeGreaterThan(32);
        assertThat(r.streamUrl()).isEqualTo(local.streamUrlBase() + "/v1/data-channel/" + r.sessionId() + "?role=publish_subscribe");
        SessionView v = local.session(r.sessionId()).orElseThrow();
        assertThat(v.documentName()).isEqualTo("SSM-SessionManagerRunShell");
        assertThat(v.status()).isEqualTo("CREATED");
    }

    @Test
    void documentParametersAreResolvedWithDefaults() {
        StartSessionResponse r = ssm.startSession(b -> b.target("i-0aaaaaaaaaaaaaaa1")
                .documentName("AWS-StartPortForwardingSession").parameters(Map.of("portNumber", List.of("8080"))));
        assertThat(local.session(r.sessionId()).orElseThrow().parameters())
                .containsEntry("portNumber", "8080").containsEntry("localPortNumber", "");
    }

    @Test
    void offlineAndUnknownTargetsAreTargetNotConnected() {
        assertThatThrownBy(() -> ssm.startSession(b -> b.target("i-0bbbbbbbbbbbbbbb2")))
                .isInstanceOf(TargetNotConnectedException.class).hasMessageContaining("i-0bbbbbbbbbbbbbbb2 is not connected");
        assertThatThrownBy(() -> ssm.startSession(b -> b.target("i-0ffffffffffffffff")))
                .isInstanceOf(TargetNotConnectedException.class);
    }

    @Test
    void unknownDocumentIsInvalidDocument() {
        assertThatThrownBy(() -> ssm.startSession(b -> b.target("i-0aaaaaaaaaaaaaaa1").documentName("No-Such-Document")))
                .isInstanceOf(InvalidDocumentException.class).hasMessageContaining("No-Such-Document");
    }

    @Test
    void missingOrUnknownParametersAreValidationErrors() {
        assertThatThrownBy(() -> ssm.startSession(b -> b.target("i-0aaaaaaaaaaaaaaa1").documentName("AWS-StartNonInteractiveCommand")))
                .isInstanceOfSatisfying(SsmException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.statusCode()).isEqualTo(400);
                })
                .hasMessageContaining("'command' is required");
        assertThatThrownBy(() -> ssm.startSession(b -> b.target("i-0aaaaaaaaaaaaaaa1")
                .documentName("AWS-StartSSHSession").parameters(Map.of("portNumber", List.of("x")))))
                .isInstanceOf(SsmException.class).hasMessageContaining("not a port number: x");
    }

    @Test
    void resumeGivesANewTokenForTheSameSessionAndNoneOnceTerminated() {
        StartSessionResponse r = ssm.startSession(b -> b.target("i-0aaaaaaaaaaaaaaa1"));
        ResumeSessionResponse resumed = ssm.resumeSession(b -> b.sessionId(r.sessionId()));
        assertThat(resumed.sessionId()).isEqualTo(r.sessionId());
        assertThat(resumed.tokenValue()).isNotBlank().isNotEqualTo(r.tokenValue());
        assertThat(resumed.streamUrl()).isEqualTo(r.streamUrl());

        assertThat(ssm.terminateSession(b -> b.sessionId(r.sessionId())).sessionId()).isEqualTo(r.sessionId());
        assertThat(local.session(r.sessionId()).orElseThrow().status()).isEqualTo("TERMINATED");
        assertThat(ssm.resumeSession(b -> b.sessionId(r.sessionId())).tokenValue()).isNull();
    }

    @Test
    void unknownSessionIdsDoNotExist() {
        assertThatThrownBy(() -> ssm.resumeSession(b -> b.sessionId("nobody-0123")))
                .isInstanceOf(DoesNotExistException.class).hasMessageContaining("nobody-0123");
        assertThatThrownBy(() -> ssm.terminateSession(b -> b.sessionId("nobody-0123")))
                .isInstanceOf(DoesNotExistException.class);
    }

    @Test
    void describeInstanceInformationListsTheSimulatedTargets() {
        DescribeInstanceInformationResponse r = ssm.describeInstanceInformation(b -> b.build());
        assertThat(r.instanceInformationList()).extracting(InstanceInformation::instanceId, i -> i.pingStatusAsString())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("i-0aaaaaaaaaaaaaaa1", "Online"),
                        org.assertj.core.groups.Tuple.tuple("i-0bbbbbbbbbbbbbbb2", "ConnectionLost"));
        assertThat(r.instanceInformationList().get(0).agentVersion()).isEqualTo(LocalSessionManager.DEFAULT_AGENT_VERSION);
        assertThat(r.instanceInformationList()).extracting(InstanceInformation::name).containsExactly("web-1", null);
        DescribeInstanceInformationResponse one = ssm.describeInstanceInformation(b -> b.filters(f -> f.key("InstanceIds").values("i-0bbbbbbbbbbbbbbb2")));
        assertThat(one.instanceInformationList()).extracting(InstanceInformation::instanceId).containsExactly("i-0bbbbbbbbbbbbbbb2");
    }
}
