package dev.ssmsession.client.internal;

import dev.ssmsession.client.SessionException;
import dev.ssmsession.client.SessionException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

import java.util.Locale;

/**
 * Turns AWS SDK failures into {@link SessionException}s whose message tells the user what to do.
 * The SDK's own messages carry no secrets (AWS never echoes a token), but request ids are dropped
 * from ours to keep them readable; the SDK exception stays attached as the cause.
 */
public final class AwsErrors {
    private static final Logger log = LoggerFactory.getLogger(AwsErrors.class);

    static final String NO_CREDENTIALS = "No AWS credentials found (tried environment variables, the shared "
            + "config/credentials files, SSO, container and instance metadata). Configure a profile "
            + "(`aws configure` / `aws sso login`) or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.";
    private static final int MAX_DETAIL = 200;

    private AwsErrors() {
    }

    /**
     * @param action  the IAM action of the failed call, e.g. {@code ssm:StartSession}
     * @param subject what the call was about, e.g. {@code target i-0123} (no secrets)
     */
    public static SessionException translate(String action, String subject, SdkException e) {
        return translate(action, subject, e, null);
    }

    /**
     * @param endpoint the URL the client called (no user info, no query), named when it could not be reached;
     *                 null if unknown
     */
    public static SessionException translate(String action, String subject, SdkException e, String endpoint) {
        // First: a proxy message may mention credentials, which the check below would take for AWS's.
        ProxyFailureException proxy = proxyFailure(e);
        if (proxy != null) {
            return new SessionException(Reason.CONFIGURATION, action + " for " + subject + " failed"
                    + (endpoint == null ? "" : " (" + endpoint + ")") + ": " + proxy.getMessage() + ".", e);
        }
        if (e instanceof AwsServiceException ase) {
            String code = ase.awsErrorDetails() == null ? null : ase.awsErrorDetails().errorCode();
            String awsMessage = ase.awsErrorDetails() == null ? ase.getMessage() : ase.awsErrorDetails().errorMessage();
            return translate(action, subject, code == null ? "" : code, ase.statusCode(), awsMessage, e);
        }
        if (e instanceof SdkClientException && e.getMessage() != null
                && e.getMessage().toLowerCase(Locale.ROOT).contains("credentials")) {
            return noCredentials(action, subject, (SdkClientException) e);
        }
        String unreachable = e instanceof SdkClientException ? unreachable(e) : null;
        if (unreachable != null) {
            String service = action.substring(0, Math.max(0, action.indexOf(':'))).toUpperCase(Locale.ROOT);
            return new SessionException(Reason.SERVICE, "Cannot reach the " + service + " endpoint"
                    + (endpoint == null ? "" : " " + endpoint) + ": " + unreachable + " (" + action + " for " + subject
                    + ").", e);
        }
        return new SessionException(Reason.SERVICE,
                action + " for " + subject + " failed: " + firstLine(String.valueOf(e.getMessage())), e);
    }

    /**
     * The SDK's message names every provider of its chain and why each failed (about 1,500
     * characters): that stays in the cause and the debug log, the message says what to do.
     */
    private static SessionException noCredentials(String action, String subject, SdkClientException e) {
        log.debug("{} for {}: no AWS credentials: {}", action, subject, e.getMessage());
        String sdk = e.getMessage();
        if (sdk.contains("providers in the chain")) {
            return new SessionException(Reason.CREDENTIALS, NO_CREDENTIALS, e);
        }
        // One provider (a named profile, a caller's provider): its own reason is short and specific.
        return new SessionException(Reason.CREDENTIALS, "No usable AWS credentials: " + shorten(firstLine(sdk))
                + ". Configure a profile (`aws configure` / `aws sso login`) or set "
                + "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.", e);
    }

