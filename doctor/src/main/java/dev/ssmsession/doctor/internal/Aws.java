package dev.ssmsession.doctor.internal;

import dev.ssmsession.client.internal.AwsSetup;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The SDK clients the checks use, all built from the session library's own {@link AwsSetup} (region, credentials,
 * proxy, CA bundle, endpoint variables), and the one place AWS errors are sorted: "no permission" and every other
 * failure become {@link Unavailable} naming the action, so no check guesses.
 */
final class Aws implements AutoCloseable {
    private static final Set<String> DENIED = Set.of("AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
            "UnauthorizedAccess", "AuthorizationError");

    private final AwsSetup setup;
    private Ec2Client ec2;
    private IamClient iam;
    private StsClient sts;

    Aws(AwsSetup setup) {
        this.setup = setup;
    }

    AwsSetup setup() {
        return setup;
    }

    String region() {
        return setup.region().id();
    }

    synchronized Ec2Client ec2() {
        if (ec2 == null) {
            ec2 = setup.configure(Ec2Client.builder(), "EC2");
        }
        return ec2;
    }

    synchronized IamClient iam() {
        if (iam == null) {
            iam = setup.configure(IamClient.builder(), "IAM");
        }
        return iam;
    }

    synchronized StsClient sts() {
        if (sts == null) {
            sts = setup.configure(StsClient.builder(), "STS");
        }
        return sts;
    }

    SsmClient ssm() {
        return setup.ssm();
    }

    /**
     * Runs one call.
     *
     * @param action the IAM action it needs, as policies spell it ({@code ec2:DescribeVpcEndpoints})
     * @throws Unavailable when AWS refused or the call failed
     */
    static <T> T call(String action, Supplier<T> call) {
        try {
            return call.get();
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if (code != null && DENIED.contains(code)) {
                throw new Unavailable("no permission for " + action + " (" + code + ")", true, e);
            }
            throw new Unavailable(action + " failed: " + (code == null ? "" : code + ": ") + firstLine(e), false, e);
        } catch (SdkException e) {
            throw new Unavailable(action + " failed: " + firstLine(e), false, e);
        }
    }

    /** True when the service answered (with an error); false when it was not reached at all. */
    static boolean answered(Unavailable e) {
        return e.getCause() instanceof AwsServiceException;
    }

    /** The SDK's message without its "(Service: …, Request ID: …)" tail and retry notes. */
    static String firstLine(Throwable e) {
        String m = e instanceof AwsServiceException a && a.awsErrorDetails() != null && a.awsErrorDetails().errorMessage() != null
                ? a.awsErrorDetails().errorMessage() : String.valueOf(e.getMessage());
        for (String tail : new String[] {" (Service: ", " (SDK Attempt Count"}) {
            int cut = m.indexOf(tail);
            m = cut > 0 ? m.substring(0, cut) : m;
        }
        int nl = m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl) : m;
    }

    @Override
    public synchronized void close() {
        if (ec2 != null) {
            ec2.close();
        }
        if (iam != null) {
            iam.close();
        }
        if (sts != null) {
            sts.close();
        }
    }
}
