package dev.xenon.server.proxy;

import dev.xenon.proxy.AddressRule;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A project's allowlist entries as the proxy receives them. */
class AllowlistRulesTest {

    @Test
    void entriesBecomeMatchersInOrder() throws Exception {
        List<AddressRule> rules = AllowlistRules.of("prj-a", List.of("10.0.0.0/8", "192.168.1.1-192.168.1.9", "::1"));

        assertThat(rules).hasSize(3);
        assertThat(rules.get(0).matches(InetAddress.getByName("10.2.3.4"))).isTrue();
        assertThat(rules.get(0).matches(InetAddress.getByName("11.0.0.1"))).isFalse();
        assertThat(rules.get(1).matches(InetAddress.getByName("192.168.1.5"))).isTrue();
        assertThat(rules.get(2).matches(InetAddress.getByName("::1"))).isTrue();
    }

    @Test
    void anUnparseableEntryMatchesNobodyAndStillCounts() throws Exception {
        // An entry that slipped past the API's validation neither opens the door nor empties the list.
        List<AddressRule> rules = AllowlistRules.of("prj-a", List.of("not-an-address"));

        assertThat(rules).hasSize(1);
        assertThat(rules.get(0).matches(InetAddress.getByName("127.0.0.1"))).isFalse();
    }
}
