package dev.ssmsession.client.internal;

import dev.ssmsession.client.SessionException;
import dev.ssmsession.client.SessionException.Reason;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.SsmClientBuilder;
import software.amazon.awssdk.utils.SdkAutoCloseable;

import javax.net.ssl.TrustManager;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The AWS side of a {@code SessionManager}, resolved once: builder values win, then the
 * environment (read from the map given, never {@code System.getenv} here), then the SDK's default
 * chains. Owns the SDK clients and the HTTP client they share (proxy and CA bundle applied).
 */
public final class AwsSetup implements AutoCloseable {
    /** What the caller set explicitly; nulls fall back to the environment and the SDK. */
    public record Inputs(AwsCredentialsProvider credentialsProvider, String profile, String region,
                         URI ssmEndpoint, URI ssmMessagesEndpoint, URI kmsEndpoint,
                         URI proxy, String noProxy, Path caBundle, Map<String, String> environment) {
        /**
         * Never the environment (it holds AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN) nor the
         * proxy's user info (its password), which the record's own toString would print.
         */
        @Override
        public String toString() {
            return "Inputs[credentialsProvider=" + (credentialsProvider == null ? "default" : "given")
                    + ", profile=" + profile + ", region=" + region + ", ssmEndpoint=" + ssmEndpoint
                    + ", ssmMessagesEndpoint=" + ssmMessagesEndpoint + ", kmsEndpoint=" + kmsEndpoint
                    + ", proxy=" + (proxy == null ? null : proxy.getHost() + ":" + proxy.getPort()
                            + (proxy.getRawUserInfo() == null ? "" : " (with credentials)"))
                    + ", noProxy=" + noProxy + ", caBundle=" + caBundle
                    + ", environment=" + (environment == null ? null : environment.size() + " variables") + "]";
        }
    }

    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final boolean ownsCredentials;
    private final Optional<URI> ssmEndpoint;
    private final Optional<URI> ssmMessagesEndpoint;
    private final Optional<URI> kmsEndpoint;
    private final Optional<URI> globalEndpoint;
    /** Kept for AWS_ENDPOINT_URL_<SERVICE> of other services' clients ({@link #configure}); never printed. */
    private final Map<String, String> environment;
    private final ProxyPolicy proxy;
    private final TrustManager[] trustManagers;
    /**
     * Built when first used, like the clients below: its TLS context loads the JDK's trust store (~0.1 s of a cold
     * start) and the plugin's path may make no AWS call at all (ResumeSession, TerminateSession, KMS are rare).
     */
    private SdkHttpClient http;
    /** Built when first used: the plugin path may need neither (ResumeSession, TerminateSession, KMS are rare). */
    private SsmClient ssm;
    private KmsClient kms;
    private boolean closed;

    public AwsSetup(Inputs in) {
        Map<String, String> env = in.environment();
        String profile = in.profile() != null ? in.profile() : blankToNull(env.get("AWS_PROFILE"));
        ProfileFiles files = ProfileFiles.of(env);
        String envRegion = Optional.ofNullable(blankToNull(env.get("AWS_REGION"))).orElse(blankToNull(env.get("AWS_DEFAULT_REGION")));
        boolean profileUsed = in.credentialsProvider() == null || (in.region() == null && envRegion == null);
        if (profile != null && profileUsed && !files.mayHave(profile)) {
            throw new SessionException(Reason.CONFIGURATION, "AWS profile '" + profile + "'"
                    + (in.profile() == null ? " (from AWS_PROFILE)" : "") + " not found in " + files.describe() + ".");
        }
        this.region = resolveRegion(in.region() != null ? in.region() : envRegion, files, profile);
        if (in.credentialsProvider() != null) {
            this.credentials = in.credentialsProvider();
            this.ownsCredentials = false;
        } else if (profile != null) {
            this.credentials = ProfileCredentialsProvider.builder().profileName(profile).build();
            this.ownsCredentials = true;
        } else {
            this.credentials = DefaultCredentialsProvider.builder().build();
            this.ownsCredentials = true;
        }
        Optional<URI> global = endpoint(null, env, "AWS_ENDPOINT_URL");
        this.globalEndpoint = global;
        this.environment = env;
        this.ssmEndpoint = endpoint(in.ssmEndpoint(), env, "AWS_ENDPOINT_URL_SSM").or(() -> global);
        this.ssmMessagesEndpoint = endpoint(in.ssmMessagesEndpoint(), env, "AWS_ENDPOINT_URL_SSMMESSAGES");
        this.kmsEndpoint = endpoint(in.kmsEndpoint(), env, "AWS_ENDPOINT_URL_KMS").or(() -> global);
        this.proxy = resolveProxy(in.proxy(), in.noProxy(), env);
        Path caBundle = in.caBundle() != null ? in.caBundle()
                : Optional.ofNullable(blankToNull(env.get("AWS_CA_BUNDLE"))).map(Path::of).orElse(null);
        this.trustManagers = caBundle == null ? null : CaBundle.trustManagers(caBundle);
    }

    /** Proxy or not is decided per request by the same policy as the WebSocket's (see ProxyRoutingHttpClient). */
    private synchronized SdkHttpClient http() {
        if (http == null) {
            requireOpen();
            http = ProxyRoutingHttpClient.create(proxy, trustManagers);
        }
        return http;
    }

    public Region region() {
        return region;
    }

    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    public Optional<URI> ssmEndpoint() {
        return ssmEndpoint;
    }

    public Optional<URI> ssmMessagesEndpoint() {
        return ssmMessagesEndpoint;
    }

    public Optional<URI> kmsEndpoint() {
        return kmsEndpoint;
    }

    public ProxyPolicy proxy() {
        return proxy;
    }

