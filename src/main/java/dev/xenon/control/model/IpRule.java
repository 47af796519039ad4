package dev.xenon.control.model;

import dev.xenon.control.DomainException;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One allowlist entry: a single address, a CIDR block ({@code 10.0.0.0/8}) or a range ({@code 1.1.1.1-1.1.1.9}),
 * IPv4 or IPv6, the forms Neon accepts.
 */
public record IpRule(BigInteger low, BigInteger high, int addressBytes) {

    public static IpRule parse(String field, String text) {
        if (text == null || text.isBlank()) {
            throw DomainException.invalid(field + " must not hold empty entries");
        }
        String entry = text.trim();
        try {
            int dash = entry.indexOf('-');
            if (dash > 0) {
                byte[] from = literal(entry.substring(0, dash).trim());
                byte[] to = literal(entry.substring(dash + 1).trim());
                if (from.length != to.length || new BigInteger(1, from).compareTo(new BigInteger(1, to)) > 0) {
                    throw new IllegalArgumentException();
                }
                return new IpRule(new BigInteger(1, from), new BigInteger(1, to), from.length);
            }
            int slash = entry.indexOf('/');
            if (slash > 0) {
                byte[] base = literal(entry.substring(0, slash));
                int prefix = Integer.parseInt(entry.substring(slash + 1));
                int bits = base.length * 8;
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException();
                }
                BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
                BigInteger low = new BigInteger(1, base).andNot(hostMask);
                return new IpRule(low, low.or(hostMask), base.length);
            }
            byte[] address = literal(entry);
            BigInteger value = new BigInteger(1, address);
            return new IpRule(value, value, address.length);
        } catch (IllegalArgumentException | UnknownHostException e) {
            throw DomainException.invalid(field + " holds '" + text
                    + "', which is not an IP address, CIDR block or address range");
        }
    }

    public boolean matches(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != addressBytes) {
            return false;
        }
        BigInteger value = new BigInteger(1, bytes);
        return value.compareTo(low) >= 0 && value.compareTo(high) <= 0;
    }

    /** Accepts only numeric literals: a name here must never trigger a DNS lookup. */
    private static byte[] literal(String text) throws UnknownHostException {
        boolean v4 = text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = text.contains(":") && text.matches("[0-9a-fA-F:.]+");
        if (!v4 && !v6) {
            throw new IllegalArgumentException("not an address literal");
        }
        if (v4) {
            for (String part : text.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    throw new IllegalArgumentException("octet out of range");
                }
            }
        }
        return InetAddress.getByName(text).getAddress();
    }
}
