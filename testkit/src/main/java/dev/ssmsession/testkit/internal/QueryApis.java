package dev.ssmsession.testkit.internal;

import dev.ssmsession.testkit.Account;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AWS Query-protocol stand-ins on the testkit's API port: form-encoded {@code POST}s with an {@code Action}
 * (EC2's dialect, IAM's and STS's), answered in XML from an {@link Account}. Every call is SigV4-verified for its
 * own service ({@code ec2}, {@code iam}, {@code sts}) and checked against the caller's permissions
 * ({@code ec2:<Action>}, {@code iam:<Action>}) before it runs, as AWS does.
 */
public final class QueryApis {
    private static final Logger LOG = LoggerFactory.getLogger(QueryApis.class);

    /** An HTTP answer: status and XML body. */
    public record Response(int status, byte[] body) {
    }

    /** One operation: the request's parameters in, the response document out, or an {@link AwsError}. */
    interface Operation extends Function<Map<String, String>, Xml> {
    }

    private record Route(String service, String version, Operation operation) {
    }

    private final Map<String, Route> routes = new HashMap<>();
    private final Account account;
    private final SigV4Verifier sigV4;
    private final boolean acceptUnsigned;

    public QueryApis(Account account, SigV4Verifier sigV4, boolean acceptUnsigned) {
        this.account = account;
        this.sigV4 = sigV4;
        this.acceptUnsigned = acceptUnsigned;
        new Ec2Api(account).operations().forEach((action, op) -> routes.put(action, new Route("ec2", "2016-11-15", op)));
        IamApi iam = new IamApi(account);
        iam.operations().forEach((action, op) -> routes.put(action, new Route("iam", "2010-05-08", op)));
        routes.put("GetCallerIdentity", new Route("sts", "2011-06-15", iam::getCallerIdentity));
    }

    /** True for the requests this serves: form-encoded bodies (JSON APIs use {@code application/x-amz-json-1.1}). */
    public static boolean accepts(String contentType) {
        return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    public Response handle(String method, String resource, Function<String, String> header, byte[] body) {
        Map<String, String> params = form(new String(body, StandardCharsets.UTF_8));
        String action = params.get("Action");
        Route route = action == null ? null : routes.get(action);
        boolean ec2Style = route == null || route.service().equals("ec2");
        try {
            if (!"POST".equals(method)) {
                throw new AwsError("InvalidAction", 400, "only POST is served, got " + method);
            }
            if (route == null) {
                throw new AwsError("InvalidAction", 400, "The action " + action + " is not valid for this web service.");
            }
            if (!(acceptUnsigned && header.apply("Authorization") == null)) {
                SigV4Verifier.Problem p = sigV4.verifyApiCall(method, resource, header, body, route.service(), Instant.now());
                if (p != null) {
                    LOG.info("{} refused: {}", action, p.detail());
                    throw new AwsError(p.kind() == SigV4Verifier.Kind.INVALID_SIGNATURE ? "SignatureDoesNotMatch"
                            : p.kind() == SigV4Verifier.Kind.UNRECOGNIZED_CLIENT ? "InvalidClientTokenId" : p.kind().errorCode(),
                            403, p.message());
                }
            }
            if (!route.service().equals("sts")) {
                String iamAction = route.service() + ":" + action;
                if (!account.callerMay(iamAction)) {
                    throw new AwsError(route.service().equals("ec2") ? "UnauthorizedOperation" : "AccessDenied", 403,
                            (route.service().equals("ec2") ? "You are not authorized to perform this operation. " : "")
                                    + "User: " + account.callerArn() + " is not authorized to perform: " + iamAction
                                    + " because no identity-based policy allows the " + iamAction + " action");
                }
            }
            Xml xml = route.operation().apply(params);
            LOG.debug("{} -> 200", action);
            return new Response(200, xml.bytes());
        } catch (AwsError e) {
            LOG.info("{} -> {} {}: {}", action, e.status(), e.type(), e.getMessage());
            return new Response(e.status(), ec2Style ? ec2Error(e) : queryError(e));
        } catch (RuntimeException e) {
            LOG.warn("{} failed inside the testkit", action, e);
            AwsError internal = new AwsError("InternalFailure", 500, "testkit failure: " + e);
            return new Response(500, ec2Style ? ec2Error(internal) : queryError(internal));
        }
    }

    /** EC2's error document: {@code Response/Errors/Error/{Code,Message}} and {@code RequestID}. */
    private static byte[] ec2Error(AwsError e) {
        Xml x = new Xml().open("Response").open("Errors").open("Error").leaf("Code", e.type()).leaf("Message", e.getMessage())
                .close("Error").close("Errors").leaf("RequestID", UUID.randomUUID()).close("Response");
        return x.bytes();
    }

    /** IAM's and STS's: {@code ErrorResponse/Error/{Type,Code,Message}} and {@code RequestId}. */
    private static byte[] queryError(AwsError e) {
        Xml x = new Xml().open("ErrorResponse").open("Error").leaf("Type", e.status() >= 500 ? "Receiver" : "Sender")
                .leaf("Code", e.type()).leaf("Message", e.getMessage()).close("Error")
                .leaf("RequestId", UUID.randomUUID()).close("ErrorResponse");
        return x.bytes();
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return out;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }
}
