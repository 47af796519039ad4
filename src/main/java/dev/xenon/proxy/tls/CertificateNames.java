package dev.xenon.proxy.tls;

import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Every name a connection URI can carry to the proxy, which the certificate it serves must cover: clients in
 * verify-full mode (node-postgres with any sslmode, libpq and pgjdbc with verify-full) refuse a certificate that
 * does not name the host they dialled. DNS names and IP addresses are told apart because an IP address in a
 * dNSName entry matches nothing (RFC 6125 section 6.2.1).
 *
 * @param dnsNames    lower case, wildcards as {@code *.domain}
 * @param ipAddresses each address as {@link InetAddress#getHostAddress} writes it, so that equal sets mean equal
 *                    certificates
 */
public record CertificateNames(SortedSet<String> dnsNames, SortedSet<String> ipAddresses) {
    /** What a client on this machine may dial whatever else is configured. */
    private static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "::1");

    public CertificateNames {
        dnsNames = Collections.unmodifiableSortedSet(new TreeSet<>(dnsNames));
        ipAddresses = Collections.unmodifiableSortedSet(new TreeSet<>(ipAddresses));
    }

    /**
     * The names the proxy answers to: the loopback names, every host that connection URIs advertise, and with a
     * proxy domain both the domain and {@code *.<domain>}, which covers {@code ep-x.<domain>} and
     * {@code ep-x-pooler.<domain>} alike (a wildcard matches exactly one label).
     */
    public static CertificateNames forProxy(Optional<String> domain, Collection<String> advertisedHosts) {
        TreeSet<String> all = new TreeSet<>(LOOPBACK);
        all.addAll(advertisedHosts);
        domain.ifPresent(d -> {
            all.add(d);
            all.add("*." + d);
        });
        return of(all);
    }

    /** Sorts host names from IP address literals; never resolves a name. */
    public static CertificateNames of(Collection<String> hosts) {
        TreeSet<String> dns = new TreeSet<>();
        TreeSet<String> ips = new TreeSet<>();
        for (String raw : hosts) {
            String host = raw.strip().toLowerCase(Locale.ROOT);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.isEmpty()) {
                continue;
            }
            if (isIpLiteral(host)) {
                ips.add(canonicalIp(host));
            } else {
                dns.add(host);
            }
        }
        return new CertificateNames(dns, ips);
    }

    /** The names a certificate carries in its subject alternative name extension. */
    public static CertificateNames of(X509Certificate certificate) {
        TreeSet<String> dns = new TreeSet<>();
        TreeSet<String> ips = new TreeSet<>();
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            for (List<?> name : names == null ? List.<List<?>>of() : names) {
                int type = (Integer) name.get(0);
                if (type == GeneralName.dNSName) {
                    dns.add(((String) name.get(1)).toLowerCase(Locale.ROOT));
                } else if (type == GeneralName.iPAddress) {
                    ips.add(canonicalIp((String) name.get(1)));
                }
            }
        } catch (CertificateParsingException e) {
            throw new IllegalStateException("while reading the names of " + certificate.getSubjectX500Principal(), e);
        }
        return new CertificateNames(dns, ips);
    }

    /** The first DNS name, for the subject's common name, which clients no longer match but people read. */
    String commonName() {
        return dnsNames.isEmpty() ? ipAddresses.first() : dnsNames.first();
    }

    GeneralNames toGeneralNames() {
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
        ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    }

    private static String canonicalIp(String literal) {
        try {
            // A literal is parsed, not looked up, so this cannot block on DNS.
            return InetAddress.getByName(literal).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("invalid IP address " + literal, e);
        }
    }
}
