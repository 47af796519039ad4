package dev.xenon.control.endpoints;

import static java.util.Objects.requireNonNull;

/**
 * Endpoint ports and how many endpoints there may be.
 *
 * @param firstPort first of the endpoints' own proxy ports (--endpoint-ports FIRST-LAST)
 * @param lastPort  last of them, inclusive
 * @param limits    endpoints per branch and per project
 */
public record EndpointConfig(int firstPort, int lastPort, EndpointLimits limits) {
    public static final EndpointConfig DEFAULT = new EndpointConfig(55432, 56431, EndpointLimits.DEFAULT);

    public EndpointConfig {
        requireNonNull(limits, "limits is null");
        if (firstPort > lastPort || firstPort < 1 || lastPort > 65535) {
            throw new IllegalArgumentException("endpoint port range " + firstPort + "-" + lastPort
                    + " is not a valid port range");
        }
    }

    public EndpointConfig withPorts(int first, int last) {
        return new EndpointConfig(first, last, limits);
    }
}
