package dev.ssmsession.client.internal;

import dev.ssmsession.client.SessionException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * Trust built from a PEM bundle ({@code AWS_CA_BUNDLE}), used for both the SDK calls and the
 * WebSocket, exactly as the AWS CLI uses it: the bundle replaces the default trust store.
 * Verification itself (chain and host name) is never switched off.
 */
public final class CaBundle {
    private CaBundle() {
    }

    public static TrustManager[] trustManagers(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new SessionException(SessionException.Reason.CONFIGURATION,
                        "CA bundle " + pem + " contains no PEM certificates");
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return tmf.getTrustManagers();
        } catch (IOException e) {
            throw new SessionException(SessionException.Reason.CONFIGURATION,
                    "cannot read CA bundle " + pem + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new SessionException(SessionException.Reason.CONFIGURATION,
                    "CA bundle " + pem + " is not a valid PEM certificate file: " + e.getMessage(), e);
        }
    }

    /** A TLS context trusting {@code trustManagers}, or the JDK default trust when null. */
    public static SSLContext sslContext(TrustManager[] trustManagers) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, trustManagers, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new SessionException(SessionException.Reason.CONFIGURATION, "cannot initialise TLS: " + e.getMessage(), e);
        }
    }
}
