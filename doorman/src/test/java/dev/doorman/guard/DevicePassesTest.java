package dev.doorman.guard;

import dev.doorman.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

class DevicePassesTest {
    private final MutableClock clock = MutableClock.at(Instant.parse("2026-11-28T10:00:00Z"));
    private final byte[] key = "a key of thirty-two bytes, exact".getBytes();
    private final DevicePasses passes = new DevicePasses(key, clock, Duration.ofDays(90), Duration.ofHours(1), DevicePassesTest::random);
    private final String alice = RateLimits.account("alice@example.org");

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    @Test
    void deviceWhenPassIsLiveForTheAccountThenItsOwnDeviceIdEachIssueANewOne() {
        String first = passes.issue(DevicePasses.Kind.DEVICE, alice);
        String second = passes.issue(DevicePasses.Kind.DEVICE, alice);
        assertThat(passes.device(first, DevicePasses.Kind.DEVICE, alice)).hasValueSatisfying(id -> assertThat(id).hasSize(24));
        assertThat(passes.device(first, DevicePasses.Kind.DEVICE, alice)).isNotEqualTo(passes.device(second, DevicePasses.Kind.DEVICE, alice));
    }

    @Test
    void deviceWhenPassIsForAnotherAccountOrKindThenNothing() {
        String pass = passes.issue(DevicePasses.Kind.DEVICE, alice);
        assertThat(passes.device(pass, DevicePasses.Kind.DEVICE, RateLimits.account("bob@example.org"))).isEmpty();
        assertThat(passes.device(pass, DevicePasses.Kind.UNLOCK, alice)).isEmpty();
        String unlock = passes.issue(DevicePasses.Kind.UNLOCK, alice);
        assertThat(passes.device(unlock, DevicePasses.Kind.DEVICE, alice)).isEmpty();
        assertThat(passes.device(unlock, DevicePasses.Kind.UNLOCK, alice)).isPresent();
    }

    @Test
    void deviceWhenPassIsTamperedOrMalformedThenNothing() {
        String pass = passes.issue(DevicePasses.Kind.DEVICE, alice);
        String[] parts = pass.split("\\.");
        // Another device id, a later expiry, a signature from another key: each breaks the MAC.
        assertThat(passes.device(String.join(".", parts[0], parts[1], "00" + parts[2].substring(2), parts[3], parts[4]),
                DevicePasses.Kind.DEVICE, alice)).isEmpty();
        assertThat(passes.device(String.join(".", parts[0], parts[1], parts[2], Long.toString(Long.parseLong(parts[3]) + 86400), parts[4]),
                DevicePasses.Kind.DEVICE, alice)).isEmpty();
        var otherKey = new DevicePasses("another key of thirty-two bytes!".getBytes(), clock, Duration.ofDays(90), Duration.ofHours(1),
                DevicePassesTest::random);
        assertThat(passes.device(otherKey.issue(DevicePasses.Kind.DEVICE, alice), DevicePasses.Kind.DEVICE, alice)).isEmpty();
        for (String bad : new String[]{null, "", "DEVICE", pass + ".x", pass.replace('.', ','), parts[0] + "." + parts[1] + ".." + parts[3] + "." + parts[4],
                String.join(".", parts[0], parts[1], parts[2], "soon", parts[4]), String.join(".", parts[0], parts[1], parts[2], parts[3], "%%%"),
                "DEVICE." + "a".repeat(400)})
            assertThat(passes.device(bad, DevicePasses.Kind.DEVICE, alice)).as(String.valueOf(bad)).isEmpty();
        assertThat(Base64.getUrlDecoder().decode(parts[4])).hasSize(32);
    }

    @Test
    void deviceWhenPassHasExpiredThenNothingAndEachKindHasItsOwnLifetime() {
        String device = passes.issue(DevicePasses.Kind.DEVICE, alice);
        String unlock = passes.issue(DevicePasses.Kind.UNLOCK, alice);
        clock.advance(Duration.ofHours(1));
        assertThat(passes.device(unlock, DevicePasses.Kind.UNLOCK, alice)).isEmpty();
        assertThat(passes.device(device, DevicePasses.Kind.DEVICE, alice)).isPresent();
        clock.advance(Duration.ofDays(90));
        assertThat(passes.device(device, DevicePasses.Kind.DEVICE, alice)).isEmpty();
    }
}
