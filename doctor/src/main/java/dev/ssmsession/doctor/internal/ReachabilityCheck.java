package dev.ssmsession.doctor.internal;

import static dev.ssmsession.doctor.internal.Checks.fail;
import static dev.ssmsession.doctor.internal.Checks.pass;

import dev.ssmsession.client.internal.CaBundle;
import dev.ssmsession.doctor.CheckResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Check 7b: this machine reaches the ssm and ssmmessages endpoints the client would use (the overrides from the
 * options and {@code AWS_ENDPOINT_URL_*}, else the regional names), step by step: DNS, TCP, TLS with the client's
 * trust (its CA bundle), or TCP to the proxy the client's policy picks for that URL.
 */
final class ReachabilityCheck {
    private final Aws aws;
    private final Duration timeout;

    ReachabilityCheck(Aws aws, Duration timeout) {
        this.aws = aws;
        this.timeout = timeout;
    }

    CheckResult run() {
        String id = "client-reachability";
        String title = "This machine reaches the endpoints";
        String region = aws.region();
        URI ssm = aws.setup().ssmEndpoint().orElse(URI.create("https://ssm." + region + ".amazonaws.com"));
        URI messages = aws.setup().ssmMessagesEndpoint().orElse(URI.create("wss://ssmmessages." + region + ".amazonaws.com"));
        List<String> ok = new ArrayList<>();
        for (String[] e : List.of(new String[] {"ssm", ssm.toString(), "AWS_ENDPOINT_URL_SSM"},
                new String[] {"ssmmessages", messages.toString(), "AWS_ENDPOINT_URL_SSMMESSAGES"})) {
            URI url = URI.create(e[1]);
            Probe p = probe(url);
            if (p.problem != null) {
                return fail(id, title, e[0] + " at " + url + ": " + p.problem, p.fix.replace("VARIABLE", e[2]));
            }
            ok.add(e[0] + " " + url + " (" + p.detail + ")");
        }
        return pass(id, title, String.join("; ", ok));
    }

    private record Probe(String detail, String problem, String fix) {
    }

    private Probe probe(URI url) {
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        boolean secure = scheme.equals("https") || scheme.equals("wss");
        int port = url.getPort() != -1 ? url.getPort() : secure ? 443 : 80;
        int millis = (int) timeout.toMillis();
        Optional<URI> proxy = aws.setup().proxyFor(url);
        if (proxy.isPresent()) {
            URI p = proxy.get();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(p.getHost(), p.getPort()), millis);
                return new Probe("through proxy " + p.getHost() + ":" + p.getPort() + ", TCP to the proxy ok; the proxy "
                        + "resolves and connects", null, null);
            } catch (IOException e) {
                return new Probe(null, "the proxy " + p.getHost() + ":" + p.getPort() + " does not answer: " + e.getMessage(),
                        "check HTTPS_PROXY/HTTP_PROXY (or add the host to NO_PROXY)");
            }
        }
        InetAddress address;
        try {
            address = InetAddress.getAllByName(url.getHost())[0];
        } catch (UnknownHostException e) {
            return new Probe(null, "the name " + url.getHost() + " does not resolve",
                    "check DNS or the VPN from here; with a VPC endpoint without private DNS, set VARIABLE to its DNS name");
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), millis);
            s.setSoTimeout(millis);
            if (!secure) {
                return new Probe(address.getHostAddress() + ", TCP ok, no TLS (" + scheme + ")", null, null);
            }
            SSLSocket tls = (SSLSocket) CaBundle.sslContext(aws.setup().trustManagers()).getSocketFactory()
                    .createSocket(s, url.getHost(), port, false);
            SSLParameters params = tls.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(params);
            tls.startHandshake();
            String protocol = tls.getSession().getProtocol();
            tls.close();
            return new Probe(address.getHostAddress() + ", TCP ok, " + protocol + " ok", null, null);
        } catch (javax.net.ssl.SSLException e) {
            return new Probe(null, "TLS with " + address.getHostAddress() + ":" + port + " failed: " + e.getMessage(),
                    "if a proxy or firewall inspects TLS, set AWS_CA_BUNDLE to its CA certificates (PEM)");
        } catch (IOException e) {
            return new Probe(null, "TCP to " + address.getHostAddress() + ":" + port + " failed: " + e.getMessage(),
                    "a firewall blocks it: allow TCP " + port + " out, or set HTTPS_PROXY to the proxy you must use");
        }
    }
}
