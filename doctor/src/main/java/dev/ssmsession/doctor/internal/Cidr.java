package dev.ssmsession.doctor.internal;

/** An IPv4 CIDR block as the range of addresses it covers; {@code a.b.c.d} alone is a /32. */
record Cidr(long first, long last, String text) {
    static final Cidr ANYWHERE = parse("0.0.0.0/0");

    /** @throws IllegalArgumentException for anything but IPv4 CIDR notation */
    static Cidr parse(String s) {
        String[] parts = s.trim().split("/");
        int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : 32;
        String[] octets = parts[0].split("\\.");
        if (octets.length != 4 || bits < 0 || bits > 32) {
            throw new IllegalArgumentException("not an IPv4 CIDR block: " + s);
        }
        long address = 0;
        for (String o : octets) {
            int v = Integer.parseInt(o);
            if (v < 0 || v > 255) {
                throw new IllegalArgumentException("not an IPv4 CIDR block: " + s);
            }
            address = address << 8 | v;
        }
        long size = 1L << (32 - bits);
        long first = address & ~(size - 1) & 0xffffffffL;
        return new Cidr(first, first + size - 1, s.trim());
    }

    /** Parses, or null for IPv6 and other text (those rules are not about our IPv4 traffic). */
    static Cidr orNull(String s) {
        try {
            return s == null ? null : parse(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    boolean contains(Cidr other) {
        return first <= other.first && other.last <= last;
    }

    boolean overlaps(Cidr other) {
        return first <= other.last && other.first <= last;
    }

    @Override
    public String toString() {
        return text;
    }
}
