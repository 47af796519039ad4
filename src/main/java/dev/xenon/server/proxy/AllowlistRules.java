package dev.xenon.server.proxy;

import dev.xenon.control.model.IpRule;
import dev.xenon.proxy.AddressRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Turns a project's allowlist entries into the matchers the proxy checks client addresses against. */
final class AllowlistRules {
    private static final Logger LOG = LoggerFactory.getLogger(AllowlistRules.class);
    private static final AddressRule NOBODY = address -> false;

    private AllowlistRules() {
    }

    static List<AddressRule> of(String projectId, List<String> entries) {
        return entries.stream().map(entry -> rule(projectId, entry)).toList();
    }

    private static AddressRule rule(String projectId, String entry) {
        try {
            return IpRule.parse("allowed_ips", entry)::matches;
        } catch (RuntimeException e) {
            // The API validates entries; one that slipped through must not open or close the door for others: it
            // matches no one, and the list still applies.
            LOG.warn("ignoring the unparseable allowlist entry '{}' of project {}", entry, projectId);
            return NOBODY;
        }
    }
}
