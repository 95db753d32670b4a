package dev.ssmsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ssmsession.protocol.message.ClientMessage;
import dev.ssmsession.protocol.message.MessageType;
import dev.ssmsession.protocol.message.PayloadType;
import dev.ssmsession.protocol.payload.Payloads;
import dev.ssmsession.testkit.internal.AesGcmCipher;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.StartSessionResponse;

/** The KMS API with the real SDK, and KMS-encrypted shell sessions at the protocol level. */
class KmsTest {
    static LocalSessionManager local;
    static SsmClient ssm;
    static KmsClient kms;

    @BeforeAll
    static void start() {
        local = LocalSessionManager.builder().kmsEncryption(true).shell("/bin/sh").build().start();
        ssm = SsmApiTest.sdk(local);
        kms = kms(local);
    }

    static KmsClient kms(LocalSessionManager local) {
        TestkitCredentials c = local.credentials();
        return KmsClient.builder().endpointOverride(local.kmsEndpoint()).region(Region.of(local.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stop() {
        kms.close();
        ssm.close();
        local.close();
    }

    @Test
    void generateDataKeyAndDecryptBindTheEncryptionContext() {
        Map<String, String> ctx = Map.of("aws:ssm:SessionId", "s-1", "aws:ssm:TargetId", "i-1");
        GenerateDataKeyResponse key = kms.generateDataKey(b -> b.keyId(local.kmsKeyArn()).numberOfBytes(64).encryptionContext(ctx));
        assertThat(key.plaintext().asByteArray()).hasSize(64);
        assertThat(key.keyId()).isEqualTo(local.kmsKeyArn());
        assertThat(kms.decrypt(b -> b.ciphertextBlob(key.ciphertextBlob()).encryptionContext(ctx)).plaintext())
                .isEqualTo(key.plaintext());

        Map<String, String> other = new HashMap<>(ctx);
        other.put("aws:ssm:TargetId", "i-2");
        assertThatThrownBy(() -> kms.decrypt(b -> b.ciphertextBlob(key.ciphertextBlob()).encryptionContext(other)))
                .isInstanceOf(InvalidCiphertextException.class);
        assertThatThrownBy(() -> kms.decrypt(b -> b.ciphertextBlob(SdkBytes.fromUtf8String("not a blob"))))
                .isInstanceOf(InvalidCiphertextException.class);
        assertThatThrownBy(() -> kms.generateDataKey(b -> b.keyId("alias/nope").numberOfBytes(64)))
                .isInstanceOf(NotFoundException.class);
        assertThat(kms.generateDataKey(b -> b.keyId("alias/testkit").keySpec("AES_256")).plaintext().asByteArray()).hasSize(32);
    }

    @Test
    void encryptedShellHandshakeChallengeAndEncryptedOutputBothWays() throws Exception {
        StartSessionResponse r = ssm.startSession(b -> b.target(local.defaultTarget()));
        try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
            ClientMessage hs = c.nextData();
            assertThat(hs.payloadType()).isEqualTo(PayloadType.HANDSHAKE_REQUEST.wire());
            JsonNode req = Sessions.json(hs);
            JsonNode kmsAction = req.path("RequestedClientActions").get(1);
            assertThat(kmsAction.path("ActionType").asText()).isEqualTo("KMSEncryption");
            String keyId = kmsAction.path("ActionParameters").path("KMSKeyId").asText();
            String challenge = kmsAction.path("ActionParameters").path("Challenge").asText();
            assertThat(Base64.getDecoder().decode(challenge)).hasSize(16);

            Map<String, String> ctx = Map.of("aws:ssm:SessionId", r.sessionId(), "aws:ssm:TargetId", local.defaultTarget(),
                    "aws:ssm:RandomChallenge", challenge);
            GenerateDataKeyResponse key = kms.generateDataKey(b -> b.keyId(keyId).numberOfBytes(64).encryptionContext(ctx));
            AesGcmCipher cipher = AesGcmCipher.forClient(key.plaintext().asByteArray(), new SecureRandom());
            c.send(PayloadType.HANDSHAKE_RESPONSE, kmsResponse(key, true));

            ClientMessage enc = c.nextData();
            assertThat(enc.payloadType()).isEqualTo(PayloadType.ENC_CHALLENGE_REQUEST.wire());
            byte[] plain = cipher.decrypt(Base64.getDecoder().decode(Sessions.json(enc).path("Challenge").asText()));
            assertThat(plain).hasSize(64);
            c.send(PayloadType.ENC_CHALLENGE_RESPONSE, Payloads.toJson(Map.of("Challenge",
                    Base64.getEncoder().encodeToString(cipher.encrypt(plain)))));

            ClientMessage complete = c.nextData();
            assertThat(complete.payloadType()).isEqualTo(PayloadType.HANDSHAKE_COMPLETE.wire());
            assertThat(Sessions.json(complete).path("CustomerMessage").asText()).isEqualTo("This session is encrypted using AWS KMS.");

            c.send(PayloadType.OUTPUT, cipher.encrypt("echo secret-$((6*7))\r".getBytes(StandardCharsets.UTF_8)));
            StringBuilder out = new StringBuilder();
            ClientMessage firstOut = c.nextData();
            // Opened by hand with plain JCE, not the testkit's cipher: agent encrypts with key bytes 0..31,
            // envelope = nonce(12) | ciphertext | tag (SPEC §5.2-5.3).
            javax.crypto.Cipher jce = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
            jce.init(javax.crypto.Cipher.DECRYPT_MODE,
                    new javax.crypto.spec.SecretKeySpec(java.util.Arrays.copyOfRange(key.plaintext().asByteArray(), 0, 32), "AES"),
                    new javax.crypto.spec.GCMParameterSpec(128, firstOut.payload(), 0, 12));
            out.append(new String(jce.doFinal(firstOut.payload(), 12, firstOut.payload().length - 12), StandardCharsets.UTF_8));
            while (!out.toString().contains("secret-42")) {
                ClientMessage m = c.nextData();
                assertThat(m.payloadType()).isEqualTo(PayloadType.OUTPUT.wire());
                assertThat(new String(m.payload(), StandardCharsets.ISO_8859_1)).doesNotContain("secret-42");
                out.append(new String(cipher.decrypt(m.payload()), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void aDataKeyForAnotherSessionIsRefusedLikeKmsRefusesIt() throws Exception {
        StartSessionResponse r = ssm.startSession(b -> b.target(local.defaultTarget()));
        try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
            JsonNode req = Sessions.json(c.nextData());
            String keyId = req.path("RequestedClientActions").get(1).path("ActionParameters").path("KMSKeyId").asText();
            GenerateDataKeyResponse key = kms.generateDataKey(b -> b.keyId(keyId).numberOfBytes(64).encryptionContext(
                    Map.of("aws:ssm:SessionId", "some-other-session", "aws:ssm:TargetId", local.defaultTarget())));
            c.send(PayloadType.HANDSHAKE_RESPONSE, kmsResponse(key, false));
            ClientMessage closed = c.nextControl();
            assertThat(closed.messageType()).isEqualTo(MessageType.CHANNEL_CLOSED.wire());
            assertThat(Sessions.json(closed).path("Output").asText()).contains("InvalidCiphertextException");
        }
    }

    @Test
    void agentsThatRequireTheChallengeRefuseClientsThatIgnoreIt() throws Exception {
        try (LocalSessionManager strict = LocalSessionManager.builder().kmsEncryption(true).requireKmsChallengeAck(true).build().start();
             SsmClient strictSsm = SsmApiTest.sdk(strict); KmsClient strictKms = kms(strict)) {
            StartSessionResponse r = strictSsm.startSession(b -> b.target(strict.defaultTarget()));
            try (ProtocolClient c = ProtocolClient.open(r.streamUrl(), r.tokenValue())) {
                c.nextData();
                // What the Go client does: no RandomChallenge in the context, no acknowledgement.
                GenerateDataKeyResponse key = strictKms.generateDataKey(b -> b.keyId(strict.kmsKeyArn()).numberOfBytes(64)
                        .encryptionContext(Map.of("aws:ssm:SessionId", r.sessionId(), "aws:ssm:TargetId", strict.defaultTarget())));
                c.send(PayloadType.HANDSHAKE_RESPONSE, kmsResponse(key, false));
                assertThat(Sessions.json(c.nextControl()).path("Output").asText()).contains("did not acknowledge the KMS challenge");
            }
        }
    }

    private static byte[] kmsResponse(GenerateDataKeyResponse key, boolean ackChallenge) {
        ObjectNode resp = Payloads.mapper().createObjectNode();
        resp.put("ClientVersion", "1.2.677.0");
        var actions = resp.putArray("ProcessedClientActions");
        ObjectNode st = actions.addObject();
        st.put("ActionType", "SessionType");
        st.put("ActionStatus", 1);
        st.putNull("ActionResult");
        st.put("Error", "");
        ObjectNode k = actions.addObject();
        k.put("ActionType", "KMSEncryption");
        k.put("ActionStatus", 1);
        ObjectNode result = k.putObject("ActionResult");
        result.put("KMSCipherTextKey", Base64.getEncoder().encodeToString(key.ciphertextBlob().asByteArray()));
        result.putNull("KMSCipherTextHash");
        if (ackChallenge) {
            result.put("ChallengeAcknowledgement", true);
        }
        k.put("Error", "");
        resp.putNull("Errors");
        return Payloads.toJson(resp);
    }
}
