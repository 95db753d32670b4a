package dev.ssmsession.cli.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssmsession.cli.plugin.PluginInvocation.Installed;
import dev.ssmsession.cli.plugin.PluginInvocation.Request;
import dev.ssmsession.cli.plugin.PluginInvocation.ShowVersion;
import dev.ssmsession.cli.plugin.PluginInvocation.Start;
import dev.ssmsession.cli.plugin.PluginInvocation.UsageException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every argument count of SPEC §9, the env-var hand-over and ECS Exec's camelCase keys. */
@Tag("pure")
class PluginInvocationTest {
    private static final String RESPONSE =
            "{\"SessionId\": \"alice-0a1b2c\", \"TokenValue\": \"SECRET-TOKEN\", "
                    + "\"StreamUrl\": \"wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/alice-0a1b2c"
                    + "?role=publish_subscribe\"}";
    private static final String REQUEST = "{\"Target\": \"i-0123456789abcdef0\", "
            + "\"DocumentName\": \"AWS-StartPortForwardingSession\", "
            + "\"Parameters\": {\"portNumber\": [\"80\"]}}";

    private final List<String> unset = new ArrayList<>();

    private Request parse(String... args) {
        return parse(Map.of(), args);
    }

    private Request parse(Map<String, String> env, String... args) {
        return PluginInvocation.parse(List.of(args), env, unset::add);
    }

    private PluginInvocation start(String... args) {
        return ((Start) parse(args)).invocation();
    }

    @Test
    void noArgumentsIsTheInstallationCheck() {
        assertThat(parse()).isInstanceOf(Installed.class);
        assertThat(PluginInvocation.INSTALLED)
                .isEqualTo("\nThe Session Manager plugin was installed successfully. "
                        + "Use the AWS CLI to start a session.\n\n");
    }

    @Test
    void versionFlag() {
        assertThat(parse("--version")).isInstanceOf(ShowVersion.class);
    }

    @Test
    void oneOrTwoOtherArgumentsAreAnUnknownOperation() {
        assertThatThrownBy(() -> parse("--help"))
                .isInstanceOf(UsageException.class)
                .hasMessage("\nUnknown operation --help. \nUse session-manager-plugin --version to check the version.\n");
        assertThatThrownBy(() -> parse(RESPONSE, "us-east-1"))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("\nUnknown operation {");
    }

