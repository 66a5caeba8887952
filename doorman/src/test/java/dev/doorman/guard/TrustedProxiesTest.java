package dev.doorman.guard;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrustedProxiesTest {
    private final TrustedProxies proxies = TrustedProxies.of(List.of("10.0.0.0/8", "127.0.0.1", "fd00::/8"));

    @Test
    void clientIpWhenPeerIsNotTrustedThenForwardedForIsIgnored() {
        assertThat(proxies.clientIp("198.51.100.1", List.of("203.0.113.9"))).isEqualTo("198.51.100.1");
        assertThat(TrustedProxies.none().clientIp("127.0.0.1", List.of("203.0.113.9"))).isEqualTo("127.0.0.1");
    }

    @Test
    void clientIpWhenPeerIsTrustedThenRightMostUntrustedHopWins() {
        assertThat(proxies.clientIp("10.1.1.1", List.of("203.0.113.9"))).isEqualTo("203.0.113.9");
        // The client wrote the left part itself; only the entries our proxies appended count.
        assertThat(proxies.clientIp("10.1.1.1", List.of("1.2.3.4, 203.0.113.9, 10.2.2.2"))).isEqualTo("203.0.113.9");
        assertThat(proxies.clientIp("127.0.0.1", List.of("1.2.3.4", "203.0.113.9"))).isEqualTo("203.0.113.9");
        assertThat(proxies.clientIp("10.1.1.1", List.of("[2001:db8::1]:443"))).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(proxies.clientIp("10.1.1.1", List.of("203.0.113.9:5678"))).isEqualTo("203.0.113.9");
    }

    @Test
    void clientIpWhenEveryHopIsTrustedOrAnEntryIsGarbageThenTheLastGoodAddressWins() {
        assertThat(proxies.clientIp("10.1.1.1", List.of("10.3.3.3"))).isEqualTo("10.3.3.3");
        assertThat(proxies.clientIp("10.1.1.1", List.of("evil.example.org"))).isEqualTo("10.1.1.1");
        assertThat(proxies.clientIp("10.1.1.1", List.of("203.0.113.9, unknown, 10.2.2.2"))).isEqualTo("10.2.2.2");
        assertThat(proxies.clientIp("10.1.1.1", List.of())).isEqualTo("10.1.1.1");
    }

    @Test
    void ofWhenAnEntryIsNoAddressOrRangeThenRefusedNamingIt() {
        assertThatThrownBy(() -> TrustedProxies.of(List.of("10.0.0.0/33"))).hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> TrustedProxies.of(List.of("proxy.internal"))).hasMessageContaining("proxy.internal");
    }

    @Test
    void sourceKeyWhenIpv6ThenTheSlash64AndIpv4MappedIsIpv4() {
        assertThat(Sources.keyOf("2001:db8:1:2:aaaa::1")).isEqualTo(Sources.keyOf("2001:db8:1:2:bbbb::2")).endsWith("/64");
        assertThat(Sources.keyOf("2001:db8:1:3::1")).isNotEqualTo(Sources.keyOf("2001:db8:1:2::1"));
        assertThat(Sources.keyOf("::ffff:203.0.113.9")).isEqualTo("203.0.113.9");
        assertThat(Sources.keyOf("203.0.113.9")).isEqualTo("203.0.113.9");
    }
}
