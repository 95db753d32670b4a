/**
 * The embeddable Session Manager client library: {@link dev.ssmsession.client.SessionManager} and the session kinds
 * it opens. Only {@code dev.ssmsession.client} is API; the {@code internal} package is exported to the project's own
 * modules beside the library and to no one else.
 */
module dev.ssmsession.client {
    // DataChannelConfig (SessionManager.Builder), AwsCredentialsProvider and Region appear in the API
    requires transitive dev.ssmsession.protocol;
    requires transitive software.amazon.awssdk.auth;
    requires transitive software.amazon.awssdk.identity.spi;
    requires transitive software.amazon.awssdk.regions;

    requires software.amazon.awssdk.awscore;
    requires software.amazon.awssdk.core;
    requires software.amazon.awssdk.http;
    requires software.amazon.awssdk.http.apache;
    requires software.amazon.awssdk.http.auth.aws;
    requires software.amazon.awssdk.http.auth.spi;
    requires software.amazon.awssdk.http.urlconnection;
    requires software.amazon.awssdk.profiles;
    requires software.amazon.awssdk.services.kms;
    requires software.amazon.awssdk.services.ssm;
    requires software.amazon.awssdk.utils;
    requires org.apache.httpcomponents.httpclient;
    requires org.apache.httpcomponents.httpcore;
    requires java.net.http;
    requires org.slf4j;
    // Never called here: the SDK loads them by name for SSO, web-identity and assume-role profiles.
    requires software.amazon.awssdk.services.sso;
    requires software.amazon.awssdk.services.ssooidc;
    requires software.amazon.awssdk.services.sts;

    exports dev.ssmsession.client;
    // ManagerInternals.awsSetup(manager) and CaBundle, for the doctor's EC2/IAM/STS clients and reachability check
    exports dev.ssmsession.client.internal to dev.ssmsession.doctor;
}
