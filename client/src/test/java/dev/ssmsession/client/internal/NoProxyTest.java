package dev.ssmsession.client.internal;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Every NO_PROXY form people write, against the hosts (and ports) a session connects to. */
@Tag("pure")
class NoProxyTest {
    @ParameterizedTest(name = "NO_PROXY=''{0}'' → {1}:{2} direct={3}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # The value from the report (SDK crashed on '*.127.0.0.1').
            127.0.0.1,localhost,::1          | 127.0.0.1                   | 443   | true
            127.0.0.1,localhost,::1          | localhost                   | 8080  | true
            127.0.0.1,localhost,::1          | LOCALHOST                   | 80    | true
            127.0.0.1,localhost,::1          | ::1                         | 80    | true
            127.0.0.1,localhost,::1          | [::1]                       | 80    | true
            127.0.0.1,localhost,::1          | 0:0:0:0:0:0:0:1             | 80    | true
            127.0.0.1,localhost,::1          | 127.0.0.2                   | 443   | false
            127.0.0.1,localhost,::1          | ::2                         | 443   | false
            127.0.0.1,localhost,::1          | ssm.us-east-1.amazonaws.com | 443   | false
            # Domains: bare, leading dot, leading '*.', mixed case, spaces, trailing dots.
            amazonaws.com                    | ssm.eu-west-1.amazonaws.com | 443   | true
            amazonaws.com                    | amazonaws.com               | 443   | true
            amazonaws.com                    | notamazonaws.com            | 443   | false
            .amazonaws.com                   | ssmmessages.eu-west-1.amazonaws.com | 443 | true
            .amazonaws.com                   | amazonaws.com               | 443   | true
            .amazonaws.com                   | evilamazonaws.com           | 443   | false
            *.amazonaws.com                  | kms.eu-west-1.amazonaws.com | 443   | true
            *.amazonaws.com                  | amazonaws.com.evil.net      | 443   | false
            "  Example.COM ,  .Corp.Internal " | www.example.com           | 443   | true
            "  Example.COM ,  .Corp.Internal " | DB.corp.internal          | 443   | true
            example.com.                     | www.example.com.            | 443   | true
            a.test b.test                    | x.b.test                    | 443   | true
            # host:port applies to that port only, for names and addresses alike.
            internal.example:8443            | internal.example            | 8443  | true
            internal.example:8443            | api.internal.example        | 8443  | true
            internal.example:8443            | internal.example            | 443   | false
            127.0.0.1:4567                   | 127.0.0.1                   | 4567  | true
            127.0.0.1:4567                   | 127.0.0.1                   | 80    | false
            [::1]:8080                       | ::1                         | 8080  | true
            [::1]:8080                       | [::1]                       | 80    | false
            # Addresses and CIDR ranges compare as addresses, never as names.
            10.0.0.0/8                       | 10.200.3.4                  | 443   | true
            10.0.0.0/8                       | 11.0.0.1                    | 443   | false
            10.0.0.0/8                       | 10.example.com              | 443   | false
            127.0.0.0/8                      | 127.0.0.1                   | 443   | true
            172.16.0.0/12                    | 172.31.255.255              | 443   | true
            172.16.0.0/12                    | 172.32.0.1                  | 443   | false
            192.168.1.0/24:443               | 192.168.1.7                 | 443   | true
            fd00::/8                         | fd12:3456::1                | 443   | true
            fd00::/8                         | [fd12::1]                   | 443   | true
            fd00::/8                         | fe80::1                     | 443   | false
            fd00::/8                         | 10.0.0.1                    | 443   | false
            [fd00::]/8                       | fd00::1                     | 443   | false
            0.0.1                            | 10.0.0.1                    | 443   | false
            ::ffff:127.0.0.1                 | 127.0.0.1                   | 443   | true
            # Everything.
            *                                | anything.example            | 443   | true
            foo.test, *                      | 10.1.1.1                    | 443   | true
            # Nothing, or entries that fit no form: ignored, the rest still apply, nothing throws.
            ""                               | localhost                   | 443   | false
            " , ,"                           | localhost                   | 443   | false
            [::1,localhost                   | localhost                   | 443   | true
            10.0.0.0/33,localhost            | 10.0.0.1                    | 443   | false
            host:port,a+b(c)?.test,[x]       | host                        | 443   | false
            *.127.0.0.1                      | 127.0.0.1                   | 443   | true
            """)
    void decides(String noProxy, String host, int port, boolean direct) {
        assertThat(NoProxy.parse(noProxy).matches(host, port)).isEqualTo(direct);
    }
}
