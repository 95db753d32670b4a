package dev.ssmsession.client.internal;

import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.apache.ProxyConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The SDK's HTTP client when a proxy is configured: each request asks the {@link ProxyPolicy}
 * (scheme, host and port of that request) and goes to a direct client or to one that always uses
 * the chosen proxy. No bypass list is handed to an SDK client: their {@code nonProxyHosts} are
 * regular expressions, which cannot say {@code 10.0.0.0/8} or {@code host:443} and broke on
 * {@code *.127.0.0.1}.
 *
 * <p>Direct requests use the URL-connection client as before. Proxied ones use the SDK's Apache
 * client (already on the SDK's runtime class path): the JDK's {@code HttpURLConnection} never sends
 * Basic credentials on a {@code CONNECT} (Basic is in {@code jdk.http.auth.tunneling.disabledSchemes})
 * and would put the SDK's {@code Proxy-Authorization} header on the request inside the tunnel, to AWS.
 */
final class ProxyRoutingHttpClient implements SdkHttpClient {
    private final ProxyPolicy policy;
    private final SdkHttpClient direct;
    private final Map<ProxySettings, SdkHttpClient> proxied;

    private ProxyRoutingHttpClient(ProxyPolicy policy, SdkHttpClient direct, Map<ProxySettings, SdkHttpClient> proxied) {
        this.policy = policy;
        this.direct = direct;
        this.proxied = proxied;
    }

    /** @param trustManagers the CA bundle's, or null for the JDK's (also used through a TLS-intercepting proxy) */
    static SdkHttpClient create(ProxyPolicy policy, TrustManager[] trustManagers) {
        UrlConnectionHttpClient.Builder hb = UrlConnectionHttpClient.builder()
                .proxyConfiguration(software.amazon.awssdk.http.urlconnection.ProxyConfiguration.builder()
                        .useSystemPropertyValues(false).useEnvironmentVariablesValues(false).build());
        if (trustManagers != null) {
            hb.tlsTrustManagersProvider(() -> trustManagers);
        }
        SdkHttpClient direct = hb.build();
        if (policy.isDirect()) {
            return direct;
        }
        Map<ProxySettings, SdkHttpClient> proxied = new LinkedHashMap<>();
        for (ProxySettings p : policy.proxies()) {
            ProxyConfiguration.Builder pc = ProxyConfiguration.builder()
                    .endpoint(p.endpoint())
                    .nonProxyHosts(Set.of())
                    .useSystemPropertyValues(false)
                    .useEnvironmentVariableValues(false);
            if (p.hasCredentials()) {
                // curl and Go send Basic credentials from the URL up front; so does this (no 407 round trip).
                pc.username(p.username().orElseThrow()).password(p.password().orElse(""))
                        .preemptiveBasicAuthenticationEnabled(true);
            }
            ApacheHttpClient.Builder ab = ApacheHttpClient.builder().proxyConfiguration(pc.build());
            if (trustManagers != null) {
                ab.tlsTrustManagersProvider(() -> trustManagers);
            }
            proxied.put(p, ab.build());
        }
        return new ProxyRoutingHttpClient(policy, direct, proxied);
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        SdkHttpRequest r = request.httpRequest();
        Optional<ProxySettings> proxy = policy.proxyFor(r.protocol(), r.host(), r.port());
        if (proxy.isEmpty()) {
            return direct.prepareRequest(request);
        }
        ProxySettings p = proxy.get();
        String target = (r.host().contains(":") ? "[" + r.host() + "]" : r.host()) + ":" + r.port();
        boolean plainHttp = r.protocol().equalsIgnoreCase("http");
        ExecutableHttpRequest call = proxied.get(p).prepareRequest(request);
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                HttpExecuteResponse response;
                try {
                    response = call.call();
                } catch (IOException e) {
                    ProxyFailureException f = ProxyFailureException.classify(p, target, e);
                    throw f != null ? f : e;
                }
                // Plain http through the proxy: its refusal arrives as the response, not as a failed CONNECT.
                if (fromProxy(response, p, plainHttp)) {
                    String status = "HTTP/1.1 " + response.httpResponse().statusCode() + " "
                            + response.httpResponse().statusText().orElse("");
                    if (response.responseBody().isPresent()) {
                        response.responseBody().get().close();
                    }
                    throw ProxyFailureException.refused(p, target, status, null);
                }
                return response;
            }

            @Override
            public void abort() {
                call.abort();
            }
        };
    }

    /**
     * 407, or the 401 with a Basic challenge tinyproxy sends for wrong credentials: AWS answers
     * authentication failures with 400/403 and an error code, never with a Basic challenge.
     */
    private static boolean fromProxy(HttpExecuteResponse response, ProxySettings p, boolean plainHttp) {
        int status = response.httpResponse().statusCode();
        return status == 407 || status == 401 && plainHttp && p.hasCredentials()
                && response.httpResponse().firstMatchingHeader("WWW-Authenticate")
                        .filter(v -> v.regionMatches(true, 0, "Basic", 0, 5)).isPresent();
    }

    @Override
    public String clientName() {
        return direct.clientName();
    }

    @Override
    public void close() {
        direct.close();
        proxied.values().forEach(SdkHttpClient::close);
    }
}
