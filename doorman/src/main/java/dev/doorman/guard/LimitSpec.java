package dev.doorman.guard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A token bucket as one or more bands, each "capacity per period" refilled greedily; a request needs a token from
 * every band, so a short band bounds bursts and a long one the sustained rate. Written {@code "10/1m, 100/1h"}.
 */
public record LimitSpec(List<Band> bands) {
    private static final Pattern BAND = Pattern.compile("(\\d{1,9})\\s*/\\s*(\\d{0,6})\\s*(s|m|h|d)");

    public record Band(long capacity, Duration period) {
        public Band {
            if (capacity < 1) throw new IllegalArgumentException("a limit's capacity must be at least 1");
            if (period.isNegative() || period.isZero()) throw new IllegalArgumentException("a limit's period must be positive");
        }

        @Override
        public String toString() {
            long s = period.toSeconds();
            String p = s % 86400 == 0 ? s / 86400 + "d" : s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
            return capacity + "/" + p;
        }
    }

    public LimitSpec {
        bands = List.copyOf(bands);
        if (bands.isEmpty()) throw new IllegalArgumentException("a limit needs at least one band");
    }

    public static LimitSpec of(long capacity, Duration period) {
        return new LimitSpec(List.of(new Band(capacity, period)));
    }

    /** Parses {@code "10/1m, 100/1h"} (units s, m, h, d); throws with the offending text. */
    public static LimitSpec parse(String text) {
        var bands = new ArrayList<Band>();
        for (String part : text.split(",")) {
            var m = BAND.matcher(part.strip());
            if (!m.matches()) throw new IllegalArgumentException("not a limit: '" + part.strip() + "' (write it like 10/1m, 100/1h)");
            long amount = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
            Duration period = switch (m.group(3)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            bands.add(new Band(Long.parseLong(m.group(1)), period));
        }
        return new LimitSpec(bands);
    }

    /** The smallest capacity: how many uses the bucket holds when full. */
    public long capacity() {
        return bands.stream().mapToLong(Band::capacity).min().orElseThrow();
    }

    /** The longest period: after it, an unused bucket is full again and need not be stored. */
    public Duration longestPeriod() {
        return bands.stream().map(Band::period).max(Duration::compareTo).orElseThrow();
    }

    @Override
    public String toString() {
        return String.join(", ", bands.stream().map(Band::toString).toList());
    }
}