    @Test
    void operationMustBeStartSession() {
        assertThatThrownBy(() -> parse(RESPONSE, "us-east-1", "ResumeSession"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("Invalid Operation ResumeSession");
    }

    @Test
    void legacyThreeArgumentForm() {
        PluginInvocation invocation = start(RESPONSE, "us-east-1", "StartSession");
        assertThat(invocation.legacy()).isTrue();
        assertThat(invocation.region()).isEqualTo("us-east-1");
        assertThat(invocation.profile()).isEmpty();
        assertThat(invocation.target()).isEmpty();
        assertThat(invocation.ssmEndpoint()).isEmpty();
        assertThat(invocation.response().sessionId()).isEqualTo("alice-0a1b2c");
        assertThat(invocation.response().tokenValue()).isEqualTo("SECRET-TOKEN");
    }

    @Test
    void aRequestWithoutADocumentIsTheDefaultShell() {
        PluginInvocation invocation = start(RESPONSE, "us-east-1", "StartSession", "", "{\"Target\": \"i-1\"}");
        assertThat(invocation.target()).isEqualTo("i-1");
        assertThat(invocation.documentName()).isEmpty();
    }

    @Test
    void withProfileOnly() {
        PluginInvocation invocation = start(RESPONSE, "us-east-1", "StartSession", "dev");
        assertThat(invocation.legacy()).isFalse();
        assertThat(invocation.profile()).isEqualTo("dev");
        assertThat(invocation.target()).isEmpty();
    }

    @Test
    void fullSixArgumentFormAsTheAwsCliSendsIt() {
        PluginInvocation invocation = start(RESPONSE, "eu-west-1", "StartSession", "", REQUEST,
                "https://ssm.eu-west-1.amazonaws.com");
        assertThat(invocation.profile()).isEmpty();
        assertThat(invocation.target()).isEqualTo("i-0123456789abcdef0");
        assertThat(invocation.documentName()).isEqualTo("AWS-StartPortForwardingSession");
        assertThat(invocation.ssmEndpoint()).contains(URI.create("https://ssm.eu-west-1.amazonaws.com"));
        assertThat(invocation.ecs()).isFalse();
        assertThat(invocation.response().streamUrl()).startsWith("wss://ssmmessages.eu-west-1.amazonaws.com/");
    }

    @Test
    void argumentsBeyondSevenAreIgnored() {
        PluginInvocation invocation = start(RESPONSE, "eu-west-1", "StartSession", "p", REQUEST,
                "http://127.0.0.1:4566", "extra", "more");
        assertThat(invocation.ssmEndpoint()).contains(URI.create("http://127.0.0.1:4566"));
    }

    @Test
    void responseFromTheNamedEnvironmentVariableWhichIsThenUnset() {
        Request request = parse(Map.of("AWS_SSM_START_SESSION_RESPONSE", RESPONSE),
                "AWS_SSM_START_SESSION_RESPONSE", "us-east-1", "StartSession", "", REQUEST,
                "https://ssm.us-east-1.amazonaws.com");
        assertThat(((Start) request).invocation().response().sessionId()).isEqualTo("alice-0a1b2c");
        assertThat(unset).containsExactly("AWS_SSM_START_SESSION_RESPONSE");
    }

    @Test
    void anyVariableWithThePrefixWorks() {
        Request request = parse(Map.of("AWS_SSM_START_SESSION_RESPONSE_42", RESPONSE),
                "AWS_SSM_START_SESSION_RESPONSE_42", "us-east-1", "StartSession");
        assertThat(((Start) request).invocation().response().sessionId()).isEqualTo("alice-0a1b2c");
        assertThat(unset).containsExactly("AWS_SSM_START_SESSION_RESPONSE_42");
    }

    @Test
    void missingEnvironmentVariableIsNamed() {
        assertThatThrownBy(() -> parse("AWS_SSM_START_SESSION_RESPONSE", "us-east-1", "StartSession"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AWS_SSM_START_SESSION_RESPONSE is not set");
    }

    @Test
    void ecsExecCamelCaseKeysAndTheEcsEndpointIsNotUsedForSsm() {
        String ecsSession = "{\"sessionId\": \"ecs-execute-command-0f1e\", \"streamUrl\": "
                + "\"wss://ssmmessages.us-east-1.amazonaws.com/v1/data-channel/ecs-execute-command-0f1e"
                + "?role=publish_subscribe&cell-number=AAEAAf\", \"tokenValue\": \"ECS-TOKEN\"}";
        PluginInvocation invocation = start(ecsSession, "us-east-1", "StartSession", "",
                "{\"Target\": \"ecs:cluster_0123456789abcdef_0123456789abcdef-1234567890\"}",
                "https://ecs.us-east-1.amazonaws.com");
        assertThat(invocation.ecs()).isTrue();
        assertThat(invocation.ssmEndpoint()).isEmpty();
        assertThat(invocation.response().sessionId()).isEqualTo("ecs-execute-command-0f1e");
        assertThat(invocation.response().tokenValue()).isEqualTo("ECS-TOKEN");
        assertThat(invocation.response().streamUrl()).endsWith("cell-number=AAEAAf");
    }

    @Test
    void ecsEndpointRecognisedEvenWithAnotherTarget() {
        PluginInvocation invocation = start(RESPONSE, "us-east-1", "StartSession", "", REQUEST,
                "https://ecs.us-east-1.amazonaws.com");
        assertThat(invocation.ecs()).isTrue();
        assertThat(invocation.ssmEndpoint()).isEmpty();
    }

    @Test
    void unparsableResponseIsAClearErrorWithoutTheInput() {
        assertThatThrownBy(() -> parse("{\"SessionId\": \"s\", \"TokenValue\": \"SECRET", "us-east-1",
                "StartSession"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the session response is not valid JSON")
                .hasMessageNotContaining("SECRET");
    }

    @Test
    void responseWithoutTokenIsNamed() {
        assertThatThrownBy(() -> parse("{\"SessionId\": \"s\", \"StreamUrl\": \"wss://x\"}", "us-east-1",
                "StartSession"))
                .hasMessage("the session response has no TokenValue");
    }

    @Test
    void requestJsonWithoutTargetIsNamed() {
        assertThatThrownBy(() -> parse(RESPONSE, "us-east-1", "StartSession", "", "{\"DocumentName\": \"x\"}"))
                .hasMessage("the request parameters have no Target");
    }

    @Test
    void tokenNeverInToString() {
        PluginInvocation invocation = start(RESPONSE, "eu-west-1", "StartSession", "", REQUEST);
        assertThat(invocation.toString()).doesNotContain("SECRET-TOKEN").contains("alice-0a1b2c");
        assertThat(invocation.response().toString()).doesNotContain("SECRET-TOKEN");
    }
}