    /** The CA bundle's trust, or null for the JDK default. */
    public TrustManager[] trustManagers() {
        return trustManagers;
    }

    /** The SSM client, built on first use (class loading and endpoint rules cost ~0.3 s of start-up). */
    public synchronized SsmClient ssm() {
        if (ssm == null) {
            requireOpen();
            SsmClientBuilder sb = SsmClient.builder().region(region).credentialsProvider(credentials).httpClient(http());
            ssmEndpoint.ifPresent(sb::endpointOverride);
            ssm = sb.build();
        }
        return ssm;
    }

    /**
     * Builds another AWS service's client configured as this setup's own: the same region, credentials and HTTP
     * client (proxy and CA bundle), and the endpoint from {@code AWS_ENDPOINT_URL_<SERVICE>}, else
     * {@code AWS_ENDPOINT_URL}, of this setup's environment. For modules beside the library (the doctor's EC2, IAM
     * and STS clients) so that they follow the one configuration path. The caller closes the client; the HTTP client
     * stays this setup's.
     *
     * @param service the service's endpoint variable suffix, as the AWS CLI spells it: {@code EC2}, {@code IAM},
     *     {@code STS}
     */
    public <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
            & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, C>, C> C configure(B builder, String service) {
        requireOpen();
        builder.region(region).credentialsProvider(credentials).httpClient(http());
        endpoint(null, environment, "AWS_ENDPOINT_URL_" + service.toUpperCase(Locale.ROOT))
                .or(() -> globalEndpoint).ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * The proxy a connection to {@code url} goes through ({@code scheme://host:port}, no credentials), or empty
     * when it goes direct: the same decision as the SDK calls' and the WebSocket's.
     */
    public Optional<URI> proxyFor(URI url) {
        return proxy.proxyFor(url).map(ProxySettings::endpoint);
    }

    /** The KMS client, built on first use (only encrypted sessions need it). */
    public synchronized KmsClient kms() {
        if (kms == null) {
            requireOpen();
            // SPEC §5.1 has the Go plugin use the default KMS endpoint; an explicit override still wins.
            KmsClientBuilder kb = KmsClient.builder().region(region).credentialsProvider(credentials).httpClient(http());
            kmsEndpoint.ifPresent(kb::endpointOverride);
            kms = kb.build();
        }
        return kms;
    }

    private void requireOpen() {
        if (closed) {
            throw new SessionException(Reason.CLOSED, "the SessionManager is closed");
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (ssm != null) {
                ssm.close();
            }
            if (kms != null) {
                kms.close();
            }
            if (http != null) {
                http.close();
            }
        }
        if (ownsCredentials && credentials instanceof SdkAutoCloseable c) {
            c.close();
        }
    }

    private static Region resolveRegion(String explicit, ProfileFiles files, String profile) {
        if (explicit == null) {
            try {
                DefaultAwsRegionProviderChain.Builder chain = DefaultAwsRegionProviderChain.builder().profileName(profile);
                if (files.overridden()) {
                    files.load().ifPresent(f -> chain.profileFile(() -> f));
                }
                return chain.build().getRegion();
            } catch (SdkClientException e) {
                throw new SessionException(Reason.CONFIGURATION, "No AWS region set. Set one with --region or "
                        + "AWS_REGION, or as region in the profile '" + (profile == null ? "default" : profile)
                        + "' of " + files.configShown() + " (in the library: region(...)).", e);
            }
        }
        return Region.of(explicit.trim());
    }

    private static Optional<URI> endpoint(URI explicit, Map<String, String> env, String variable) {
        if (explicit != null) {
            return Optional.of(explicit);
        }
        String v = blankToNull(env.get(variable));
        if (v == null) {
            return Optional.empty();
        }
        try {
            URI u = URI.create(v.trim());
            if (u.getHost() == null || u.getScheme() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
            return Optional.of(u);
        } catch (IllegalArgumentException e) {
            throw new SessionException(Reason.CONFIGURATION, variable + " is not a valid URL (" + e.getMessage() + "): " + v);
        }
    }

    private static ProxyPolicy resolveProxy(URI explicit, String explicitNoProxy, Map<String, String> env) {
        try {
            return ProxyPolicy.resolve(explicit, explicitNoProxy, env);
        } catch (IllegalArgumentException e) {
            throw new SessionException(Reason.CONFIGURATION, e.getMessage());
        }
    }

    /**
     * ssmmessages endpoint override (VPC endpoint without private DNS): the StreamUrl the service
     * returns names the public host, so its scheme, host and port are replaced; the path and query
     * (session id, role) stay. A bare host override replaces only the host.
     */
    public static UnaryOperator<URI> streamUrlRewrite(Optional<URI> endpoint, String host) {
        return url -> {
            URI u = url;
            if (endpoint.isPresent()) {
                URI e = endpoint.get();
                String scheme = e.getScheme().toLowerCase(Locale.ROOT);
                String ws = scheme.equals("http") || scheme.equals("ws") ? "ws" : "wss";
                u = URI.create(ws + "://" + e.getRawAuthority() + u.getRawPath()
                        + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
            }
            if (host != null) {
                u = URI.create(u.getScheme() + "://" + host + (u.getPort() == -1 ? "" : ":" + u.getPort()) + u.getRawPath()
                        + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
            }
            return u;
        };
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public String toString() {
        return "region=" + region + ", ssmEndpoint=" + ssmEndpoint.orElse(null)
                + ", ssmMessagesEndpoint=" + ssmMessagesEndpoint.orElse(null) + ", kmsEndpoint=" + kmsEndpoint.orElse(null)
                + ", proxy=" + proxy + ", customCaBundle=" + (trustManagers != null);
    }
}
