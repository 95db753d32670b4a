package dev.ssmsession.testkit.internal;

import java.nio.charset.StandardCharsets;

/**
 * Just enough XML writing for the Query-protocol stand-ins (EC2, IAM, STS): nested elements and escaped text
 * leaves, written in order. Element names are the SDK's {@code unmarshallLocationName}s; a wrong one reads as null
 * in the SDK, which the stand-ins' tests catch.
 */
final class Xml {
    private final StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");

    /** A root element with its namespace. */
    static Xml root(String name, String namespace) {
        Xml x = new Xml();
        x.out.append('<').append(name).append(" xmlns=\"").append(namespace).append("\">");
        return x;
    }

    Xml open(String name) {
        out.append('<').append(name).append('>');
        return this;
    }

    Xml close(String name) {
        out.append("</").append(name).append('>');
        return this;
    }

    /** {@code <name>value</name>}; nothing at all for a null value, as AWS leaves absent members out. */
    Xml leaf(String name, Object value) {
        if (value != null) {
            out.append('<').append(name).append('>').append(escape(String.valueOf(value))).append("</").append(name).append('>');
        }
        return this;
    }

    /** {@code <name><item>v</item>…</name>} (EC2) or {@code <member>} (IAM): a list of strings. */
    Xml list(String name, String itemName, Iterable<String> values) {
        open(name);
        for (String v : values) {
            leaf(itemName, v);
        }
        return close(name);
    }

    byte[] bytes() {
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