    static SessionException translate(String action, String subject, String code, int status, String awsMessage,
                                      Throwable cause) {
        String prefix = action + " for " + subject + " failed (" + (code.isEmpty() ? "HTTP " + status : code) + "): ";
        String detail = awsMessage == null ? "" : " [" + firstLine(awsMessage) + "]";
        switch (code) {
            case "TargetNotConnected":
                return new SessionException(Reason.TARGET_NOT_CONNECTED, prefix
                        + "the target is not connected to Session Manager. Check that the SSM Agent is installed and "
                        + "running on it and registered in this region, that its instance profile grants "
                        + "AmazonSSMManagedInstanceCore, and, in a private subnet, that VPC interface endpoints for "
                        + "ssm, ssmmessages and ec2messages exist (or a NAT route to them)." + detail, cause);
            case "AccessDeniedException":
            case "AccessDenied":
                return new SessionException(Reason.ACCESS_DENIED, prefix
                        + "your IAM identity is not allowed to call " + action + " on " + subject
                        + "; add that action to its policy (for sessions also check the document and target ARNs "
                        + "in the Resource list)." + detail, cause);
            case "ExpiredTokenException":
            case "ExpiredToken":
            case "RequestExpired":
                return new SessionException(Reason.CREDENTIALS, prefix
                        + "your AWS credentials have expired. Refresh them (aws sso login, a new "
                        + "assume-role, or new environment variables) and try again." + detail, cause);
            case "UnrecognizedClientException":
            case "InvalidClientTokenId":
            case "InvalidSignatureException":
            case "SignatureDoesNotMatch":
                return new SessionException(Reason.CREDENTIALS, prefix
                        + "AWS did not accept your credentials. Check the access key, secret and session token "
                        + "of the profile in use and the clock of this machine." + detail, cause);
            case "InvalidDocument":
            case "InvalidDocumentVersion":
            case "InvalidDocumentContent":
            case "InvalidParameters":
            case "ValidationException":
            case "InvalidTarget":
                return new SessionException(Reason.INVALID_REQUEST, prefix
                        + "the session request was rejected; check the document name, its parameters and the target."
                        + detail, cause);
            case "DoesNotExistException":
            case "InvalidInstanceId":
            case "NotFoundException":
                return new SessionException(Reason.SESSION_NOT_FOUND, prefix
                        + "it does not exist (any more) in this account and region." + detail, cause);
            case "ThrottlingException":
            case "TooManyRequestsException":
            case "Throttling":
                return new SessionException(Reason.THROTTLED, prefix
                        + "AWS throttled the request; retry later or lower the rate of new sessions." + detail, cause);
            case "KMSAccessDeniedException":
            case "KMSInvalidStateException":
            case "DisabledException":
            case "KMSNotFoundException":
            case "InvalidKeyUsageException":
                return new SessionException(Reason.KMS, prefix
                        + "KMS could not generate the session's data key; check that the key exists, is enabled, "
                        + "and that your identity may call kms:GenerateDataKey on it." + detail, cause);
            default:
                if (status == 403) {
                    return new SessionException(Reason.ACCESS_DENIED, prefix
                            + "access denied; your IAM identity needs " + action + "." + detail, cause);
                }
                return new SessionException(Reason.SERVICE, prefix + firstLine(String.valueOf(awsMessage)), cause);
        }
    }

    private static ProxyFailureException proxyFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ProxyFailureException p) {
                return p;
            }
        }
        return null;
    }

    /** What kept the request from reaching the endpoint at all, or null if it got there. */
    private static String unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
                return m.contains("refused") ? "connection refused" : "cannot connect (" + shorten(firstLine(m)) + ")";
            }
            if (t instanceof java.net.UnknownHostException) {
                return "unknown host " + t.getMessage();
            }
            if (t instanceof java.net.NoRouteToHostException) {
                return "no route to host";
            }
            if (t instanceof java.net.SocketTimeoutException || t instanceof java.net.http.HttpTimeoutException) {
                return "no answer (timed out)";
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return "TLS failed (" + shorten(firstLine(String.valueOf(t.getMessage()))) + ")";
            }
        }
        return null;
    }

    /** The endpoint a client calls, for messages: its override, else the service's regional default. */
    static String endpointOf(software.amazon.awssdk.awscore.AwsServiceClientConfiguration c, String service) {
        try {
            java.net.URI u = c.endpointOverride().orElseGet(() ->
                    java.net.URI.create("https://" + software.amazon.awssdk.regions.ServiceMetadata.of(service)
                            .endpointFor(c.region())));
            return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort())
                    + (u.getRawPath() == null ? "" : u.getRawPath());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String shorten(String s) {
        String t = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        return t.length() <= MAX_DETAIL ? t : t.substring(0, MAX_DETAIL) + "…";
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        int rid = line.indexOf(" (Service:");
        return rid < 0 ? line : line.substring(0, rid);
    }
}
